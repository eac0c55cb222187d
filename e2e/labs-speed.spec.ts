import { expect, test } from '@playwright/test';
import { openLabs, showLab } from './labsPage';

/**
 * The speed lab end to end, with tiny settings: every setting of the grid is measured on the
 * trained window and timed on an untrained one, model calls follow from the settings, quality is
 * shown only where the weights are trained, and the article's arithmetic is a live calculator.
 */
test('measures calls, time and quality for both models and fills the calculator', async ({
  page,
}) => {
  await openLabs(page);
  await showLab(page, 'Speed');
  // Shipping the twin leaves the page's default model as it was; the labs open theirs apart.
  await expect(page.getByRole('combobox', { name: 'Model', exact: true })).toHaveValue(
    'toy-sentences',
  );
  const lab = page.getByRole('region', { name: 'Speed' });

  // The calculator works before any measurement: the article's 2.5 s against 0.5 s.
  const calculator = lab.getByTestId('speed-calculator');
  await expect(calculator.getByTestId('calculator-result')).toContainText('2.5 s');
  await expect(calculator.getByTestId('calculator-speedup')).toHaveText('5×');
  await calculator.getByLabel('Tokens to write L').fill('2000');
  await expect(calculator.getByTestId('calculator-speedup')).toHaveText('20×');
  await calculator.getByLabel('Diffusion steps S').fill('0');
  await expect(calculator.getByRole('alert')).toContainText('Every field needs a number');
  await calculator.getByRole('button', { name: 'The article’s numbers' }).click();
  await expect(calculator.getByTestId('calculator-speedup')).toHaveText('5×');

  await lab.getByRole('checkbox', { name: '64' }).uncheck();
  await lab.getByLabel('Samples (trained)').fill('3');
  await lab.getByLabel('Samples (timing only)').fill('1');
  await lab.getByRole('button', { name: 'Measure' }).click();
  const results = lab.getByTestId('speed-results');
  await expect(results).toHaveAttribute('data-status', 'done', { timeout: 100_000 });

  const rows = lab.getByTestId('speed-table').locator('tbody tr');
  await expect(rows).toHaveCount(11);
  const calls = async (setting: string) =>
    Number(await lab.locator(`tr[data-setting="${setting}"] td[data-col="calls"]`).textContent());
  // Fixed S means S calls; the twin makes one call per token after the given first word.
  for (const S of [16, 8, 4, 2]) expect(await calls(`diffusion L=16 S=${S}`)).toBe(S);
  for (const S of [32, 16, 8, 4]) expect(await calls(`diffusion L=32 S=${S}`)).toBe(S);
  expect(await calls('autoregressive L=16')).toBe(15);
  expect(await calls('autoregressive L=32')).toBe(31);
  // The threshold decides its own calls: at least one, at most one per token.
  const adaptive = await calls('diffusion L=16 threshold 0.9');
  expect(adaptive).toBeGreaterThanOrEqual(1);
  expect(adaptive).toBeLessThanOrEqual(16);

  // Quality only where the weights are trained; the untrained window says so.
  await expect(lab.locator('tr[data-trained="true"]')).toHaveCount(6);
  await expect(lab.locator('tr[data-trained="false"]')).toHaveCount(5);
  await expect(lab.locator('tr[data-trained="false"] td[data-col="valid"]').first()).toHaveText(
    '— (untrained)',
  );
  await expect(lab.locator('tr[data-trained="true"] td[data-col="valid"]').first()).toHaveText(
    /^\d+% of 3$/,
  );
  await expect(lab.getByTestId('speed-chart')).toHaveAttribute('data-points', '6');

  // The measured per-call times go into the calculator.
  await expect(calculator.getByTestId('calculator-measured')).toContainText('at L = 32');
  await calculator.getByRole('button', { name: 'Our ms per pass (L = 32)' }).click();
  await expect(calculator.getByLabel('ms per autoregressive pass')).not.toHaveValue('5');

  // A run can be stopped; what was measured stays on the page until the next run starts.
  await lab.getByLabel('Samples (trained)').fill('500');
  await lab.getByRole('button', { name: 'Measure' }).click();
  await expect(results).toHaveAttribute('data-status', 'running');
  await lab.getByRole('button', { name: 'Stop' }).click();
  await expect(results).toHaveAttribute('data-status', 'stopped');
  await expect(lab.getByRole('button', { name: 'Measure' })).toBeEnabled();
  await expect(page.getByRole('combobox', { name: 'Model', exact: true })).toHaveValue(
    'toy-sentences',
  );
});
