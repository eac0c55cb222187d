import type { Page } from '@playwright/test';

/**
 * Opens the Generate view's settings drawer ("More settings") if it is closed (it opens by
 * itself when a drawer setting, e.g. the temperature, differs from its default).
 */
export async function openSettings(page: Page) {
  const drawer = page.locator('details.drawer');
  if (!(await drawer.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await drawer.locator('summary').click();
  }
}

/**
 * Sets a field of the settings drawer (opening it first) and leaves it, so the value is taken
 * and the keyboard drives the transport again.
 */
export async function setNumber(page: Page, label: string, value: string) {
  await openSettings(page);
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.blur();
}
