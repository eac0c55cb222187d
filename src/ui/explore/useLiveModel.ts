import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { LatestOnly } from '../../runtime/latestOnly';
import { getDenoiser } from '../../state/denoiserInstance';

/** One model call on the masked window; everything needed to read its answer travels with it. */
export interface LiveRequest {
  key: string;
  /** x₀, the clean window. */
  window: Int32Array;
  /** x_t, the masked window sent to the model. */
  tokens: Int32Array;
  masked: boolean[];
  t: number;
  L: number;
  timeInput: boolean;
}

export interface LiveAnswer {
  request: LiveRequest;
  logits: Float32Array;
  ms: number;
}

export interface LiveModel {
  answer: LiveAnswer | null;
  error: string | null;
  stats: { requested: number; ran: number; dropped: number };
}

/** The page's model behind a LatestOnly: one live call at a time, newest request first. */
function createLiveRunner() {
  return new LatestOnly<LiveRequest, LiveAnswer>(async (r) => {
    const t0 = performance.now();
    const logits = await getDenoiser().logits(
      r.tokens,
      1,
      r.timeInput ? Float32Array.of(r.t) : undefined,
    );
    return { request: r, logits, ms: performance.now() - t0 };
  });
}

/**
 * Runs the model on the newest request only (src/runtime/latestOnly.ts): while one call runs in
 * the worker, a dragged slider's intermediate values replace each other instead of queueing.
 * An answer to a request that has since been superseded is still shown, as an interim picture,
 * until the newest one arrives (the caller compares keys).
 */
export function useLiveModel(request: LiveRequest | null): LiveModel {
  const runner = useMemo(() => createLiveRunner(), []);
  const [answer, setAnswer] = useState<LiveAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastKey = useRef<string | null>(null);

  useEffect(() => {
    // A new object with the same key (t moved, but the model takes no t) needs no new call.
    if (!request || request.key === lastKey.current) return;
    lastKey.current = request.key;
    runner.request(request).then(
      (outcome) => {
        if (outcome.status !== 'answered') return;
        // A transition: React may render the new table in slices between input events.
        startTransition(() => {
          setAnswer(outcome.value);
          setError(null);
        });
      },
      (e: unknown) => setError((e as Error).message ?? String(e)),
    );
  }, [runner, request]);

  useEffect(() => () => runner.dropWaiting(), [runner]);

  return { answer, error, stats: { ...runner.stats } };
}
