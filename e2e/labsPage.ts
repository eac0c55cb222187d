import { expect, type Page } from '@playwright/test';

/** The packages the labs compare, as folders of this repository (for checks in Node). */
export const LAB_MODELS = {
  diffusion: 'models/toy-sentences',
  autoregressive: 'models/toy-sentences-ar',
};

/** Opens the Labs tab on WASM and waits until both models are open. */
export async function openLabs(page: Page) {
  await page.goto('/#ep=wasm&view=labs');
  await expect(page.getByTestId('lab-pair')).toHaveAttribute('data-status', 'ready', {
    timeout: 90_000,
  });
}

/** Shows one lab (the Labs tab shows one at a time). */
export async function showLab(page: Page, name: 'Reversal' | 'Speed' | 'Likelihood') {
  await page.getByRole('navigation', { name: 'Labs' }).getByRole('button', { name }).click();
  await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
}
