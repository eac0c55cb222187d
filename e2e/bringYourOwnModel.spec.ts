import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { dropFiles, modelError } from './modelPackagePage';

/**
 * Bring your own model (issue 3, item 5) as a person does it: choose an .onnx and its
 * manifest.json in the page. A real PyTorch export of the article's DiffusionLM opens with its
 * manifest alone and writes; broken files and lying manifests are refused with every problem in
 * words, and the model that was running keeps running.
 */

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/article-diffusionlm');
const TORCH_ONNX = path.join(FIXTURE, 'model.onnx');
const TORCH_MANIFEST = path.join(FIXTURE, 'manifest.json');
const torchManifest = JSON.parse(fs.readFileSync(TORCH_MANIFEST, 'utf8')) as {
  vocab: string[];
  io: Record<string, unknown>;
  [key: string]: unknown;
};

const DEFAULT_TITLE = 'Toy sentences';
const TORCH_TITLE = torchManifest.title as string;

type File = { name: string; mimeType: string; buffer: Buffer };
const jsonFile = (name: string, value: unknown): File => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(JSON.stringify(value, null, 2)),
});
const bytesFile = (name: string, bytes: Uint8Array): File => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(bytes),
});

/** Opens the page on one execution provider and waits until the shipped default model runs. */
async function openOn(page: Page, ep: 'webgpu' | 'wasm') {
  // Few steps, played fast: the tests are about the model, not the animation.
  await page.goto(`/#ep=${ep}&steps=8&seed=3&speed=60`);
  await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute('data-provider', ep, {
    timeout: 90_000,
  });
  await expect(page.getByLabel('Model status')).toContainText(DEFAULT_TITLE);
}

/** Chooses the two files of a package in the "Open your own model" section and opens it. */
async function openPackage(page: Page, onnx: string | File, manifest: string | File) {
  const section = page.locator('details', { hasText: 'Open your own model' });
  if (!(await section.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await section.locator('summary').click();
  }
  await page.getByLabel('ONNX file').setInputFiles(onnx);
  await page.getByLabel('Manifest file').setInputFiles(manifest);
  await page.getByRole('button', { name: 'Open package' }).click();
}

/**
 * Runs one generation on whatever model is loaded and checks that it finished with no [MASK]
 * left. Written against the generation view's "Generate" button and its "Result" readout.
 */
async function generateToTheEnd(page: Page) {
  const view = page.getByRole('region', { name: 'Generate' });
  await view.getByRole('button', { name: 'Generate', exact: true }).click();
  const result = view.getByLabel('Result');
  await expect(result).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  await expect(result).not.toContainText('[MASK]');
  // The sentence stops at [EOS]; the token strip shows the whole window. [MASK] is token 0 in
  // both the shipped model and the PyTorch export.
  const tokens = await view
    .getByRole('region', { name: 'Run A', exact: true })
    .getByTestId('token-cell')
    .evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.token)));
  expect(tokens).toHaveLength(16);
  expect(tokens.filter((t) => t === 0)).toEqual([]);
}

/** Collects uncaught page errors: nothing may crash, whatever the files are. */
function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

for (const ep of ['wasm', 'webgpu'] as const) {
  test(`a PyTorch export of the article's DiffusionLM opens with its manifest alone and writes, on ${ep}`, async ({
    page,
  }) => {
    const errors = watchPageErrors(page);
    await openOn(page, ep);
    await openPackage(page, TORCH_ONNX, TORCH_MANIFEST);

    await expect(page.getByLabel('Model status')).toContainText(
      `${TORCH_TITLE} · 32 tokens · window 16`,
      { timeout: 90_000 },
    );
    // It runs on the provider asked for, not on a silent fallback.
    await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute('data-provider', ep);
    await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue('');
    await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('model.onnx');
    await expect(modelError(page)).toHaveCount(0);

    await generateToTheEnd(page);
    // Random weights write random words, but only words of this model's vocabulary.
    const words = ((await page.getByLabel('Result').textContent()) ?? '').split(/\s+/);
    for (const w of words.filter(Boolean)) expect(torchManifest.vocab).toContain(w);

    if (ep === 'webgpu') {
      // The GPU computes the same PyTorch model as the CPU build.
      await page.locator('summary', { hasText: /^Backend$/ }).click();
      await page.getByRole('button', { name: 'Compare WebGPU and WASM' }).click();
      const agreement = page.getByLabel('Backend agreement');
      await expect(agreement).toContainText('webgpu vs wasm', { timeout: 90_000 });
      expect(Number(((await agreement.textContent()) ?? '').split(':').pop())).toBeLessThan(1e-3);
    }
    expect(errors).toEqual([]);
  });
}

test('a broken .onnx is refused in words and the default model keeps working', async ({ page }) => {
  const errors = watchPageErrors(page);
  await openOn(page, 'wasm');
  // Seeded noise: bytes that are no protobuf at all.
  const noise = Uint8Array.from(
    { length: 8192 },
    (_, i) => (Math.imul(i + 1, 2654435761) >>> 24) & 255,
  );
  await openPackage(page, bytesFile('broken.onnx', noise), TORCH_MANIFEST);

  const alert = modelError(page);
  await expect(alert).toContainText('Could not open broken.onnx with the manifest manifest.json');
  await expect(alert).toContainText('the model file is not an ONNX model');
  await expect(alert).toContainText('models/toy-sentences/ is still running');
  await expect(page.getByLabel('Model status')).toContainText(DEFAULT_TITLE);

  await generateToTheEnd(page);
  expect(errors).toEqual([]);
});

test('a lying manifest is refused with each problem named, and the default model keeps working', async ({
  page,
}) => {
  const errors = watchPageErrors(page);
  await openOn(page, 'wasm');
  const lying = {
    ...torchManifest,
    io: { ...torchManifest.io, tokenType: 'int32' },
    vocab: torchManifest.vocab.slice(0, 30),
  };
  await openPackage(page, TORCH_ONNX, jsonFile('manifest.json', lying));

  const alert = modelError(page);
  await expect(alert).toContainText('Could not open model.onnx with the manifest manifest.json');
  const problems = alert.getByRole('listitem');
  await expect(problems).toHaveText([
    '"io.tokenType" says int32, but the model\'s input "x_t" holds int64: set "io.tokenType" to "int64"',
    '"vocab" lists 30 tokens, but the model gives 32 logits per position: "vocab" must list exactly one token per logit, in the model\'s order',
  ]);
  await expect(alert).toContainText('models/toy-sentences/ is still running');

  await generateToTheEnd(page);
  expect(errors).toEqual([]);
});

test('a manifest that is not JSON, or misses fields, is refused naming each field', async ({
  page,
}) => {
  const errors = watchPageErrors(page);
  await openOn(page, 'wasm');
  const alert = modelError(page);

  await openPackage(page, TORCH_ONNX, {
    name: 'manifest.json',
    mimeType: 'application/json',
    buffer: Buffer.from('this is not json'),
  });
  await expect(alert).toContainText('Could not open the manifest manifest.json');
  await expect(alert).toContainText('manifest.json is not valid JSON');

  const rest = { ...torchManifest };
  delete rest.seqLen;
  delete rest.special;
  await openPackage(
    page,
    TORCH_ONNX,
    jsonFile('partial.json', { ...rest, io: { ...torchManifest.io, tokens: undefined } }),
  );
  await expect(alert).toContainText('The manifest partial.json is not valid');
  await expect(alert.getByRole('listitem')).toHaveText([
    '"seqLen" is missing (the window length, a positive integer)',
    '"special" is missing (an object with at least "mask")',
    '"io.tokens" is missing (the name of the token input)',
  ]);
  await expect(alert).toContainText('models/toy-sentences/ is still running');

  await generateToTheEnd(page);
  expect(errors).toEqual([]);
});

test('odd files (empty, one file only, other extensions, a huge vocabulary) never blank the page', async ({
  page,
}) => {
  const errors = watchPageErrors(page);
  await openOn(page, 'wasm');
  const alert = modelError(page);

  await openPackage(page, bytesFile('empty.onnx', new Uint8Array(0)), TORCH_MANIFEST);
  await expect(alert).toContainText('the model file is empty (0 bytes)');

  await openPackage(page, bytesFile('empty.onnx', new Uint8Array(0)), {
    name: 'manifest.json',
    mimeType: 'application/json',
    buffer: Buffer.alloc(0),
  });
  await expect(alert).toContainText('manifest.json is not valid JSON');

  await page.getByLabel('Manifest file').setInputFiles([]);
  await page.getByRole('button', { name: 'Open package' }).click();
  await expect(alert).toContainText('A model package is two files');
  await expect(alert.getByRole('listitem')).toHaveText(['the manifest (.json) file is missing']);

  const huge = { ...torchManifest, vocab: Array.from({ length: 100_000 }, (_, i) => `w${i}`) };
  await openPackage(page, TORCH_ONNX, jsonFile('huge.json', huge));
  await expect(alert.getByRole('listitem')).toHaveText([
    '"vocab" lists 100000 tokens, but the model gives 32 logits per position: "vocab" must list exactly one token per logit, in the model\'s order',
  ]);

  // A drop of one file says which one is missing; a drop of both opens the package, even when
  // only one of them has a known extension.
  const manifestBytes = new Uint8Array(fs.readFileSync(TORCH_MANIFEST));
  await dropFiles(page, [{ name: 'manifest.json', bytes: manifestBytes }]);
  await expect(alert).toContainText('Drop both at once (dropped: manifest.json)');
  await expect(alert.getByRole('listitem')).toHaveText(['the .onnx model file is missing']);
  await dropFiles(page, [
    { name: 'manifest.json', bytes: manifestBytes },
    { name: 'article.bin', bytes: new Uint8Array(fs.readFileSync(TORCH_ONNX)) },
  ]);
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('article.bin', {
    timeout: 90_000,
  });
  await expect(alert).toHaveCount(0);

  // Other extensions: each input says what its file is, so the package still opens.
  await openPackage(
    page,
    bytesFile('article.onnx.bin', fs.readFileSync(TORCH_ONNX)),
    jsonFile('manifest.txt', torchManifest),
  );
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('article.onnx.bin', {
    timeout: 90_000,
  });
  await expect(page.getByLabel('Model status')).toContainText(TORCH_TITLE);
  await expect(alert).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Unmask' })).toBeVisible();
  expect(errors).toEqual([]);
});
