/**
 * What one model call did, in words: the caption under the transport and the history grid's
 * row descriptions. The article's sampler is described in the article's own terms.
 */
import {
  optionsOfCall,
  type ResolvedSamplerOptions,
  type TraceLineage,
  type TraceRecord,
} from '../../core/sampler';

/**
 * The options a run's call was made with: its own, or for the calls a branch kept from its
 * parent, the parent's (and so on up its tree), so each call is described by its own rule.
 */
export function callOptions(
  run: {
    options: ResolvedSamplerOptions;
    lineage?: TraceLineage;
    trace: { lineage?: TraceLineage } | null;
  },
  r: TraceRecord,
): ResolvedSamplerOptions {
  return optionsOfCall(run.options, run.lineage ?? run.trace?.lineage, r.call);
}

/** The call's name: the article counts s = S … 1; the others number calls (and blocks). */
export function callName(r: TraceRecord, o: ResolvedSamplerOptions): string {
  // The article's steps are counted in stepInBlock (its own calls: a branch that restarts it on
  // a window counts from there).
  if (o.strategy === 'article') return `call ${r.call + 1} (s = ${o.steps - r.stepInBlock})`;
  if (o.strategy === 'dus.dilated')
    return `call ${r.call + 1} (block ${r.block + 1}, level ${r.stepInBlock + 1})`;
  const block = o.blockLength !== null ? ` (block ${r.block + 1})` : '';
  return `call ${r.call + 1}${block}`;
}

export function actionText(r: TraceRecord, o: ResolvedSamplerOptions, maskId: number): string {
  const sentBack = r.status.filter((s, i) => s === 'remasked' && r.before[i] !== maskId).length;
  const discarded = r.status.filter((s, i) => s === 'remasked' && r.before[i] === maskId).length;
  const left = r.after.filter((t, i) => t === maskId && r.status[i] !== 'pinned').length;
  const done = left === 0 ? ' · done' : '';
  const eosLast = o.confidenceEosEotInf ? ' ([EOS] ranked last)' : '';
  switch (o.strategy) {
    case 'article':
      return discarded > 0
        ? `Keep the ${r.committed} most confident guess${r.committed === 1 ? '' : 'es'}${eosLast}, send the other ${discarded} back to [MASK]`
        : `Unmask the last ${r.committed}${done}`;
    case 'remdm':
      return `Send ${sentBack} back to [MASK], commit ${r.committed}${done}`;
    case 'fastdllm.threshold':
      return `Commit ${r.committed} (confidence ≥ ${o.threshold}, or the best)${done}`;
    case 'llada.random':
      return `Commit ${r.committed} chosen at random${done}`;
    case 'llada2.threshold':
      return `Commit ${r.committed} (probability > ${o.threshold}, or the step's floor) · saw 1–${r.inputLength}${done}`;
    case 'llada21.edit':
      return `Commit ${r.committed}, edit ${r.edited}${r.candidate.some(Boolean) ? '' : ' (post step)'} · saw 1–${r.inputLength}${done}`;
    case 'eb.entropy_bound':
      return `Commit the ${r.committed} most certain (entropies before each ≤ ${o.entropyBound} bits)${done}`;
    case 'dus.dilated':
      return `Place ${r.committed}${discarded > 0 ? `, take back ${discarded} (probability < ${o.dusThreshold})` : ''}${done}`;
    case 'autoregressive':
      return r.committed > 1
        ? `Write [EOS], then fill the ${r.committed - 1} positions after it with [EOS]${done}`
        : `Write the next token${done}`;
    default:
      return `Commit the ${r.committed} most confident${eosLast}${done}`;
  }
}
