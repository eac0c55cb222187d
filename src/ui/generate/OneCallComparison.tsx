import { useState } from 'react';
import { decisionsOnOneCall, type OneCallDecision, type OneCallKnobs } from '../../core/sampler';
import type { ModelManifest } from '../../model/manifest';
import { getDenoiser } from '../../state/denoiserInstance';
import { tokensAt, type GenerationRun } from '../../state/generationRun';
import { useAppStore } from '../../state/store';
import { confidenceColour, confidenceUnit, textOn } from './confidenceScale';
import { STRATEGY_INFO } from './strategyInfo';
import { tokenLabel } from './tokenText';

interface Result {
  /** The frame whose window was the model's input: the coming call's index. */
  frame: number;
  ms: number;
  decisions: OneCallDecision[];
}

/** What the run itself did at that call, from its record (nothing recomputed). */
function ownDecision(run: GenerationRun, frame: number) {
  const r = run.records[frame];
  if (!r) return null;
  return {
    commit: r.status.flatMap((s, i) =>
      s === 'committed' ? [{ position: i, token: r.after[i] }] : [],
    ),
    edit: r.status.flatMap((s, i) =>
      s === 'edited' ? [{ position: i, from: r.before[i], to: r.after[i] }] : [],
    ),
  };
}

/**
 * Strategies on one forward pass (issue 15, item 5): the window of the shown frame goes to the
 * model once, and every rule decides on those same logits (src/core/sampler/oneCallDecisions.ts
 * says how each is set up), next to what the run itself did at that call.
 */
export function OneCallComparison({
  run,
  manifest,
  label,
}: {
  run: GenerationRun;
  manifest: ModelManifest;
  label: string;
}) {
  const frame = useAppStore((s) => Math.min(s.frame, run.records.length));
  const ready = useAppStore((s) => s.modelStatus === 'ready');
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const word = (id: number) => tokenLabel(manifest, id);

  const compare = async () => {
    const at = frame;
    // The knobs as they are when asked (read here: the view need not follow every config change).
    const config = useAppStore.getState().config;
    const knobs: OneCallKnobs = {
      threshold: config.threshold,
      editThreshold: config.editThreshold,
      numToTransfer: config.numToTransfer,
      entropyBound: config.entropyBound,
      dusBase: config.dusBase,
      dusRemasking: config.dusRemasking,
      dusThreshold: config.dusThreshold,
    };
    const tokens = tokensAt(run, at);
    // The t the run gave the model at this call, when it gave one.
    const t = run.records[at]?.t ?? null;
    setBusy(true);
    setError(null);
    try {
      const t0 = performance.now();
      const logits = await getDenoiser().logits(
        Int32Array.from(tokens),
        1,
        t === null ? undefined : Float32Array.of(t),
      );
      const ms = performance.now() - t0;
      const decisions = decisionsOnOneCall(
        {
          tokens,
          pinned: run.pinned,
          promptLength: run.promptLength,
          maskId: run.maskId,
          steps: run.options.steps,
          call: at,
        },
        logits,
        manifest.vocab.length,
        knobs,
      );
      setResult({ frame: at, ms, decisions });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const own = result ? ownDecision(run, result.frame) : null;
  const chip = (d: OneCallDecision, c: OneCallDecision['commit'][number]) => {
    const colour = confidenceColour(
      confidenceUnit(d.strategy, c.confidence, manifest.vocab.length),
    );
    return (
      <span
        key={`c${c.position}`}
        className="one-call-chip"
        style={{ backgroundColor: colour, color: textOn(colour) }}
        title={`position ${c.position + 1}: ${word(c.token)}, confidence ${c.confidence.toFixed(3)}`}
      >
        {c.position + 1}:{word(c.token)}
      </span>
    );
  };

  return (
    <div className="one-call" role="region" aria-label={label}>
      <p className="small muted">
        One model call on the window shown (frame {frame}, the input of call {frame + 1}), then
        every rule&apos;s decision on the same logits: greedy, one block, the schedules at call{' '}
        {frame + 1} of {run.options.steps}, the knobs above.
      </p>
      <button type="button" onClick={() => void compare()} disabled={!ready || busy}>
        {busy ? 'Calling the model…' : `Compare the rules on call ${frame + 1}`}
      </button>
      {error && (
        <p role="alert" className="error-panel">
          {error}
        </p>
      )}
      {result && (
        <>
          <p className="small" data-testid="one-call-status" data-frame={result.frame}>
            Call {result.frame + 1}: one model call ({result.ms.toFixed(0)} ms),{' '}
            {result.decisions.length} decisions.
            {result.frame !== frame ? ' The frame has moved since: press again for this one.' : ''}
          </p>
          <ul className="one-call-list">
            {own && (
              <li data-strategy="this-run">
                <strong>This run ({STRATEGY_INFO[run.options.strategy].title})</strong>, as
                recorded: {own.commit.length} committed
                {own.edit.length > 0 ? `, ${own.edit.length} edited` : ''}{' '}
                {own.commit.map((c) => (
                  <span key={c.position} className="one-call-chip own">
                    {c.position + 1}:{word(c.token)}
                  </span>
                ))}
                {own.edit.map((e) => (
                  <span key={`e${e.position}`} className="one-call-chip edit">
                    {e.position + 1}: <s>{word(e.from)}</s>→{word(e.to)}
                  </span>
                ))}
              </li>
            )}
            {result.decisions.map((d) => (
              <li key={d.strategy} data-strategy={d.strategy} data-commits={d.commit.length}>
                <strong>{STRATEGY_INFO[d.strategy].title}</strong>: {d.commit.length} committed
                {d.edit.length > 0 ? `, ${d.edit.length} edited` : ''}
                {d.discard.length > 0 ? `, ${d.discard.length} taken back` : ''}{' '}
                {d.commit.map((c) => chip(d, c))}
                {d.edit.map((e) => (
                  <span key={`e${e.position}`} className="one-call-chip edit">
                    {e.position + 1}: <s>{word(e.from)}</s>→{word(e.to)}
                  </span>
                ))}
                {d.discard.map((p) => (
                  <span key={`d${p}`} className="one-call-chip discard">
                    <s>{p + 1}</s>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
