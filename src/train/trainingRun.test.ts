import { describe, expect, it } from 'vitest';
import { getCorpus } from '../core/corpus';
import { initParameters } from '../model/init';
import { buildParameterLayout } from '../model/parameterLayout';
import {
  deserializeCheckpoint,
  serializeCheckpoint,
  type StoredCheckpoint,
  type TrainingCheckpoint,
} from './checkpointStore';
import { createCpuStepBackend, type StepBackend } from './cpuStepBackend';
import { addStepRows, emptyLossByRatio, ratioBuckets } from './lossByMaskingRatio';
import type { StepRecord } from './lossReadback';
import {
  AVERAGE_EVERY,
  AVERAGE_HALF_LIFE,
  DEFAULT_PACING,
  TrainingRun,
  type RunReports,
} from './trainingRun';
import { historyResolution, restoreHistory, withLosses, type HistoryPoint } from './lossHistory';
import { learningRateAt } from '../model/lrSchedule';
import {
  configForPreset,
  DEFAULT_SETTINGS,
  scheduleFor,
  type TrainingProgress,
  type TrainingSettings,
} from './trainingProtocol';

const corpus = getCorpus('toy-sentences');
const layout = buildParameterLayout(configForPreset('tiny', corpus.vocab.size, corpus.seqLen));
const settings: TrainingSettings = {
  ...DEFAULT_SETTINGS,
  preset: 'tiny',
  steps: 30,
  batch: 8,
  lr: 1e-2,
  backend: 'cpu',
  checkpointEvery: 10,
  sampleEvery: 1000,
};

function reports(onCheckpoint: (c: TrainingCheckpoint) => void = () => {}): RunReports {
  return {
    progress: () => {},
    saveCheckpoint: (c) => {
      onCheckpoint(c);
      return Promise.resolve();
    },
  };
}

const freshBackend = () =>
  createCpuStepBackend(
    layout,
    initParameters(layout, settings.seed, (n) => new Float32Array(n)),
  );

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A run whose loss history holds at most `cap` points (the page's own cap is far larger). */
const cappedRun = (
  cap: number,
  runReports: RunReports = reports(),
  from?: TrainingCheckpoint,
  backend: StepBackend = freshBackend(),
  runSettings: TrainingSettings = settings,
) =>
  new TrainingRun(
    runSettings,
    corpus,
    layout,
    backend,
    'cpu',
    runReports,
    from,
    DEFAULT_PACING,
    cap,
  );

describe('TrainingRun on the CPU reference', () => {
  it('samples and exports the weight average of every 10th step, not the last weights', async () => {
    const saved: TrainingCheckpoint[] = [];
    const backend = freshBackend();
    const run = new TrainingRun(
      settings,
      corpus,
      layout,
      backend,
      'cpu',
      reports((c) => saved.push(c)),
    );
    await run.run();
    // Checkpoints every 10 steps hold the raw weights the average was updated with.
    const raw = saved.filter((c) => c.step > 0).map((c) => c.params);
    expect(saved.map((c) => c.step)).toEqual([0, 10, 20, 30]);
    const keep = Math.pow(0.5, AVERAGE_EVERY / AVERAGE_HALF_LIFE);
    const expected = Float64Array.from(raw[0]);
    for (const p of raw.slice(1)) {
      for (let i = 0; i < expected.length; i++) expected[i] += (1 - keep) * (p[i] - expected[i]);
    }
    const { params } = await run.denoiser();
    let worst = 0;
    for (let i = 0; i < params.length; i++)
      worst = Math.max(worst, Math.abs(params[i] - expected[i]));
    expect(worst).toBeLessThan(1e-6);
    // …and they are not the last weights.
    const last = await backend.readParams();
    expect(last.some((x, i) => Math.abs(x - params[i]) > 1e-4)).toBe(true);
  });

  it('trains: the loss falls over 30 steps of the tiny preset', async () => {
    const run = new TrainingRun(settings, corpus, layout, freshBackend(), 'cpu', reports());
    expect(await run.run()).toEqual({ kind: 'finished' });
    const losses = run.history.map((p) => p.loss);
    expect(run.history.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) - 0.3);
  });

  it('reports every loss once, in order, with checkpoints and samples in the same report', async () => {
    const reported: TrainingProgress[] = [];
    const run = new TrainingRun(
      { ...settings, sampleEvery: 15 },
      corpus,
      layout,
      freshBackend(),
      'cpu',
      { ...reports(), progress: (p) => reported.push(p) },
    );
    await run.run();
    // Shorter than the history's cap: one point per step, each as reported.
    expect(run.history).toEqual(reported.flatMap((p) => p.points).map((p) => ({ ...p, span: 1 })));
    expect(reported.filter((p) => p.checkpointStep !== null).map((p) => p.checkpointStep)).toEqual([
      10, 20, 30,
    ]);
    expect(reported.filter((p) => p.samples).map((p) => p.samples!.step)).toEqual([15, 30]);
    expect(reported.at(-1)!.step).toBe(30);
    expect(reported.at(-1)!.stepsPerSecond).toBeGreaterThan(0);
  });

  it('a run stopped at a checkpoint and resumed from it continues exactly', async () => {
    const straightBackend = freshBackend();
    const straight = new TrainingRun(settings, corpus, layout, straightBackend, 'cpu', reports());
    await straight.run();

    let saved: TrainingCheckpoint | null = null;
    const first: TrainingRun = new TrainingRun(
      settings,
      corpus,
      layout,
      freshBackend(),
      'cpu',
      reports((c) => {
        saved = c;
        if (c.step === 10) first.requestStop();
      }),
    );
    expect(await first.run()).toEqual({ kind: 'paused' });
    expect(first.step).toBe(10);
    // Through the stored form, as after a page reload; onto a backend with other weights.
    const stored = deserializeCheckpoint(structuredClone(serializeCheckpoint(saved!)));
    const other = createCpuStepBackend(layout, new Float32Array(layout.total));
    const second = new TrainingRun(settings, corpus, layout, other, 'cpu', reports(), stored);
    expect(await second.run()).toEqual({ kind: 'finished' });
    expect(second.history).toEqual(straight.history);
    expect(second.ratioLoss).toEqual(straight.ratioLoss);
    expect(await other.readParams()).toEqual(await straightBackend.readParams());
    // The weight average travels in the checkpoint: what samples and exports use is the same too.
    expect(stored.average).not.toBeNull();
    expect((await second.denoiser()).params).toEqual((await straight.denoiser()).params);
  });

  it('past its cap the history thins, and the page, fed the reports, holds the same one', async () => {
    const reported: TrainingProgress[] = [];
    const cap = 4;
    const run = cappedRun(
      cap,
      { ...reports(), progress: (p) => reported.push(p) },
      undefined,
      freshBackend(),
      { ...settings, sampleEvery: 15 },
    );
    await run.run();
    // 30 steps at most 4 points: 8 steps a point (after 4, 8 and 16), the last covering 6.
    expect(run.history.map((p) => [p.step, p.span])).toEqual([
      [8, 8],
      [16, 8],
      [24, 8],
      [30, 6],
    ]);
    const steps = reported.flatMap((p) => p.points);
    expect(steps.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const mean = (from: number, to: number) =>
      steps.slice(from, to).reduce((sum, p) => sum + p.loss, 0) / (to - from);
    run.history.forEach((p, i) =>
      expect(p.loss).toBeCloseTo(mean(8 * i, Math.min(30, 8 * i + 8)), 12),
    );
    // The page: the 'started' history (empty), then each report through the store's update.
    let page: readonly HistoryPoint[] = [];
    for (const r of reported) page = withLosses(page, r.points, cap);
    expect(page).toEqual(run.history);
  });

  it('a thinned history resumed from a checkpoint (partly filled last point) continues exactly', async () => {
    const cap = 4;
    const straight = cappedRun(cap);
    await straight.run();
    expect(historyResolution(straight.history)).toBe(8);

    let saved: TrainingCheckpoint | null = null;
    const first: TrainingRun = cappedRun(
      cap,
      reports((c) => {
        saved = c;
        if (c.step === 10) first.requestStop();
      }),
    );
    await first.run();
    // At step 10: points of 4 steps, the last one half full.
    expect(saved!.history.map((p) => p.span)).toEqual([4, 4, 2]);
    const stored = deserializeCheckpoint(structuredClone(serializeCheckpoint(saved!)));
    const reported: TrainingProgress[] = [];
    const second = cappedRun(
      cap,
      { ...reports(), progress: (p) => reported.push(p) },
      stored,
      createCpuStepBackend(layout, new Float32Array(layout.total)),
    );
    // The page starts from the history the worker's 'started' message carries.
    let page: readonly HistoryPoint[] = second.history.slice();
    await second.run();
    expect(second.history).toEqual(straight.history);
    for (const r of reported) page = withLosses(page, r.points, cap);
    expect(page).toEqual(straight.history);
  });

  it('a checkpoint from before the history was bounded (a point per step) resumes into the thinned one', async () => {
    const cap = 4;
    const straight = cappedRun(cap);
    await straight.run();
    // Saved by a run that kept every step, without the span column (as the earlier code wrote).
    let saved: TrainingCheckpoint | null = null;
    const first: TrainingRun = new TrainingRun(
      settings,
      corpus,
      layout,
      freshBackend(),
      'cpu',
      reports((c) => {
        saved = c;
        if (c.step === 20) first.requestStop();
      }),
    );
    await first.run();
    const older: Partial<StoredCheckpoint> = serializeCheckpoint(saved!);
    delete older.historySpans;
    const stored = deserializeCheckpoint(structuredClone(older));
    expect(stored.history).toHaveLength(20);
    const second = cappedRun(
      cap,
      reports(),
      stored,
      createCpuStepBackend(layout, new Float32Array(layout.total)),
    );
    expect(second.history).toEqual(restoreHistory(stored.history, cap));
    expect(second.history).toHaveLength(3);
    await second.run();
    expect(second.history).toEqual(straight.history);
  });

  it('rolls back to the last checkpoint when a loss is not finite', async () => {
    const inner = freshBackend();
    // Step 14's record reports NaN, as a diverging GPU step would.
    const poisoned: StepBackend = {
      ...inner,
      get stepCount() {
        return inner.stepCount;
      },
      step: (b, lr) => inner.step(b, lr),
      takeLoss: () => inner.takeLoss().map((r) => (r.step === 14 ? { ...r, loss: NaN } : r)),
      readLoss: async () =>
        (await inner.readLoss()).map((r) => (r.step === 14 ? { ...r, loss: NaN } : r)),
    };
    const checkpoints: TrainingCheckpoint[] = [];
    const run = new TrainingRun(
      settings,
      corpus,
      layout,
      poisoned,
      'cpu',
      reports((c) => checkpoints.push(c)),
    );
    const outcome = await run.run();
    expect(outcome).toMatchObject({ kind: 'rolledBack', badStep: 14 });
    expect(run.step).toBe(10);
    expect(run.history.length).toBe(10);
    const at10 = checkpoints.find((c) => c.step === 10)!;
    expect(await inner.readParams()).toEqual(at10.params);
    expect(inner.stepCount).toBe(10);
  });

  it('a really diverging run (learning rate 1e6) is caught and rolled back', async () => {
    const backend = freshBackend();
    const diverging = { ...settings, lr: 1e6, checkpointEvery: 2 };
    const checkpoints: number[] = [];
    const run = new TrainingRun(
      diverging,
      corpus,
      layout,
      backend,
      'cpu',
      reports((c) => checkpoints.push(c.step)),
    );
    const outcome = await run.run();
    expect(outcome.kind).toBe('rolledBack');
    expect(run.step).toBe(checkpoints.at(-1));
    expect(run.history.every((p) => Number.isFinite(p.loss))).toBe(true);
    expect((await backend.readParams()).every(Number.isFinite)).toBe(true);
  });

  it('a diverged run is rescued: a lower learning rate set while paused is the one used, and kept', async () => {
    const backend = freshBackend();
    const checkpoints: TrainingCheckpoint[] = [];
    const run = new TrainingRun(
      { ...settings, lr: 1e6, checkpointEvery: 2 },
      corpus,
      layout,
      backend,
      'cpu',
      reports((c) => checkpoints.push(c)),
    );
    expect((await run.run()).kind).toBe('rolledBack');
    const resumedAt = run.step;
    // The same rate diverges again at once; a lower one goes on to the last step.
    run.updateSettings({ lr: 1e-2 });
    expect(await run.run()).toEqual({ kind: 'finished' });
    expect(run.step).toBe(30);
    expect(run.history.every((p) => Number.isFinite(p.loss))).toBe(true);
    // Every step after the rescue ran at the new schedule's rate…
    const schedule = scheduleFor({ steps: 30, lr: 1e-2 });
    for (const p of run.history.filter((q) => q.step > resumedAt)) {
      expect(p.lr).toBeCloseTo(learningRateAt(p.step - 1, schedule), 12);
    }
    // …and the checkpoints after it keep it, so a reload resumes with it too.
    expect(checkpoints.at(-1)!.settings.lr).toBe(1e-2);
    expect(checkpoints.at(-1)!.step).toBe(30);
  });

  it('takes only the mid-run settings, and refuses ones that cannot describe the run', async () => {
    const run = new TrainingRun(settings, corpus, layout, freshBackend(), 'cpu', reports());
    run.updateSettings({ steps: 50, checkpointEvery: 5, sampleEvery: 7, weighting: 'mean' });
    expect(run.settings).toEqual({
      ...settings,
      steps: 50,
      checkpointEvery: 5,
      sampleEvery: 7,
      weighting: 'mean',
    });
    // A field that defines the run (the batch: every buffer's size) is not a mid-run setting.
    run.updateSettings({ batch: 64 } as never);
    expect(run.settings.batch).toBe(8);
    expect(() => run.updateSettings({ lr: -1, checkpointEvery: 0 })).toThrow(
      'Learning rate: must be a number above 0, not -1. Checkpoint every: must be a whole number of at least 1, not 0.',
    );
    expect(run.settings.lr).toBe(settings.lr);
    run.step = 20;
    expect(() => run.updateSettings({ steps: 10 })).toThrow(
      'Steps: the run is at step 20, so at least 20, not 10.',
    );
  });

  it('decodes samples from the current weights, judged by the corpus oracle', async () => {
    const run = new TrainingRun(settings, corpus, layout, freshBackend(), 'cpu', reports());
    const { samples, judged } = await run.decodeSamples();
    expect(samples).toHaveLength(4);
    // Sixteen judged, the four shown among them.
    expect(judged.total).toBe(16);
    expect(judged.valid).toBeGreaterThanOrEqual(samples.filter((s) => s.valid).length);
    expect(judged.valid).toBeLessThanOrEqual(12 + samples.filter((s) => s.valid).length);
    for (const s of samples) {
      expect(typeof s.text).toBe('string');
      if (s.valid) expect(corpus.isValid(s.text.split(' '))).toBe(true);
      // The trace replays the painting: one record per call of the S = L schedule, ending in
      // the window whose text is shown.
      expect(s.trace.records).toHaveLength(corpus.seqLen);
      expect(s.trace.records.at(-1)!.after).toEqual(s.trace.final);
      expect(corpus.vocab.decode(s.trace.final)).toBe(s.text);
    }
  });

  it("pairs each row's t with its own loss, even when the records arrive steps late", async () => {
    const inner = freshBackend();
    const batchT: Float64Array[] = [];
    const produced: StepRecord[] = [];
    let held: StepRecord[] = [];
    const collect = (records: StepRecord[]) => {
      produced.push(...records);
      held.push(...records);
    };
    // Like the GPU trainer: records come back in groups, up to three steps behind.
    const late: StepBackend = {
      ...inner,
      get stepCount() {
        return inner.stepCount;
      },
      step: (b, lr) => {
        batchT.push(b.t!.slice());
        inner.step(b, lr);
      },
      takeLoss: () => {
        collect(inner.takeLoss());
        if (held.length < 3) return [];
        const out = held;
        held = [];
        return out;
      },
      readLoss: async () => {
        collect(await inner.readLoss());
        const out = held;
        held = [];
        return out;
      },
    };
    const reported: TrainingProgress[] = [];
    const run = new TrainingRun(settings, corpus, layout, late, 'cpu', {
      ...reports(),
      progress: (p) => reported.push(p),
    });
    await run.run();
    // The reference: every step's rows, in step order, with the t of the batch of that step.
    expect(produced.map((r) => r.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    let expected = emptyLossByRatio();
    for (const r of produced) expected = addStepRows(expected, batchT[r.step - 1], r.rowLoss);
    expect(run.ratioLoss).toEqual(expected);
    const last = reported.at(-1)!.ratioLoss;
    expect(last).toEqual(ratioBuckets(expected));
    expect(last.reduce((n, b) => n + b.rows, 0)).toBe(30 * settings.batch);
  });

  it('decodes at most once per minSampleIntervalMs of training, and always at the last step', async () => {
    // A clock that each step moves by 100 ms: decodes due every step, allowed once a second.
    let now = 0;
    const inner = freshBackend();
    const backend: StepBackend = {
      ...inner,
      step: (batch, lr) => {
        now += 100;
        inner.step(batch, lr);
      },
    };
    const decodedAt: number[] = [];
    const run = new TrainingRun(
      { ...settings, sampleEvery: 1 },
      corpus,
      layout,
      backend,
      'cpu',
      {
        progress: (p) => {
          if (p.samples && decodedAt[decodedAt.length - 1] !== p.samples.step) {
            decodedAt.push(p.samples.step);
          }
        },
        saveCheckpoint: () => Promise.resolve(),
      },
      undefined,
      { minSampleIntervalMs: 1000, clock: () => now },
    );
    expect(await run.run()).toEqual({ kind: 'finished' });
    expect(decodedAt).toEqual([1, 11, 21, 30]);
  });
});
