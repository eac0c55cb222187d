import { describe, expect, it } from 'vitest';
import {
  CallModeTrials,
  describeDecision,
  describeGpuCalls,
  type GpuCallMode,
  TRIAL_TIMED_CALLS,
  TRIAL_WARM_CALLS,
} from './gpuCallModes';

const BOTH: GpuCallMode[] = ['tensors', 'io-binding'];

/** Runs a shape's trial with each mode's call taking the given ms (a list: call by call). */
function runTrial(
  trials: CallModeTrials,
  batch: number,
  length: number,
  ms: Partial<Record<GpuCallMode, number | number[]>>,
): GpuCallMode[] {
  const used: GpuCallMode[] = [];
  const seen = new Map<GpuCallMode, number>();
  for (let i = 0; i < 100 && !trials.decision(batch, length); i++) {
    const mode = trials.modeFor(batch, length);
    used.push(mode);
    const n = seen.get(mode) ?? 0;
    seen.set(mode, n + 1);
    const t = ms[mode]!;
    trials.record(batch, length, mode, Array.isArray(t) ? t[n] : t);
  }
  return used;
}

describe('the trial of WebGPU call modes', () => {
  it('takes turns, ignores each mode’s first call, and keeps the fastest median', () => {
    const trials = new CallModeTrials(() => BOTH);
    // IO binding's first call makes its buffers and compiles (slow); then it is the faster.
    const used = runTrial(trials, 1, 16, {
      tensors: [0.7, 0.6, 0.62, 0.58, 3.0, 0.6],
      'io-binding': [50, 0.41, 0.4, 0.39, 0.4, 0.45],
    });
    expect(used).toHaveLength(2 * (TRIAL_WARM_CALLS + TRIAL_TIMED_CALLS));
    expect(used.slice(0, 4)).toEqual([...BOTH, ...BOTH]);
    const d = trials.decision(1, 16)!;
    expect(d.shape).toBe('B1·L16');
    expect(d.chosen).toBe('io-binding');
    // Medians of the five timed calls: 0.6 (0.58, 0.6, 0.6, 0.62, 3.0); 0.4.
    expect(d.msByMode).toEqual({ tensors: 0.6, 'io-binding': 0.4 });
    // Decided: every later call of the shape uses the winner, whatever it costs now.
    expect(trials.modeFor(1, 16)).toBe('io-binding');
    trials.record(1, 16, 'io-binding', 99);
    expect(trials.decision(1, 16)!.msByMode['io-binding']).toBe(0.4);
    expect(describeDecision(d)).toBe(
      'at B1·L16: IO binding 0.40 ms, tensors 0.60 ms per call; IO binding is used',
    );
  });

  it('decides each shape on its own, with the modes that shape may use', () => {
    const trials = new CallModeTrials((batch) => (batch === 1 ? BOTH : ['tensors']));
    runTrial(trials, 1, 16, { tensors: 1, 'io-binding': 2 });
    const used = runTrial(trials, 8, 16, { tensors: 5 });
    expect(new Set(used)).toEqual(new Set(['tensors']));
    runTrial(trials, 1, 11, { tensors: 3, 'io-binding': 2 });
    expect(trials.decision(1, 16)!.chosen).toBe('tensors');
    expect(trials.decision(8, 16)!.chosen).toBe('tensors');
    expect(trials.decision(1, 11)!.chosen).toBe('io-binding');
    expect(trials.decisions().map((d) => d.shape)).toEqual(['B1·L16', 'B8·L16', 'B1·L11']);
  });

  it('gives a tie to the simpler mode', () => {
    const trials = new CallModeTrials(() => BOTH);
    runTrial(trials, 1, 4, { tensors: 1, 'io-binding': 1 });
    expect(trials.decision(1, 4)!.chosen).toBe('tensors');
  });

  it('drops a failing mode everywhere and restarts the trials that chose it', () => {
    const trials = new CallModeTrials(() => BOTH);
    runTrial(trials, 1, 16, { tensors: 3, 'io-binding': 2 });
    runTrial(trials, 2, 16, { tensors: 1, 'io-binding': 2 });
    trials.modeFor(3, 16); // a trial under way
    trials.drop('io-binding', 'failed: out of memory');
    // B1 had chosen IO binding and B3 was trying it: both start again without it; B2 keeps
    // its decision.
    expect(trials.decision(1, 16)).toBeNull();
    expect(trials.decision(2, 16)!.chosen).toBe('tensors');
    const used = runTrial(trials, 1, 16, { tensors: 3 });
    expect(used).toEqual(Array(TRIAL_WARM_CALLS + TRIAL_TIMED_CALLS).fill('tensors'));
    expect(trials.decision(1, 16)).toEqual({
      shape: 'B1·L16',
      chosen: 'tensors',
      msByMode: { tensors: 3 },
    });
    expect(trials.modeFor(3, 16)).toBe('tensors');
    expect(trials.droppedModes()).toEqual([
      { mode: 'io-binding', reason: 'failed: out of memory' },
    ]);
    expect(() => trials.drop('tensors', 'x')).toThrow('cannot be dropped');
    expect(
      describeGpuCalls({ decisions: trials.decisions(), dropped: trials.droppedModes() }),
    ).toBe(
      'WebGPU calls at B2·L16: tensors 1.00 ms, IO binding 2.00 ms per call; tensors is used. ' +
        'WebGPU calls at B1·L16: tensors 3.00 ms per call; tensors is used. ' +
        'Other shapes (a batch of windows) are tried the same way on their first calls. ' +
        'IO binding: failed: out of memory. ' +
        'Graph capture is not used: onnxruntime-web 1.30 replays return the logits of an earlier call’s inputs.',
    );
  });

  it('ignores a time recorded for a mode the shape does not try', () => {
    const trials = new CallModeTrials(() => ['tensors']);
    trials.record(1, 8, 'io-binding', 0.001);
    runTrial(trials, 1, 8, { tensors: 2 });
    expect(trials.decision(1, 8)!.msByMode).toEqual({ tensors: 2 });
  });
});
