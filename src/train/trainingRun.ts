/**
 * One training run, whatever executes the steps (the WebGPU trainer or the CPU reference): the
 * seeded data and mask streams, the schedule, loss bookkeeping, checkpoints, the roll-back on a
 * non-finite loss and the sample decodes. The worker (trainingWorker.ts) owns one and forwards
 * its reports; tests drive it directly on the CPU backend.
 */
import type { Corpus } from '../core/corpus';
import type { Denoiser } from '../core/denoiser';
import { Rng } from '../core/rng';
import { runSamplerToEnd } from '../core/sampler';
import { maskedDiffusionBatch } from '../model/cpuTrainer';
import { forward } from '../model/forward';
import { learningRateAt } from '../model/lrSchedule';
import type { ParameterLayout } from '../model/parameterLayout';
import type { TrainingCheckpoint } from './checkpointStore';
import { stepsBehind, withMidRunSettings, type MidRunSettings } from './midRunSettings';
import { checkSettings } from './settingsProblems';
import type { StepBackend } from './cpuStepBackend';
import {
  addStepRows,
  emptyLossByRatio,
  type LossByRatioState,
  ratioBuckets,
} from './lossByMaskingRatio';
import type { StepRecord } from './lossReadback';
import { WeightAverage } from './weightAverage';
import { LOSS_HISTORY_CAP, pushLoss, restoreHistory, type HistoryPoint } from './lossHistory';
import {
  type LossPoint,
  scheduleFor,
  throughput,
  type DecodedSamples,
  type TrainingProgress,
  type TrainingSample,
  type TrainingSettings,
} from './trainingProtocol';

export interface RunReports {
  progress(p: TrainingProgress): void;
  /** Persists a checkpoint; the run waits for it. */
  saveCheckpoint(c: TrainingCheckpoint): Promise<void>;
}

export type RunOutcome =
  | { kind: 'finished' }
  | { kind: 'paused' }
  | { kind: 'rolledBack'; badStep: number; badLoss: number };

/** Milliseconds between progress reports: the page re-renders at most this often. */
const REPORT_EVERY_MS = 100;
/** How many samples each decode shows; seeds are fixed so the same noise is seen improving. */
const SAMPLE_COUNT = 4;
/**
 * How many samples each decode judges (the shown ones among them): four sentences make a share
 * too noisy to read against the measured curve (a model at 72% showed 1 of 4 at seeds 1000–1003).
 */
const JUDGED_COUNT = 16;

const nowMs = () => performance.now();

export interface RunPacing {
  /**
   * Least training time between two sample decodes. Four samples cost ≈ 150 ms of CPU (64
   * forwards of the reference at batch 1): on a GPU that trains 50 steps in 0.2 s, decoding at
   * every sampleEvery steps would take more time than the training. Due decodes closer than
   * this are skipped; the last step always decodes.
   */
  minSampleIntervalMs: number;
  /** Milliseconds, for the rates and the interval (tests pass their own). */
  clock: () => number;
}

export const DEFAULT_PACING: RunPacing = { minSampleIntervalMs: 1000, clock: nowMs };

/** The weight average samples and exports come from (weightAverage.ts): half-life 100 steps. */
export const AVERAGE_HALF_LIFE = 100;
export const AVERAGE_EVERY = 10;

export class TrainingRun {
  step: number;
  /** Bounded (lossHistory.ts): every step up to the cap, then means over 2, 4, … steps. */
  history: HistoryPoint[];
  /** The recent loss per masking-ratio bucket (lossByMaskingRatio.ts). */
  ratioLoss: LossByRatioState;
  /** Each submitted step's row ratios t, until its record (with the row losses) arrives. */
  private readonly pendingT = new Map<number, Float64Array>();
  private dataRng: Rng;
  private maskRng: Rng;
  private stopRequested = false;
  private lastCheckpoint: TrainingCheckpoint | null = null;
  /** What samples and exports use; starts again from a restored checkpoint's weights. */
  readonly average = new WeightAverage(AVERAGE_HALF_LIFE, AVERAGE_EVERY);

  constructor(
    /** Replaced between stretches by updateSettings (the mid-run fields only). */
    public settings: TrainingSettings,
    readonly corpus: Corpus,
    readonly layout: ParameterLayout,
    private readonly backend: StepBackend,
    readonly backendName: string,
    private readonly reports: RunReports,
    from?: TrainingCheckpoint,
    private readonly pacing: RunPacing = DEFAULT_PACING,
    /** The history's cap; the page's must be the same (tests use small ones). */
    private readonly historyCap = LOSS_HISTORY_CAP,
  ) {
    if (from) {
      this.step = from.step;
      this.history = restoreHistory(from.history, historyCap);
      this.ratioLoss = from.ratioLoss ?? emptyLossByRatio();
      this.dataRng = new Rng(from.dataRng);
      this.maskRng = new Rng(from.maskRng);
      this.lastCheckpoint = from;
      this.average.restore(from.average);
      backend.loadState({
        params: from.params,
        optimizer: { m: from.m, v: from.v, step: from.optimizerStep },
      });
    } else {
      this.step = 0;
      this.history = [];
      this.ratioLoss = emptyLossByRatio();
      this.dataRng = new Rng((settings.seed ^ 0x5eed) >>> 0);
      this.maskRng = new Rng((settings.seed ^ 0x3a5c) >>> 0);
    }
  }

  get done(): boolean {
    return this.step >= this.settings.steps;
  }

  /**
   * Takes on new mid-run settings (midRunSettings.ts) while the loop is stopped: the next step
   * uses them (the learning-rate schedule is rebuilt from them) and the next checkpoint keeps
   * them. Throws, naming every problem, for settings that cannot describe the run.
   */
  updateSettings(patch: Partial<MidRunSettings>): void {
    const next = withMidRunSettings(this.settings, patch);
    checkSettings(next);
    if (next.steps < this.step) throw new Error(stepsBehind('the run', this.step, next.steps));
    this.settings = next;
  }

  /** Asks the running loop to stop after the current step (it then saves a checkpoint). */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** The last checkpoint saved or resumed from (what a lost device resumes from). */
  get latestCheckpoint(): TrainingCheckpoint | null {
    return this.lastCheckpoint;
  }

  /**
   * Runs until the last step, a stop request, or a non-finite loss; with `pauseAt`, pauses
   * there too (a caller that measures the weights at fixed steps, like the grammatical bench).
   */
  async run(pauseAt = Infinity): Promise<RunOutcome> {
    this.stopRequested = false;
    const { settings, corpus } = this;
    const { batch } = settings;
    const length = corpus.seqLen;
    const schedule = scheduleFor(settings);
    const { clock, minSampleIntervalMs } = this.pacing;
    if (!this.lastCheckpoint && !(await this.checkpoint())) {
      throw new Error('the initial weights are not finite');
    }
    const startStep = this.step;
    const started = clock();
    let lastReport = started;
    // Sample decodes are not training: their time is left out of the rates.
    let decodingMs = 0;
    let unreported: LossPoint[] = [];
    let savedAt: number | null = null;
    let decoded: TrainingProgress['samples'] = null;
    let lastDecodeEnd = -Infinity;
    const report = () => {
      const rate = throughput(
        this.step,
        startStep,
        (clock() - started - decodingMs) / 1000,
        settings.steps,
        batch * length,
      );
      this.reports.progress({
        step: this.step,
        points: unreported,
        ...rate,
        checkpointStep: savedAt,
        samples: decoded,
        ratioLoss: ratioBuckets(this.ratioLoss),
      });
      unreported = [];
      savedAt = null;
      decoded = null;
      lastReport = clock();
    };
    const absorb = (records: StepRecord[]): StepRecord | null => {
      for (const r of records) {
        if (!Number.isFinite(r.loss) || !Number.isFinite(r.gradNorm)) return r;
        const point = { step: r.step, loss: r.loss, lr: r.lr };
        pushLoss(this.history, point, this.historyCap);
        unreported.push(point);
        const t = this.pendingT.get(r.step);
        this.pendingT.delete(r.step);
        if (t && r.rowLoss.length === t.length) {
          this.ratioLoss = addStepRows(this.ratioLoss, t, r.rowLoss);
        }
      }
      return null;
    };
    const rollBack = (badStep: number, badLoss: number): RunOutcome => {
      report();
      this.restore(this.lastCheckpoint!);
      return { kind: 'rolledBack', badStep, badLoss };
    };

    while (!this.done && !this.stopRequested && this.step < pauseAt) {
      const x0 = corpus.sampleBatch(this.dataRng, batch);
      const tb = maskedDiffusionBatch(x0, batch, length, {
        maskId: corpus.vocab.maskId,
        rng: this.maskRng,
        weighting: settings.weighting,
      });
      this.backend.step(tb, learningRateAt(this.step, schedule));
      this.step++;
      if (tb.t) this.pendingT.set(this.step, tb.t);
      await this.backend.throttle(2);
      let bad = absorb(this.backend.takeLoss());
      if (bad) return rollBack(bad.step, bad.loss);
      // Read once: a checkpoint due at the same step saves these weights too.
      const weights = this.average.due(this.step) ? await this.backend.readParams() : undefined;
      if (weights) this.average.update(weights);
      const checkpointDue = this.step % settings.checkpointEvery === 0 || this.done;
      const samplesDue =
        this.done ||
        (this.step % settings.sampleEvery === 0 && clock() - lastDecodeEnd >= minSampleIntervalMs);
      if (checkpointDue || samplesDue) {
        bad = absorb(await this.backend.readLoss());
        if (bad) return rollBack(bad.step, bad.loss);
      }
      if (checkpointDue) {
        if (!(await this.checkpoint(weights))) return rollBack(this.step, NaN);
        savedAt = this.step;
      }
      if (samplesDue) {
        const decodeStart = clock();
        decoded = { step: this.step, ...(await this.decodeSamples()) };
        lastDecodeEnd = clock();
        decodingMs += lastDecodeEnd - decodeStart;
      }
      if (clock() - lastReport >= REPORT_EVERY_MS || checkpointDue || samplesDue) report();
    }
    const bad = absorb(await this.backend.readLoss());
    if (bad) return rollBack(bad.step, bad.loss);
    if (this.lastCheckpoint?.step !== this.step) {
      if (!(await this.checkpoint())) return rollBack(this.step, NaN);
      savedAt = this.step;
    }
    if (unreported.length || savedAt !== null) report();
    return this.done ? { kind: 'finished' } : { kind: 'paused' };
  }

  /**
   * Saves the state after every step submitted so far; returns null, saving nothing, when a
   * weight is no longer finite (an update overflowed before any loss showed it), so a roll-back
   * never lands on a broken checkpoint.
   */
  async checkpoint(
    /** The weights after the last submitted step, when the caller has just read them. */
    current?: Float32Array,
  ): Promise<TrainingCheckpoint | null> {
    const params = current ?? (await this.backend.readParams());
    if (!params.every(Number.isFinite)) return null;
    const optimizer = await this.backend.readOptimizerState();
    const c: TrainingCheckpoint = {
      settings: { ...this.settings },
      step: this.step,
      params,
      m: optimizer.m,
      v: optimizer.v,
      optimizerStep: optimizer.step,
      dataRng: this.dataRng.getState(),
      maskRng: this.maskRng.getState(),
      history: this.history.slice(),
      ratioLoss: structuredClone(this.ratioLoss),
      average: this.average.weights(),
      backend: this.backendName,
      savedAt: Date.now(),
    };
    await this.reports.saveCheckpoint(c);
    this.lastCheckpoint = c;
    return c;
  }

  private restore(c: TrainingCheckpoint): void {
    this.average.restore(c.average);
    this.backend.loadState({
      params: c.params,
      optimizer: { m: c.m, v: c.v, step: c.optimizerStep },
    });
    this.step = c.step;
    this.history = restoreHistory(c.history, this.historyCap);
    this.ratioLoss = c.ratioLoss ?? emptyLossByRatio();
    this.pendingT.clear();
    this.dataRng = new Rng(c.dataRng);
    this.maskRng = new Rng(c.maskRng);
  }

  /** The weights samples and exports use: the average, or the current ones before its first update. */
  async sampledWeights(): Promise<Float32Array> {
    return this.average.weights() ?? (await this.backend.readParams());
  }

  /** sampledWeights() on the CPU reference forward, as a Denoiser for the sampler. */
  async denoiser(): Promise<{ denoiser: Denoiser; params: Float32Array }> {
    const params = await this.sampledWeights();
    const { layout, corpus } = this;
    const denoiser: Denoiser = {
      vocabSize: layout.config.vocabSize,
      seqLen: corpus.seqLen,
      maskId: corpus.vocab.maskId,
      logits: (tokens, batch, t) =>
        Promise.resolve(
          forward(layout, params, { tokens, batch, length: corpus.seqLen, t }).logits,
        ),
    };
    return { denoiser, params };
  }

  /**
   * Whole windows from the article's sampler (S = L, temperature 1, the same seeds each time:
   * the run's seed and those after it, as the grammatical bench draws them),
   * each checked by the corpus's oracle: the first SAMPLE_COUNT shown with their traces, all
   * JUDGED_COUNT counted.
   */
  async decodeSamples(): Promise<Omit<DecodedSamples, 'step'>> {
    const { denoiser } = await this.denoiser();
    const samples: TrainingSample[] = [];
    let valid = 0;
    for (let i = 0; i < JUDGED_COUNT; i++) {
      const shown = i < SAMPLE_COUNT;
      const trace = await runSamplerToEnd(
        denoiser,
        { prompt: [], genLength: this.corpus.seqLen },
        // A few candidates per position, for the panel's replay of the painting.
        {
          strategy: 'article',
          steps: this.corpus.seqLen,
          traceTopK: shown ? 5 : 0,
          // The first of the seeds the grammatical bench judges with (trainGrammatical.ts), so
          // the dots are a sample of what the reference curve measured.
          seed: (this.settings.seed + i) >>> 0,
        },
      );
      const ok = this.corpus.isValidWindow(trace.final);
      if (ok) valid++;
      if (shown) samples.push({ text: this.corpus.vocab.decode(trace.final), valid: ok, trace });
    }
    return { samples, judged: { valid, total: JUDGED_COUNT } };
  }
}
