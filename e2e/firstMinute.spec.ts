import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import { summarizePainter } from '../src/core/evaluation/painterFigures';
import { parseTrace, type SamplerTrace } from '../src/core/sampler';
import { REFERENCE_RUN, referencePointAt } from '../src/train/referenceRun';

/**
 * What a newcomer meets in the first minute: the picture on the first screen, a default run that
 * paints rather than types, no sideways scroll on a phone, and no serious accessibility problem
 * in either theme. Positions and widths are layout facts, not timings.
 */

const VIEWS = ['Generate', 'Explore', 'Train', 'Labs'] as const;

async function waitForModel(page: Page) {
  await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute(
    'data-provider',
    /wasm|webgpu/,
    { timeout: 90_000 },
  );
}

/** The strip's words that do not fit their cells (cut at the side or below). */
function cutWords(run: Locator): Promise<(string | null)[]> {
  return run
    .getByTestId('token-cell')
    .evaluateAll((cells) =>
      cells
        .filter((c) => c.scrollWidth > c.clientWidth || c.scrollHeight > c.clientHeight)
        .map((c) => c.textContent),
    );
}

/** Whether the element's box lies inside the viewport (the first screen, no scrolling). */
async function onFirstScreen(locator: Locator, page: Page): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  return (
    box !== null &&
    box.y >= 0 &&
    box.x >= 0 &&
    box.y + box.height <= size.height &&
    box.x + box.width <= size.width
  );
}

const generateButton = (page: Page) =>
  page
    .getByRole('region', { name: 'Generate' })
    .getByRole('button', { name: 'Generate', exact: true });

test.describe('at 1280×800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('Generate is on the first screen; after it, the run and its play control are too', async ({
    page,
  }) => {
    await page.goto('/#ep=wasm');
    expect(await onFirstScreen(generateButton(page), page)).toBe(true);
    await waitForModel(page);
    await generateButton(page).click();
    const run = page.getByRole('region', { name: 'Run A', exact: true });
    await expect(run).toHaveAttribute('data-source', 'model');
    const cells = run.getByTestId('token-cell');
    await expect(cells).toHaveCount(16);
    for (const cell of await cells.all()) expect(await onFirstScreen(cell, page)).toBe(true);
    const play = page.getByRole('button', { name: /^(Play|Pause)$/ });
    expect(await onFirstScreen(play, page)).toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
  });

  test('on arrival the recorded default run plays before anything is pressed', async ({ page }) => {
    await page.goto('/');
    const run = page.getByRole('region', { name: 'Run A', exact: true });
    await expect(run).toHaveAttribute('data-source', 'recorded', { timeout: 30_000 });
    await expect(page.getByLabel('Recorded run')).toBeVisible();
    // It animates: the frame moves on by itself.
    await expect
      .poll(async () => Number(await page.getByLabel('Frame').getAttribute('data-frame')))
      .toBeGreaterThan(1);
    await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', {
      timeout: 30_000,
    });
    // Its words ("thinks", "queens") are not cut short in the strip.
    expect(await cutWords(run)).toEqual([]);
    // A link with other settings does not show the recorded run, nor download it.
    const traceRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/arrival-trace.json')) traceRequests.push(r.url());
    });
    await page.goto('about:blank');
    await page.goto('/#seed=2');
    await waitForModel(page);
    await expect(page.getByRole('region', { name: 'Run A', exact: true })).toHaveAttribute(
      'data-source',
      'preview',
    );
    expect(traceRequests).toEqual([]);
  });

  test('the recorded run does not move on screen when the model arrives', async ({ page }) => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/model.onnx', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/');
    const run = page.getByRole('region', { name: 'Run A', exact: true });
    await expect(run).toHaveAttribute('data-source', 'recorded', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Be the sampler' })).toBeDisabled();
    const before = (await run.boundingBox())!.y;
    release();
    await waitForModel(page);
    await expect(page.getByRole('button', { name: 'Be the sampler' })).toBeEnabled();
    expect((await run.boundingBox())!.y).toBe(before);
  });
});

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`a 10-letter word is whole in its cell at ${viewport.width} px`, async ({ page }) => {
    await page.setViewportSize(viewport);
    // Seed 2 writes "the foxes by the owl watch themselves again": it breaks over two lines.
    await page.goto('/#ep=wasm&seed=2');
    await waitForModel(page);
    await generateButton(page).click();
    await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true');
    const run = page.getByRole('region', { name: 'Run A', exact: true });
    await expect(run.getByTestId('token-cell').filter({ hasText: 'themselves' })).toHaveCount(1);
    expect(await cutWords(run)).toEqual([]);
  });
}

test('Explore opens with masks drawn and two losses that differ, and says why', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/#ep=wasm&view=explore');
  await waitForModel(page);
  const k = Number(
    await page.getByLabel('Masked count', { exact: true }).getAttribute('data-value'),
  );
  expect(k).toBeGreaterThan(0);
  const weighted = page.getByLabel('Weighted loss', { exact: true });
  await expect(weighted).toHaveAttribute('data-value', /\d/, { timeout: 30_000 });
  const w = Number(await weighted.getAttribute('data-value'));
  const plain = Number(
    await page.getByLabel('Plain masked mean', { exact: true }).getAttribute('data-value'),
  );
  expect(w).toBeGreaterThan(0);
  expect(Math.abs(w - plain)).toBeGreaterThan(0.01);
  const why = page.getByLabel('Why the two losses differ');
  await expect(why).toContainText('They differ because');
  expect(await onFirstScreen(page.getByLabel('Masking ratio', { exact: true }), page)).toBe(true);
  expect(await onFirstScreen(page.getByLabel('Masked sentence'), page)).toBe(true);
});

test('Train says what to expect, with Start, the loss and the measured curve on the first screen', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/#ep=wasm&view=train');
  const view = page.getByRole('region', { name: 'Train' });
  // The measured run of the default settings, quoted from its bench file (referenceRun.ts).
  const most = referencePointAt(0.8)!;
  await expect(view).toContainText(
    `${Math.round(most.grammatical * 100)}% by step ${most.step.toLocaleString('en')}`,
  );
  // 20.2 s for 3,600 steps: 22 s for the 4,000.
  await expect(view).toContainText(`about 22 s of training on ${REFERENCE_RUN.machine}`);
  const start = view.getByRole('button', { name: 'Start training' });
  await expect(start).toBeVisible();
  expect(await onFirstScreen(start, page)).toBe(true);
  expect(await onFirstScreen(page.getByRole('img', { name: 'Training loss' }), page)).toBe(true);
  const curve = page.getByRole('img', { name: 'Grammatical samples' });
  expect(await onFirstScreen(curve, page)).toBe(true);
  await expect(curve.locator('path.train-reference')).toHaveCount(1);
  // Another recipe has no measured curve to promise, and says so.
  const lr = view.getByLabel('Learning rate', { exact: true });
  await lr.fill('0.001');
  await lr.blur();
  await expect(curve.locator('path.train-reference')).toHaveCount(0);
  await expect(view).toContainText('How long it takes shows after the first steps');
});

test('the default settings paint: over 8 seeds, sentences of ≥ 5 words, words before [EOS]', async ({
  page,
}) => {
  const traces: SamplerTrace[] = [];
  for (let seed = 1; seed <= 8; seed++) {
    await page.goto('about:blank');
    await page.goto(`/#ep=wasm&seed=${seed}&speed=60`);
    await waitForModel(page);
    await generateButton(page).click();
    await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', {
      timeout: 90_000,
    });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export trace', exact: true }).click(),
    ]);
    const parsed = parseTrace(fs.readFileSync(await download.path(), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(parsed.trace.options).toMatchObject({ strategy: 'article', steps: 16, seed });
    traces.push(parsed.trace);
  }
  // The toy model's special ids: [MASK] 0, [PAD] 1, [EOS] 2.
  const summary = summarizePainter(traces, { mask: 0, pad: 1, eos: 2 });
  test.info().annotations.push({
    type: 'painter',
    description: `words ${summary.runs.map((r) => r.words).join(', ')}; first-half word share ${summary.firstHalfWordShare.toFixed(2)}`,
  });
  expect(summary.medianWords).toBeGreaterThanOrEqual(5);
  expect(summary.firstHalfWordShare).toBeGreaterThanOrEqual(0.5);
});

test('every comparison story writes two visibly different runs', async ({ page }) => {
  await page.goto('/#ep=wasm&speed=60');
  await waitForModel(page);
  const stories = page.getByRole('group', { name: 'Stories' }).getByRole('button');
  const titles = await stories.allTextContents();
  let compared = 0;
  for (const title of titles) {
    await page.getByRole('group', { name: 'Stories' }).getByRole('button', { name: title }).click();
    if ((await page.getByRole('region', { name: 'Run B', exact: true }).count()) === 0) continue;
    compared++;
    await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', {
      timeout: 90_000,
    });
    await expect(page.getByLabel('Sentence of run B')).toHaveAttribute('data-done', 'true', {
      timeout: 90_000,
    });
    // The order in which each run committed its positions, and the sentence it wrote.
    const order = (key: 'A' | 'B') =>
      page
        .getByRole('region', { name: `Run ${key}`, exact: true })
        .getByTestId('history-row')
        .allTextContents();
    const a = [await page.getByLabel('Result').textContent(), ...(await order('A'))];
    const b = [await page.getByLabel('Sentence of run B').textContent(), ...(await order('B'))];
    expect(a[0] !== b[0] || a.join() !== b.join(), `${title}: A and B are the same`).toBe(true);
    expect(a[0], `${title}: the sentences differ`).not.toBe(b[0]);
  }
  expect(compared).toBeGreaterThanOrEqual(3);
});

test.describe('at 390×844 (a phone)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the first row of the token strip is on the first screen, with Generate', async ({
    page,
  }) => {
    await page.goto('/#ep=wasm');
    await waitForModel(page);
    const cells = page
      .getByRole('region', { name: 'Run A', exact: true })
      .getByTestId('token-cell');
    await expect(cells.first()).toBeVisible({ timeout: 30_000 });
    expect(await onFirstScreen(cells.first(), page)).toBe(true);
    expect(await onFirstScreen(generateButton(page), page)).toBe(true);
  });

  for (const view of VIEWS) {
    test(`${view} never scrolls sideways`, async ({ page }) => {
      await page.goto(`/#ep=wasm&view=${view.toLowerCase()}`);
      await waitForModel(page);
      const width = () => page.evaluate(() => document.documentElement.scrollWidth);
      expect(await width()).toBeLessThanOrEqual(390);
      if (view === 'Generate') {
        await generateButton(page).click();
        await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', {
          timeout: 90_000,
        });
        expect(await width()).toBeLessThanOrEqual(390);
        // A comparison, too, and the drawer of settings open.
        await page.getByRole('button', { name: 'Confidence or chance' }).click();
        await page.locator('details.drawer > summary').click();
        await expect(page.getByLabel('Sentence of run B')).toHaveAttribute('data-done', 'true', {
          timeout: 90_000,
        });
        expect(await width()).toBeLessThanOrEqual(390);
      }
    });
  }
});

/**
 * The states of letting people drive (be the sampler, rewind and branch): opened one after the
 * other on the Generate view, each checked with `check`.
 */
async function driveStates(page: Page, check: (state: string) => Promise<void>) {
  await page.getByRole('button', { name: 'Be the sampler' }).click();
  const board = page.getByRole('region', { name: 'Be the sampler' });
  await expect(board.getByTestId('drive-status')).toHaveAttribute('data-status', 'deciding');
  await page.keyboard.press('Enter');
  await check('be the sampler, a guess chosen');
  await page.keyboard.press('c');
  await expect(
    page.getByRole('region', { name: 'Run A', exact: true }).getByTestId('history-row'),
  ).toHaveCount(1);
  await board.getByRole('button', { name: 'Leave' }).click();
  await generateButton(page).click();
  await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.getByRole('button', { name: 'Branch after call 4 of run A' }).click();
  await expect(page.getByRole('form', { name: 'New branch' })).toBeVisible();
  await check('the branch form');
  await page.getByRole('button', { name: 'Run branch' }).click();
  await expect(
    page.getByRole('region', { name: 'Branches' }).locator('li[data-node="branch 1"]'),
  ).toHaveAttribute('data-status', 'done');
  await check('a branch beside its parent, and the tree');
}

/** Text of at least 12 px and controls at least 32 px tall in the new parts of the view. */
async function readableAndTouchable(page: Page, state: string) {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const scopes = document.querySelectorAll('.drive, .drive-start, .tree-panel, .branch-button');
    for (const scope of scopes) {
      for (const el of [scope, ...scope.querySelectorAll('*')]) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const style = getComputedStyle(el);
        const hasText = [...el.childNodes].some(
          (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
        );
        if (hasText && parseFloat(style.fontSize) < 12)
          out.push(`${el.tagName} "${el.textContent?.slice(0, 20)}" ${style.fontSize}`);
        if (['BUTTON', 'SELECT', 'INPUT'].includes(el.tagName) && box.height < 32)
          out.push(`${el.tagName} "${el.textContent?.slice(0, 20)}" ${box.height}px tall`);
      }
    }
    return out;
  });
  expect(problems, state).toEqual([]);
}

test.describe('letting people drive at 390×844 (a phone)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('be the sampler and a branch never scroll sideways; text ≥ 12 px, targets ≥ 32 px', async ({
    page,
  }) => {
    await page.goto('/#ep=wasm&strategy=llada.low_confidence&steps=16&temp=0&speed=60');
    await waitForModel(page);
    await driveStates(page, async (state) => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, state).toBeLessThanOrEqual(390);
      await readableAndTouchable(page, state);
    });
  });
});

for (const theme of ['light', 'dark'] as const) {
  test(`axe-core finds no serious or critical problem when people drive (${theme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/#ep=wasm&strategy=llada.low_confidence&steps=16&temp=0&speed=60');
    await waitForModel(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const found: string[] = [];
    await driveStates(page, async (state) => {
      const result = await new AxeBuilder({ page }).analyze();
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          found.push(
            `${state}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(' | ')}`,
          );
        }
      }
    });
    expect(found).toEqual([]);
  });
}

/**
 * Chart text (SVG) whose colour contrasts less than 4.5:1 with the background behind it: axe-core
 * leaves SVG text out, and SVG text is black unless a style says otherwise.
 */
async function lowContrastChartText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const lin = (v: number) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length >= 3 && (c.length === 3 || c[3] > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const low: string[] = [];
    for (const text of document.querySelectorAll('svg text')) {
      const box = text.getBoundingClientRect();
      if (box.width === 0 || !text.textContent?.trim()) continue;
      const fill = rgb(getComputedStyle(text).fill);
      if (fill.length < 3) continue;
      const [a, b] = [luminance(fill), luminance(background(text))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) low.push(`chart text "${text.textContent.trim()}" at ${ratio.toFixed(1)}:1`);
    }
    return low.slice(0, 5);
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`axe-core finds no serious or critical problem on any view (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/#ep=wasm');
    await waitForModel(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const found: string[] = [];
    for (const view of VIEWS) {
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('button', { name: view })
        .click();
      if (view === 'Generate') {
        await generateButton(page).click();
        await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', {
          timeout: 90_000,
        });
        await page.locator('details.drawer > summary').click();
      }
      // Each lab is a screen of its own.
      const screens = view === 'Labs' ? ['Reversal', 'Speed', 'Likelihood'] : [view];
      for (const screen of screens) {
        if (view === 'Labs') {
          await page
            .getByRole('navigation', { name: 'Labs' })
            .getByRole('button', { name: screen })
            .click();
        }
        // Let the view settle (charts drawn, the live model answered).
        await page.waitForTimeout(1500);
        found.push(...(await lowContrastChartText(page)).map((t) => `${screen}: ${t}`));
        const result = await new AxeBuilder({ page }).analyze();
        for (const v of result.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') {
            found.push(
              `${screen}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(' | ')}`,
            );
          }
        }
      }
    }
    expect(found).toEqual([]);
  });
}

test('the theme toggle switches and is remembered across a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/#ep=wasm');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const background = await page.evaluate(
    () => getComputedStyle(document.documentElement).backgroundColor,
  );
  expect(background).not.toBe('rgb(246, 245, 241)');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
