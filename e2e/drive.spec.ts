import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import { parseTrace } from '../src/core/sampler';
import { openSettings } from './generatePage';

/**
 * Letting people drive (issue 15): be the sampler with the keyboard alone, ending with a
 * strategy's run from the same start beside it; rewind and branch, the tree and any two nodes
 * side by side, and a branch that reuses its parent's model calls (the worker's counts).
 */

async function open(page: Page, hash: string) {
  await page.goto(`/#ep=wasm&${hash}`);
  await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute(
    'data-provider',
    'wasm',
    { timeout: 90_000 },
  );
}

const runA = (page: Page) => page.getByRole('region', { name: 'Run A', exact: true });
const runB = (page: Page) => page.getByRole('region', { name: 'Run B', exact: true });
const board = (page: Page) => page.getByRole('region', { name: 'Be the sampler' });
const status = (page: Page) => board(page).getByTestId('drive-status');

/** Goes to frame f of the shown runs with the transport keys. */
async function seek(page: Page, f: number) {
  await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Home');
  for (let i = 0; i < f; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByLabel('Timeline')).toHaveValue(String(f));
}

async function download(page: Page, button: ReturnType<Page['getByRole']>) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return fs.readFileSync(await file.path(), 'utf8');
}

test('be the sampler with the keyboard, then a strategy from the same start beside it', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, 'strategy=llada.low_confidence&steps=16&temp=0&seed=3&speed=60');
  await page.getByRole('button', { name: 'Be the sampler' }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'deciding');
  // The keys are said on screen.
  await expect(board(page)).toContainText('Enter or Space choose');
  await expect(board(page)).toContainText('C commit the chosen and call the model');
  const guesses = board(page).locator('button[data-testid="board-cell"]');
  await expect(guesses).toHaveCount(16);
  // Every masked position shows a guess and its confidence.
  await expect(guesses.first()).toHaveAccessibleName(/^position 1: \S+ \d+%, the model's guess$/);
  await expect(guesses.first()).toBeFocused();

  // Call 1: → → Enter chooses position 3, Space chooses 4 after →; C commits both.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press(' ');
  await expect(board(page).locator('[data-state="chosen"]')).toHaveCount(2);
  await page.keyboard.press('c');
  await expect(runA(page).getByTestId('history-row')).toHaveCount(1);
  await expect(runA(page).getByTestId('history-row').first()).toHaveAttribute(
    'data-committed',
    '2',
  );
  await expect(status(page)).toHaveAttribute('data-status', 'deciding');
  await expect(guesses).toHaveCount(14);

  // Call 2: W, a word of my own at the focused position, Enter writes it; C commits it.
  await expect(guesses.first()).toBeFocused();
  const guess = /^position 1: (\S+) /.exec(
    (await guesses.first().getAttribute('aria-label')) ?? '',
  )![1];
  const mine = guess === 'cat' ? 'dog' : 'cat';
  await page.keyboard.press('w');
  await expect(board(page).getByLabel('Your word')).toBeFocused();
  await page.keyboard.type(mine);
  await page.keyboard.press('Enter');
  await expect(guesses.first()).toBeFocused();
  await expect(guesses.first()).toHaveAccessibleName(`position 1: ${mine} yours, your word`);
  await expect(guesses.first()).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('c');
  await expect(runA(page).getByTestId('history-row')).toHaveCount(2);

  // Then two positions a call until nothing is masked.
  for (let call = 3; call <= 20; call++) {
    if ((await status(page).getAttribute('data-status')) === 'done') break;
    await expect(status(page)).toHaveAttribute('data-status', 'deciding');
    const left = await guesses.count();
    await page.keyboard.press('Enter');
    if (left > 1) {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
    }
    await page.keyboard.press('c');
    await expect
      .poll(async () =>
        (await status(page).getAttribute('data-status')) === 'done' ? 0 : guesses.count(),
      )
      .toBeLessThan(left);
  }
  await expect(status(page)).toHaveAttribute('data-status', 'done');
  const calls = await runA(page).getByTestId('history-row').count();
  expect(calls).toBe(9); // 2, 1, then 13 positions two at a time
  await expect(runA(page)).toHaveAttribute('data-strategy', 'human');
  await expect(page.getByLabel('Model calls', { exact: true })).toHaveAttribute(
    'data-records',
    String(calls),
  );

  // The comparison: LLaDA from the same start, as run B.
  await board(page).getByLabel('Compare with').selectOption('llada.low_confidence');
  await board(page).getByRole('button', { name: 'Compare', exact: true }).click();
  const result = board(page).getByTestId('drive-comparison');
  await expect(result).toHaveAttribute('data-you-calls', String(calls));
  await expect(result).toHaveAttribute('data-strategy-calls', '16');
  // The shipped model's toy corpus has an exact oracle: both runs get a verdict.
  for (const cell of await result.locator('td[data-valid]').all()) {
    expect(['true', 'false']).toContain(await cell.getAttribute('data-valid'));
  }
  await expect(result).toContainText(/You differ at \d+ positions?|You wrote the same window/);
  await expect(runB(page)).toHaveAttribute('data-strategy', 'llada.low_confidence');
  await expect(page.getByLabel('Sentence of run B')).toHaveAttribute('data-done', 'true');

  // The person's run is a trace like any other: it exports, and imports to play back.
  const text = await download(
    page,
    page.getByRole('button', { name: 'Export trace', exact: true }),
  );
  const parsed = parseTrace(text);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  expect(parsed.trace.options.strategy).toBe('human');
  expect(parsed.trace.records).toHaveLength(calls);
  // Call 2 wrote my word at position 1, not the model's guess.
  expect(parsed.trace.records[1].status[0]).toBe('committed');
  expect(parsed.trace.records[1].after[0]).not.toBe(parsed.trace.records[1].prediction[0]);
  await openSettings(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import trace' }).click(),
  ]);
  await chooser.setFiles({
    name: 'mine.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(runA(page)).toHaveAttribute('data-source', 'import');
  await expect(runA(page).getByTestId('history-row')).toHaveCount(calls);
  // The mode ends when another run takes the stage.
  await expect(board(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a branch re-uses its parent’s calls; branches form a tree; any two side by side', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, 'strategy=llada.low_confidence&steps=16&temp=0&seed=5&speed=60');
  await page
    .getByRole('region', { name: 'Generate' })
    .getByRole('button', { name: 'Generate', exact: true })
    .click();
  await expect(page.getByLabel('Model calls', { exact: true })).toHaveAttribute(
    'data-calls',
    '16',
    { timeout: 90_000 },
  );

  // Rewind to call 6 and branch with the same settings: the sampler continues where it was,
  // every one of its 10 calls is a window the model already saw, so none reaches the model.
  await seek(page, 6);
  await runA(page).getByRole('button', { name: 'Branch after call 6 of run A' }).click();
  const form = page.getByRole('form', { name: 'New branch' });
  await expect(form).toContainText('keeps calls 1–6');
  await form.getByRole('button', { name: 'Run branch' }).click();
  const tree = page.getByRole('region', { name: 'Branches' });
  const first = tree.locator('li[data-node="branch 1"]');
  await expect(first).toHaveAttribute('data-status', 'done');
  await expect(first).toHaveAttribute('data-shared', '6');
  await expect(first).toHaveAttribute('data-calls', '0');
  await expect(first).toHaveAttribute('data-reused', '10');
  await expect(runA(page)).toHaveAttribute('data-source', 'branch');
  await expect(page.getByLabel('Model calls', { exact: true })).toHaveAttribute('data-calls', '0');
  await expect(page.getByLabel('Model calls', { exact: true })).toHaveAttribute(
    'data-records',
    '16',
  );
  // Shown beside its parent, which it equals.
  await expect(runB(page)).toHaveAttribute('data-source', 'model');
  await expect(tree.getByLabel('Where A and B differ')).toHaveAttribute('data-differ', '0');

  // From the branch, after call 9: Fast-dLLM. It restarts on that window; its first input (the
  // window after call 9, t = the masked fraction, as LLaDA's) is read from the cache.
  await seek(page, 9);
  await runA(page).getByRole('button', { name: 'Branch after call 9 of run A' }).click();
  await form.getByLabel('Branch strategy').selectOption('fastdllm.threshold');
  await expect(form).toContainText('starts afresh');
  await form.getByRole('button', { name: 'Run branch' }).click();
  const second = tree.locator('li[data-node="branch 2"]');
  await expect(second).toHaveAttribute('data-status', 'done');
  await expect(second).toHaveAttribute('data-shared', '9');
  expect(Number(await second.getAttribute('data-reused'))).toBeGreaterThanOrEqual(1);
  await expect(runA(page)).toHaveAttribute('data-strategy', 'fastdllm.threshold');
  // It sits under branch 1 in the tree.
  const indent = async (name: string) =>
    tree
      .locator(`li[data-node="${name}"]`)
      .evaluate((li) => parseFloat(getComputedStyle(li).marginInlineStart));
  expect(await indent('branch 2')).toBeGreaterThan(await indent('branch 1'));
  expect(await indent('branch 1')).toBeGreaterThan(await indent('the run'));

  // A pinned word from the root, after call 3.
  await tree.getByRole('button', { name: 'Show the run as run A' }).click();
  await expect(runA(page)).toHaveAttribute('data-source', 'model');
  await seek(page, 3);
  await runA(page).getByRole('button', { name: 'Branch after call 3 of run A' }).click();
  const pinOption = form.getByLabel('Pin position').locator('option', { hasText: '[M]' }).first();
  const pinAt = Number(await pinOption.getAttribute('value'));
  await form.getByLabel('Pin position').selectOption(String(pinAt));
  await form.getByLabel('Pinned word').fill('cat');
  await form.getByRole('button', { name: 'Run branch' }).click();
  const third = tree.locator('li[data-node="branch 3"]');
  await expect(third).toHaveAttribute('data-status', 'done');
  await expect(third).toContainText(`pinned cat at ${pinAt + 1}`);
  await expect(page.getByLabel('Result')).toHaveAttribute('data-done', 'true', { timeout: 30_000 });
  await expect(
    runA(page).locator(`[data-testid="token-cell"][data-position="${pinAt}"]`),
  ).toHaveAttribute('data-status', 'pinned');

  // Any two nodes side by side: branch 2 as A, branch 3 beside it.
  await tree.getByRole('button', { name: 'Show branch 2 as run A' }).click();
  await tree.getByRole('button', { name: 'Show branch 3 beside, as run B' }).click();
  await expect(runA(page)).toHaveAttribute('data-strategy', 'fastdllm.threshold');
  await expect(runB(page)).toHaveAttribute('data-source', 'branch');
  await expect(tree.getByLabel('Where A and B differ')).toBeVisible();
  // ↑/↓ move between the nodes.
  await tree.getByRole('button', { name: 'Show branch 2 as run A' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(tree.getByRole('button', { name: 'Show branch 3 as run A' })).toBeFocused();

  // A branch's trace carries its parent and branch point, and imports as a whole run.
  const text = await download(
    page,
    runB(page).getByRole('button', { name: 'Export trace of run B' }),
  );
  const parsed = parseTrace(text);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  expect(parsed.trace.lineage?.parent).toMatchObject({ atCall: 3, mode: 'continue' });
  expect(parsed.trace.lineage?.pins).toEqual([
    { position: pinAt, token: parsed.trace.final[pinAt], fromCall: 3 },
  ]);
  await openSettings(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import trace' }).click(),
  ]);
  await chooser.setFiles({
    name: 'branch.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(runA(page)).toHaveAttribute('data-source', 'import');
  await expect(page.getByRole('alert', { name: 'Import problem' })).toHaveCount(0);
  await expect(runA(page).getByTestId('history-row')).toHaveCount(parsed.trace.records.length);
  expect(errors).toEqual([]);
});

/** The CPU time of the page's main-thread tasks while `act` runs (Chrome's trace). */
async function mainThreadTasks(page: Page, browser: Browser, act: () => Promise<void>) {
  await browser.startTracing(page, { categories: ['toplevel'] });
  await act();
  const trace = JSON.parse((await browser.stopTracing()).toString()) as {
    traceEvents: {
      name: string;
      ph: string;
      pid: number;
      tid: number;
      tdur?: number;
      args?: { name?: string };
    }[];
  };
  const mains = trace.traceEvents.filter(
    (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  const tasksOf = (m: { pid: number; tid: number }) =>
    trace.traceEvents
      .filter(
        (e) =>
          e.ph === 'X' &&
          (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
          e.pid === m.pid &&
          e.tid === m.tid,
      )
      .map((e) => (e.tdur ?? 0) / 1000);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return mains.map(tasksOf).sort((a, b) => sum(b) - sum(a))[0] ?? [];
}

test('no main-thread task over 50 ms of CPU while a person drives and a branch runs', async ({
  page,
  browser,
}) => {
  await open(page, 'strategy=llada.low_confidence&steps=16&temp=0&seed=7&speed=60');
  const byWaiting = (selector: string, attr: string, value: string) =>
    page.waitForFunction(
      ([s, a, v]) => document.querySelector(s)?.getAttribute(a) === v,
      [selector, attr, value],
      { polling: 250, timeout: 90_000 },
    );
  const driving = await mainThreadTasks(page, browser, async () => {
    await page.getByRole('button', { name: 'Be the sampler' }).click();
    for (let call = 0; call < 4; call++) {
      await byWaiting('[data-testid="drive-status"]', 'data-status', 'deciding');
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await page.keyboard.press('c');
    }
    await byWaiting('[data-testid="drive-status"]', 'data-status', 'deciding');
    await page.getByRole('button', { name: 'Leave' }).click();
  });
  await page
    .getByRole('region', { name: 'Generate' })
    .getByRole('button', { name: 'Generate', exact: true })
    .click();
  await byWaiting('[aria-label="Result"]', 'data-done', 'true');
  await seek(page, 5);
  const branching = await mainThreadTasks(page, browser, async () => {
    await page.getByRole('button', { name: 'Branch after call 5 of run A' }).click();
    await page.getByLabel('Branch strategy').selectOption('dream.entropy');
    await page.getByRole('button', { name: 'Run branch' }).click();
    await byWaiting('li[data-node="branch 1"]', 'data-status', 'done');
    await page.getByRole('button', { name: 'Show the run as run A' }).click();
    await page.getByRole('button', { name: 'Show branch 1 beside, as run B' }).click();
    // Shown at the frame they were picked at; End shows both finished.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('End');
    await byWaiting('[aria-label="Sentence of run B"]', 'data-done', 'true');
  });
  test.info().annotations.push({
    type: 'main thread',
    description: `largest task: driving ${Math.max(...driving).toFixed(1)} ms CPU over ${driving.length} tasks, branching ${Math.max(...branching).toFixed(1)} ms over ${branching.length}`,
  });
  expect(Math.max(...driving)).toBeLessThan(50);
  expect(Math.max(...branching)).toBeLessThan(50);
});
