import { expect, test, type Page } from '@playwright/test';

/** Opens the page on one execution provider and waits until the default model runs. */
async function openOn(page: Page, ep: 'webgpu' | 'wasm') {
  await page.goto(`/#ep=${ep}&steps=16&seed=3`);
  await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute('data-provider', ep, {
    timeout: 90_000,
  });
}

for (const ep of ['wasm', 'webgpu'] as const) {
  test(`the default model writes a sentence on ${ep}`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openOn(page, ep);
    await expect(page.getByLabel('Backend', { exact: true })).toContainText(
      ep === 'webgpu' ? 'WebGPU' : 'WASM',
    );
    // Only a WebGPU run needs the WebGPU build of onnxruntime-web; WASM loads the plain one.
    await expect(page.getByLabel('Backend details')).toContainText(`onnxruntime-web ${ep} build`);
    // On WebGPU the warm-up was the window's trial of call modes: both timed, one kept.
    const modes = page.getByLabel('WebGPU call modes');
    if (ep === 'webgpu') {
      const text = (await modes.textContent()) ?? '';
      expect(text).toMatch(/^WebGPU calls at B1·L16: /);
      for (const mode of ['tensors', 'IO binding']) {
        expect(text).toMatch(new RegExp(`${mode} [\\d.]+ ms`));
      }
      expect(text).toMatch(/; (tensors|IO binding) is used\./);
      expect(text).toContain('Graph capture is not used');
    } else {
      await expect(modes).toHaveCount(0);
    }
    // The view tab is also named Generate: press the button of the Generate view itself.
    await page
      .getByRole('region', { name: 'Generate' })
      .getByRole('button', { name: 'Generate', exact: true })
      .click();
    await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', {
      timeout: 90_000,
    });
    // S = 16 steps on a 16-token window: one model call per step, nothing left masked.
    await expect(page.getByTestId('history-row')).toHaveCount(16);
    await expect(page.getByLabel('Result')).not.toContainText('[MASK]');
    // Opening Backend reads the call modes as they stand after the run: the same shape, kept.
    await page.locator('summary', { hasText: /^Backend$/ }).click();
    await expect(page.getByLabel('Backend details')).toBeVisible();
    if (ep === 'webgpu') await expect(modes).toContainText(/^WebGPU calls at B1·L16: /);
    expect(errors).toEqual([]);
  });
}

test('WebGPU and WASM compute the same logits', async ({ page }) => {
  await openOn(page, 'wasm');
  await page.locator('summary', { hasText: /^Backend$/ }).click();
  await page.getByRole('button', { name: 'Compare WebGPU and WASM' }).click();
  const out = page.getByLabel('Backend agreement');
  await expect(out).toContainText('max |Δ logit|', { timeout: 90_000 });
  const text = (await out.textContent()) ?? '';
  expect(text).toContain('wasm vs webgpu');
  const diff = Number(text.split(':').pop());
  expect(diff).toBeLessThan(1e-3);
});

test('auto loads the WebGPU build only for a hardware adapter', async ({ page }) => {
  await page.goto('/#steps=16&seed=3');
  const details = page.getByLabel('Backend details');
  await expect(details).toContainText('onnxruntime-web', { timeout: 90_000 });
  const text = (await details.textContent()) ?? '';
  // A software adapter (SwiftShader in CI) or none: auto runs WASM, on the plain build.
  const hardware = !/adapter: none|\(software\)/.test(text);
  await expect(details).toContainText(`onnxruntime-web ${hardware ? 'webgpu' : 'wasm'} build`);
  if (!hardware) {
    await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute(
      'data-provider',
      'wasm',
    );
  }
});

test('switching WASM → WebGPU → WASM in the page swaps builds and keeps generating', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openOn(page, 'wasm');
  const details = page.getByLabel('Backend details');
  await expect(details).toContainText('onnxruntime-web wasm build');
  const generate = page
    .getByRole('region', { name: 'Generate' })
    .getByRole('button', { name: 'Generate', exact: true });
  // The worker already holds the plain WASM build; WebGPU needs the other one, loaded now.
  for (const ep of ['webgpu', 'wasm'] as const) {
    await page.getByLabel('Execution provider').selectOption(ep);
    await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute('data-provider', ep, {
      timeout: 90_000,
    });
    await expect(details).toContainText(`onnxruntime-web ${ep} build`);
    await generate.click();
    await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', {
      timeout: 90_000,
    });
    await expect(page.getByTestId('history-row')).toHaveCount(16);
    await expect(page.getByLabel('Result')).not.toContainText('[MASK]');
    // The run's calls were made on the new backend: SwiftShader takes ~100 ms a call, WASM ~1.
    const counter = page.getByLabel('Model calls', { exact: true });
    await expect(counter).toHaveAttribute('data-calls', '16');
    const perCall = Number(/([\d.]+) ms per call/.exec((await counter.textContent()) ?? '')?.[1]);
    if (ep === 'wasm') expect(perCall).toBeLessThan(20);
    else if (/\(software\)/.test((await details.textContent()) ?? '')) {
      expect(perCall).toBeGreaterThan(20);
    }
  }
  expect(errors).toEqual([]);
});
