import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import { openSettings } from './generatePage';

/**
 * The samplers of 2025 in the generation view (issue 15): LLaDA2.0's prefix calls, LLaDA2.1's
 * edits drawn in the strip and kept by export and import, the EB-Sampler and DUS from the
 * picker, every rule on one forward pass, and the decode-step map with its SVG and PNG.
 */

async function open(page: Page, hash: string) {
  await page.goto(`/#ep=wasm&${hash}`);
  await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute(
    'data-provider',
    'wasm',
    {
      timeout: 90_000,
    },
  );
}

const runA = (page: Page) => page.getByRole('region', { name: 'Run A', exact: true });
const cells = (page: Page) => runA(page).getByTestId('token-cell');

async function generate(page: Page, strategy: string) {
  await page
    .getByRole('region', { name: 'Generate' })
    .getByRole('button', { name: 'Generate', exact: true })
    .click();
  await waitDone(page, strategy);
}

async function waitDone(page: Page, strategy: string) {
  await expect(runA(page)).toHaveAttribute('data-strategy', strategy, { timeout: 30_000 });
  await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
}

async function counter(page: Page) {
  const c = page.getByLabel('Model calls', { exact: true });
  return {
    calls: Number(await c.getAttribute('data-calls')),
    records: Number(await c.getAttribute('data-records')),
  };
}

/** Goes to frame f with the transport (the keys act when no field has focus). */
async function seek(page: Page, f: number) {
  // A run that is still playing would move on after Home: let it reach its end first.
  await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Home');
  for (let i = 0; i < f; i++) await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByLabel('Timeline')).toHaveValue(String(f));
}

test('LLaDA2.0 shows its prefix calls; the EB-Sampler and DUS run from the picker', async ({
  page,
}) => {
  await open(page, 'strategy=llada2.threshold&steps=4&block=4&temp=0&seed=1&speed=60');
  // The label's title says what Steps means for LLaDA2.
  await expect(page.getByLabel('Steps', { exact: true }).locator('xpath=..')).toHaveAttribute(
    'title',
    /Steps per block/,
  );
  await generate(page, 'llada2.threshold');
  const made = await counter(page);
  expect(made.calls).toBe(made.records);
  expect(made.calls).toBeGreaterThanOrEqual(4); // at least one call per block of 4
  // Call 1 gave the model the first block only.
  await seek(page, 1);
  const note = runA(page).getByTestId('prefix-note');
  await expect(note).toHaveAttribute('data-seen', '4');
  await expect(note).toContainText('saw positions 1–4 only');
  await expect(cells(page).and(page.locator('[data-seen="false"]'))).toHaveCount(12);
  await expect(cells(page).nth(5)).toHaveAttribute('aria-label', /not given to the model/);
  // At the last frame the model saw the whole window.
  await page.keyboard.press('End');
  await expect(runA(page).getByTestId('prefix-note')).toHaveCount(0);

  // The EB-Sampler: γ in bits among its knobs; at most 16 calls here, one per commit at worst.
  await page.getByLabel('Strategy', { exact: true }).selectOption('eb.entropy_bound');
  await page.getByLabel('Block length', { exact: true }).fill('');
  await page.getByLabel('Steps', { exact: true }).fill('16');
  await page.getByLabel('γ (bits)', { exact: true }).fill('1.5');
  await generate(page, 'eb.entropy_bound');
  const eb = await counter(page);
  expect(eb.calls).toBe(eb.records);
  expect(eb.calls).toBeLessThanOrEqual(16);
  await expect(page).toHaveURL(/gamma=1\.5/);

  // DUS: one call per dilated level of the 16 positions (2, 2, 4, 8 positions): 4 calls.
  await page.getByLabel('Strategy', { exact: true }).selectOption('dus.dilated');
  await expect(page.getByLabel('Steps', { exact: true })).toBeDisabled();
  await expect(page.getByLabel('DUS threshold', { exact: true })).toBeDisabled();
  await page.getByLabel('DUS remasking', { exact: true }).selectOption('low_confidence');
  await expect(page.getByLabel('DUS threshold', { exact: true })).toBeEnabled();
  await generate(page, 'dus.dilated');
  expect(await counter(page)).toEqual({ calls: 4, records: 4 });
  await expect(runA(page).getByTestId('history-row')).toHaveCount(4);
});

test('an edited token shows what it was and what it became, through export and import', async ({
  page,
}) => {
  // The story's settings make the toy model rewrite tokens; a story generates at once.
  await open(page, 'seed=1&speed=60');
  await page
    .getByRole('group', { name: 'Stories' })
    .getByRole('button', { name: 'LLaDA2.1: rewriting words' })
    .click();
  await expect(page).toHaveURL(/strategy=llada21\.edit.*block=8.*temp=0.*thr=0\.3.*ethr=0\.2/);
  await waitDone(page, 'llada21.edit');
  const made = await counter(page);
  expect(made.calls).toBe(made.records);

  // Find the first frame with an edit.
  await seek(page, 0);
  let frame = 0;
  const edited = cells(page).and(page.locator('[data-status="edited"]'));
  for (; frame <= made.records; frame++) {
    if ((await edited.count()) > 0) break;
    await page.getByRole('button', { name: 'Step forward' }).click();
  }
  expect(frame).toBeLessThanOrEqual(made.records);
  const cell = edited.first();
  const was = await cell.getAttribute('data-was');
  expect(was).toBeTruthy();
  await expect(cell.locator('.cell-was')).toHaveText(was!);
  await expect(cell).toHaveAttribute('aria-label', new RegExp(`rewritten this step.*, was ${was}`));
  // The candidates panel says it in words.
  await cell.hover();
  await expect(page.getByRole('region', { name: 'Candidates', exact: true })).toContainText(
    `Edited: was ${was}`,
  );
  const before = await cells(page).evaluateAll((els) =>
    els.map((e) => `${(e as HTMLElement).dataset.token}:${(e as HTMLElement).dataset.status}`),
  );

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export trace', exact: true }).click(),
  ]);
  const file = await download.path();
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(exported.records.some((r: { edited: number }) => r.edited > 0)).toBe(true);
  expect(exported.records[0].inputLength).toBe(8);
  expect(exported.options).toMatchObject({ editThreshold: 0.2, threshold: 0.3 });

  // Import is in the settings drawer.
  await openSettings(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import trace' }).click(),
  ]);
  await chooser.setFiles(file);
  await expect(runA(page)).toHaveAttribute('data-source', 'import');
  await seek(page, frame);
  const after = await cells(page).evaluateAll((els) =>
    els.map((e) => `${(e as HTMLElement).dataset.token}:${(e as HTMLElement).dataset.status}`),
  );
  expect(after).toEqual(before);
  await expect(cells(page).and(page.locator('[data-status="edited"]')).first()).toHaveAttribute(
    'data-was',
    was!,
  );
});

test('every rule decides on one forward pass of the shown window', async ({ page }) => {
  await open(page, 'strategy=article&steps=4&temp=0&seed=3&speed=60');
  await generate(page, 'article');
  await seek(page, 0);
  await page.getByText('All rules on one call', { exact: true }).click();
  const region = page.getByRole('region', { name: 'Rules on one call', exact: true });
  await region.getByRole('button', { name: 'Compare the rules on call 1' }).click();
  await expect(region.getByTestId('one-call-status')).toHaveAttribute('data-frame', '0');
  const row = (s: string) => region.locator(`li[data-strategy="${s}"]`);
  await expect(region.locator('li[data-strategy]')).toHaveCount(11);
  // 16 masks at call 1 of 4: LLaDA's first share ⌈16 / 4⌉ = 4, the article ⌊16 / 4⌋ = 4 (what
  // this run did too), Dream trunc(16 · (1 − t₁ / t₀)) = 3, DUS its first level of 2.
  await expect(row('llada.low_confidence')).toHaveAttribute('data-commits', '4');
  await expect(row('article')).toHaveAttribute('data-commits', '4');
  await expect(row('dream.maskgit_plus')).toHaveAttribute('data-commits', '3');
  await expect(row('dus.dilated')).toHaveAttribute('data-commits', '2');
  await expect(row('this-run')).toContainText('4 committed');
  // The threshold rules commit at least one.
  expect(Number(await row('fastdllm.threshold').getAttribute('data-commits'))).toBeGreaterThan(0);

  // A trace written before prefix lengths and edits existed still imports.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export trace', exact: true }).click(),
  ]);
  const old = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  for (const r of old.records) {
    delete r.inputLength;
    delete r.edited;
  }
  for (const k of ['editThreshold', 'numToTransfer', 'maxPostSteps', 'entropyBound', 'dusBase'])
    delete old.options[k];
  for (const k of ['dusBaseSkip', 'dusRemasking', 'dusThreshold']) delete old.options[k];
  // Import is in the settings drawer.
  await openSettings(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import trace' }).click(),
  ]);
  await chooser.setFiles({
    name: 'old.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(old)),
  });
  await expect(runA(page)).toHaveAttribute('data-source', 'import');
  await expect(page.getByLabel('Model calls', { exact: true })).toContainText(
    '4 recorded calls, replayed without the model',
  );
});

test('where the answers emerged: hover readout, and the decode-step map as SVG and PNG', async ({
  page,
}) => {
  await open(page, 'strategy=llada.low_confidence&steps=8&temp=0&seed=2&speed=60');
  await generate(page, 'llada.low_confidence');
  const figure = page.getByRole('figure', { name: 'Answer emergence', exact: true });
  const map = figure.locator('canvas');
  await expect(map).toHaveAttribute('data-calls', '8');
  await expect(map).toHaveAttribute('aria-label', /position 1 .*written at call \d/);
  // Hover: column 3, row 8 (the canvas says where its cells are).
  const at = async (name: string) => Number(await map.getAttribute(`data-${name}`));
  const [left, top, cw, ch] = [
    await at('left'),
    await at('top'),
    await at('cell-w'),
    await at('cell-h'),
  ];
  await map.hover({ position: { x: left + cw * 2.5, y: top + ch * 7.5 } });
  const readout = figure.getByTestId('emergence-readout');
  await expect(readout).toContainText('Position 3 (final: ');
  await expect(readout).toContainText('call 8:');
  await expect(readout).toContainText(/written at call \d/);
  // Keyboard: from the first cell, down 4 and right 1.
  await page.mouse.move(0, 0);
  await map.focus();
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight'])
    await page.keyboard.press(key);
  await expect(readout).toContainText('Position 2 (final: ');
  await expect(readout).toContainText('call 5:');
  // The arrows moved the map's cursor, not the transport.
  await expect(page.getByLabel('Timeline')).toHaveValue('8');
  await expect(figure.getByRole('img', { name: /Tokens written per model call/ })).toBeVisible();

  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'Download decode-step map (SVG)' }).click(),
  ]);
  expect(svgDownload.suggestedFilename()).toBe(
    'unmask-decode-steps-llada.low_confidence-seed2.svg',
  );
  const svg = fs.readFileSync(await svgDownload.path(), 'utf8');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.match(/<rect class="cell"/g)).toHaveLength(8 * 16);
  // 16 writes in all, one outlined cell per written position, at the call that wrote it.
  expect(svg.match(/class="written"/g)).toHaveLength(16);
  const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
  // The browser can read it back as an image.
  const parsed = await page.evaluate(async (text) => {
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  }, svg);
  expect(parsed).toEqual([w, h]);

  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'Download decode-step map (PNG)' }).click(),
  ]);
  expect(pngDownload.suggestedFilename()).toBe(
    'unmask-decode-steps-llada.low_confidence-seed2.png',
  );
  const png = fs.readFileSync(await pngDownload.path());
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  // IHDR: width and height, twice the SVG's (drawn at scale 2).
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * w, 2 * h]);
  expect(png.length).toBeGreaterThan(2000);
});
