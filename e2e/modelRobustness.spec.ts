import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openSettings, setNumber } from './generatePage';
import { dropFiles, modelError } from './modelPackagePage';

/**
 * Models checked before they are believed (issue 13): the article's own DiffusionLM with
 * [MASK] alone writes its whole window; a trace replays only on the vocabulary that wrote it;
 * link settings the page cannot use are named; two dropped models are called two models.
 */

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
const MASK_ONLY = path.join(FIXTURES, 'article-mask-only');
const WITH_EOS = path.join(FIXTURES, 'article-diffusionlm');
const maskOnly = JSON.parse(fs.readFileSync(path.join(MASK_ONLY, 'manifest.json'), 'utf8')) as {
  title: string;
  vocab: string[];
  special: Record<string, number>;
};
const withEos = JSON.parse(fs.readFileSync(path.join(WITH_EOS, 'manifest.json'), 'utf8')) as {
  title: string;
};

const generateView = (page: Page) => page.getByRole('region', { name: 'Generate' });

async function openPage(page: Page, hash = '') {
  await page.goto(`/#ep=wasm&seed=3&speed=60${hash}`);
  await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute(
    'data-provider',
    'wasm',
    {
      timeout: 90_000,
    },
  );
}

async function openPackage(page: Page, dir: string, title: string) {
  const section = page.locator('details', { hasText: 'Open your own model' });
  if (!(await section.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await section.locator('summary').click();
  }
  await page.getByLabel('ONNX file').setInputFiles(path.join(dir, 'model.onnx'));
  await page.getByLabel('Manifest file').setInputFiles(path.join(dir, 'manifest.json'));
  await page.getByRole('button', { name: 'Open package' }).click();
  await expect(page.getByLabel('Model status')).toContainText(title, { timeout: 90_000 });
}

async function generate(page: Page): Promise<number[]> {
  const view = generateView(page);
  await view.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(view.getByLabel('Result')).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  return view
    .getByRole('region', { name: 'Run A', exact: true })
    .getByTestId('token-cell')
    .evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.token)));
}

test("the article's DiffusionLM with [MASK] alone writes its whole window, and each view says what it cannot do", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  expect(maskOnly.special).toEqual({ mask: 0 });
  await openPage(page, '&steps=8');
  await openPackage(page, MASK_ONLY, `${maskOnly.title} · 32 tokens · window 16`);
  await expect(modelError(page)).toHaveCount(0);
  const view = generateView(page);
  await expect(view).not.toContainText('[PAD] and [EOS]');
  await expect(view.getByRole('note', { name: 'No end token' })).toContainText(
    'it writes every position of its window of 16',
  );
  // No end token: every position is written, none is [MASK] (0), none is an end token.
  const tokens = await generate(page);
  expect(tokens).toHaveLength(16);
  expect(tokens.filter((t) => t === 0)).toEqual([]);

  // Length cannot apply, and says why.
  await setNumber(page, 'Length', '6');
  await expect(view.getByRole('status', { name: 'Settings problems' })).toContainText(
    'Length 6: this model has no [EOS] token to end a shorter text, so it writes the whole window (16 positions after the prompt). Leave Length empty.',
  );
  await expect(view.getByRole('button', { name: 'Generate', exact: true })).toBeDisabled();
  await setNumber(page, 'Length', '');
  // A prompt and a pin need no padding: they are kept, the rest is written.
  await page.getByLabel('Prompt', { exact: true }).fill('the cat');
  await openSettings(page);
  await page.getByLabel('Pin at position 10', { exact: true }).fill('mat');
  const infilled = await generate(page);
  const id = (w: string) => maskOnly.vocab.indexOf(w);
  expect(infilled.slice(0, 2)).toEqual([id('the'), id('cat')]);
  expect(infilled[9]).toBe(id('mat'));
  expect(infilled.filter((t) => t === 0)).toEqual([]);

  // Explore: a sentence fills the window, and a shorter one is told why not.
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'Explore' })
    .click();
  const explore = page.getByRole('region', { name: 'Explore' });
  await page.getByLabel('Sentence', { exact: true }).fill('the cat sat on the mat');
  await expect(explore.getByRole('alert').first()).toContainText(
    'This model has no [EOS] token to end a shorter sentence, so a sentence fills its whole window: type exactly 16 words, not 6.',
  );
  await page
    .getByLabel('Sentence', { exact: true })
    .fill('the cat sat on the mat and the dog sat on the big red mat today');
  await expect(explore.getByTestId('explore-token')).toHaveCount(16);
  expect(errors).toEqual([]);
});

test('a trace replays only on the vocabulary that wrote it', async ({ page }) => {
  await openPage(page, '&steps=4&strategy=article');
  await openPackage(page, MASK_ONLY, maskOnly.title);
  await generate(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export trace', exact: true }).click(),
  ]);
  const file = await download.path();
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(exported.vocabulary.modelId).toBe('article-mask-only');

  // Another model with a vocabulary of the same size and the same [MASK] id: refused.
  await openPackage(page, WITH_EOS, withEos.title);
  const importFile = async (name: string, content: unknown) => {
    await openSettings(page);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import trace' }).click(),
    ]);
    await chooser.setFiles({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(content)),
    });
  };
  await importFile('mask-only.json', exported);
  const problem = page.getByRole('alert', { name: 'Import problem' });
  await expect(problem).toContainText(
    "vocabulary: the trace was written by article-mask-only, whose vocabulary is not the loaded model's (article-diffusionlm;",
  );
  await expect(problem).toContainText('Open article-mask-only first.');
  // A trace from before the field: replayed, with a warning.
  const older = { ...exported };
  delete older.vocabulary;
  await importFile('older.json', older);
  await expect(problem).toHaveCount(0);
  await expect(page.getByRole('note', { name: 'Import warning' })).toContainText(
    'This trace does not say which vocabulary wrote it',
  );
  // On the model that wrote it: replayed without a word.
  await openPackage(page, MASK_ONLY, maskOnly.title);
  await importFile('mask-only.json', exported);
  await expect(
    generateView(page).getByRole('region', { name: 'Run A', exact: true }),
  ).toHaveAttribute('data-source', 'import');
  await expect(problem).toHaveCount(0);
  await expect(page.getByRole('note', { name: 'Import warning' })).toHaveCount(0);
});

test('link settings the page cannot use are named, with why; more steps than positions is noted', async ({
  page,
}) => {
  await openPage(page, '&thr=NaN&steps=abc&strategy=nope&model=gpt5');
  const notice = page.getByRole('status', { name: 'Ignored link settings' });
  await expect(notice.getByRole('listitem')).toHaveText([
    /^Strategy: "nope" is not a sampler this page knows \(.*\), so article is used \(the link says strategy=nope\)\.$/,
    'Steps: "abc" is not a number, so the default 16 is used (the link says steps=abc).',
    'Threshold: "NaN" is not a number, so the default 0.9 is used (the link says thr=NaN).',
    /^Model: no shipped model is called "gpt5" \(shipped: [^)]*\btoy-sentences\b[^)]*\), so toy-sentences is opened \(the link says model=gpt5\)\.$/,
  ]);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await setNumber(page, 'Steps', '100');
  await expect(generateView(page).getByRole('note', { name: 'Settings notes' })).toHaveText(
    '100 steps for 16 positions to write: at most 16 of the 100 model calls can commit a token, so at least 84 commit nothing (each still costs a model call).',
  );
});

test('dropping two models names the problem: two models and no manifest', async ({ page }) => {
  await openPage(page);
  await page.locator('details', { hasText: 'Open your own model' }).locator('summary').click();
  const bytes = new Uint8Array(fs.readFileSync(path.join(WITH_EOS, 'model.onnx')));
  await dropFiles(page, [
    { name: 'article.onnx', bytes },
    { name: 'other.onnx', bytes },
  ]);
  const alert = modelError(page);
  await expect(alert).toContainText(
    'Both dropped files are models (article.onnx, other.onnx), and no manifest.json was dropped.',
  );
  await expect(alert.getByRole('listitem')).toHaveText([
    'the manifest (.json) file is missing',
    'drop one .onnx model only',
  ]);
  await expect(alert).not.toContainText('not valid JSON');
  await expect(page.getByLabel('Model status')).toContainText('Toy sentences');
});
