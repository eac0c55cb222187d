import { startTransition, useEffect, useState } from 'react';
import {
  estimateLossCurve,
  type CurveSentence,
  type LossCurve,
  type LossCurveOptions,
} from '../../core/lossCurve';
import { Rng } from '../../core/rng';
import { getDenoiser } from '../../state/denoiserInstance';

export interface CurveJob {
  /** Identifies the inputs: a new key restarts the estimate, the old one is abandoned. */
  key: string;
  sentences: CurveSentence[];
  options: LossCurveOptions;
  seed: number;
}

export type CurveState =
  | { status: 'waiting' }
  | { status: 'running'; rowsDone: number; rowsTotal: number }
  | { status: 'done'; curve: LossCurve; ms: number }
  | { status: 'error'; message: string };

// Typing a sentence changes the job on every key; start only once the input rests.
const START_DELAY_MS = 300;

/**
 * Runs the Monte Carlo loss curve of src/core/lossCurve.ts on the page's model, one batched
 * worker call at a time, and reports progress after each call. The state is tagged with the
 * job's key, so a result for old inputs never shows as the current one.
 */
export function useLossCurve(job: CurveJob | null): CurveState {
  const [state, setState] = useState<{ key: string; value: CurveState } | null>(null);

  useEffect(() => {
    if (!job) return;
    let abandoned = false;
    const timer = setTimeout(async () => {
      const t0 = performance.now();
      try {
        const run = estimateLossCurve(getDenoiser(), job.sentences, job.options, new Rng(job.seed));
        for (;;) {
          const next = await run.next();
          if (abandoned) return;
          if (next.done) {
            const value: CurveState = {
              status: 'done',
              curve: next.value,
              ms: performance.now() - t0,
            };
            startTransition(() => setState({ key: job.key, value }));
            return;
          }
          const { rowsDone, rowsTotal } = next.value;
          // Progress is a transition: it never delays an input event.
          startTransition(() =>
            setState({ key: job.key, value: { status: 'running', rowsDone, rowsTotal } }),
          );
        }
      } catch (e) {
        if (!abandoned) {
          setState({ key: job.key, value: { status: 'error', message: (e as Error).message } });
        }
      }
    }, START_DELAY_MS);
    return () => {
      abandoned = true;
      clearTimeout(timer);
    };
  }, [job]);

  if (!job || !state || state.key !== job.key) return { status: 'waiting' };
  return state.value;
}
