/**
 * Ways of calling an onnxruntime-web WebGPU session, and the trial that picks one per call shape
 * on the machine at hand. Which wins depends on the GPU, the driver, the model and the batch
 * (bench -- generate --host node measures them), so the app does not guess: the first calls of
 * each shape take turns, and the shape keeps the mode whose median call was fastest.
 *
 *   tensors     inputs and logits through the CPU: ORT allocates GPU buffers each call;
 *   io-binding  inputs written into GPU buffers kept for the shape, logits computed into a
 *               buffer kept for the shape, then read back (preferredOutputLocation).
 *
 * Graph capture (enableGraphCapture) is not among them: in onnxruntime-web 1.30 a replay can
 * answer with the logits of an earlier call's inputs, not the new ones (the generate bench's
 * three-window check fails for it; on Dawn the shipped model's every other replay came back
 * wrong, the autoregressive twin's every one with the captured call's logits), and a sampler
 * never sends the same window twice.
 */
export type GpuCallMode = 'tensors' | 'io-binding';

export const GPU_CALL_MODE_NAMES: Record<GpuCallMode, string> = {
  tensors: 'tensors',
  'io-binding': 'IO binding',
};

/** Why graph capture is not tried, for the Backend readout. */
const GRAPH_CAPTURE_NOT_USED =
  'Graph capture is not used: onnxruntime-web 1.30 replays return the logits of an earlier call’s inputs';

/** Calls of each mode not timed (the first compiles the shape's shaders). */
export const TRIAL_WARM_CALLS = 1;
/** Timed calls of each mode in a shape's trial. */
export const TRIAL_TIMED_CALLS = 5;

/** What a shape's trial decided: the mode it keeps and each mode's median ms per call. */
export interface CallModeDecision {
  /** "B1·L16": batch and window length. */
  shape: string;
  chosen: GpuCallMode;
  msByMode: Partial<Record<GpuCallMode, number>>;
}

export function shapeKey(batch: number, length: number): string {
  return `B${batch}·L${length}`;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Trial {
  modes: GpuCallMode[];
  calls: number;
  times: Map<GpuCallMode, number[]>;
  decision: CallModeDecision | null;
}

export class CallModeTrials {
  private readonly trials = new Map<string, Trial>();
  private readonly dropped = new Map<GpuCallMode, string>();

  /**
   * @param modesFor the modes a shape may use; 'tensors' must be among them: it is what a
   *   failing mode falls back to.
   */
  constructor(private readonly modesFor: (batch: number, length: number) => GpuCallMode[]) {}

  private trial(batch: number, length: number): Trial {
    const key = shapeKey(batch, length);
    let trial = this.trials.get(key);
    if (!trial) {
      const modes = this.modesFor(batch, length).filter((m) => !this.dropped.has(m));
      trial = { modes, calls: 0, times: new Map(), decision: null };
      this.trials.set(key, trial);
    }
    return trial;
  }

  /** The mode the next call of this shape uses: in turn during its trial, then the winner. */
  modeFor(batch: number, length: number): GpuCallMode {
    const trial = this.trial(batch, length);
    if (trial.decision) return trial.decision.chosen;
    return trial.modes[trial.calls % trial.modes.length];
  }

  /** A call of this shape in `mode` took `ms`; the trial decides once every mode has its calls. */
  record(batch: number, length: number, mode: GpuCallMode, ms: number): void {
    const trial = this.trial(batch, length);
    if (trial.decision || !trial.modes.includes(mode)) return;
    const round = Math.floor(trial.calls / trial.modes.length);
    trial.calls++;
    if (round >= TRIAL_WARM_CALLS) {
      const times = trial.times.get(mode) ?? [];
      times.push(ms);
      trial.times.set(mode, times);
    }
    if (trial.calls < trial.modes.length * (TRIAL_WARM_CALLS + TRIAL_TIMED_CALLS)) return;
    const msByMode: Partial<Record<GpuCallMode, number>> = {};
    for (const m of trial.modes) msByMode[m] = median(trial.times.get(m) ?? [Infinity]);
    // Ties go to the simpler mode (the order of `modes`).
    const chosen = trial.modes.reduce((a, b) => (msByMode[b]! < msByMode[a]! ? b : a));
    trial.decision = { shape: shapeKey(batch, length), chosen, msByMode };
  }

  /**
   * A mode failed (its buffers could not be made, or a call threw): no shape uses it again, and
   * the trials under way restart without it.
   */
  drop(mode: GpuCallMode, reason: string): void {
    if (mode === 'tensors') throw new Error(`the tensors mode cannot be dropped: ${reason}`);
    this.dropped.set(mode, reason);
    for (const [key, trial] of this.trials) {
      if (trial.decision?.chosen === mode || (!trial.decision && trial.modes.includes(mode))) {
        this.trials.delete(key);
      }
    }
  }

  decision(batch: number, length: number): CallModeDecision | null {
    return this.trials.get(shapeKey(batch, length))?.decision ?? null;
  }

  decisions(): CallModeDecision[] {
    return [...this.trials.values()].flatMap((t) => (t.decision ? [t.decision] : []));
  }

  droppedModes(): { mode: GpuCallMode; reason: string }[] {
    return [...this.dropped].map(([mode, reason]) => ({ mode, reason }));
  }
}

/** "at B1·L16: IO binding 0.40 ms, tensors 0.62 ms per call; IO binding is used" */
export function describeDecision(d: CallModeDecision): string {
  const timings = (Object.entries(d.msByMode) as [GpuCallMode, number][])
    .sort((a, b) => a[1] - b[1])
    .map(([m, ms]) => `${GPU_CALL_MODE_NAMES[m]} ${ms.toFixed(2)} ms`)
    .join(', ');
  return `at ${d.shape}: ${timings} per call; ${GPU_CALL_MODE_NAMES[d.chosen]} is used`;
}

/** The Backend readout's sentence on WebGPU calls: what each shape uses and why. */
export function describeGpuCalls(info: {
  decisions: readonly CallModeDecision[];
  dropped: readonly { mode: GpuCallMode; reason: string }[];
}): string {
  const parts = info.decisions.map((d) => `WebGPU calls ${describeDecision(d)}.`);
  if (parts.length === 0) parts.push('WebGPU calls: no trial has finished yet.');
  parts.push('Other shapes (a batch of windows) are tried the same way on their first calls.');
  for (const d of info.dropped) parts.push(`${GPU_CALL_MODE_NAMES[d.mode]}: ${d.reason}.`);
  parts.push(`${GRAPH_CAPTURE_NOT_USED}.`);
  return parts.join(' ');
}
