import type { ModelManifest } from '../../model/manifest';
import { useAppStore } from '../../state/store';
import { AnswerEmergence } from './AnswerEmergence';
import { OneCallComparison } from './OneCallComparison';
import './newerSamplers.css';

/**
 * Below the runs: per run, where its answers emerged, and every rule on one call of it. Only
 * for runs that have records (not the preview before the first Generate).
 */
export function RunInsights({ manifest }: { manifest: ModelManifest }) {
  const runs = useAppStore((s) => s.runs);
  const shown = runs.filter((r) => r.records.length > 0);
  if (shown.length === 0) return null;
  return (
    <div className="run-insights">
      {shown.map((run) => {
        const of = run.key === 'a' ? '' : ` of run ${run.key.toUpperCase()}`;
        const fits =
          run.vocabSize === manifest.vocab.length && run.initial.length === manifest.seqLen;
        if (!fits) return null;
        return (
          <section key={run.key} className="insights" aria-label={`Insights${of}`}>
            <details open>
              <summary>Where the answers emerged{of}</summary>
              <AnswerEmergence run={run} manifest={manifest} label={`Answer emergence${of}`} />
            </details>
            <details>
              <summary>All rules on one call{of}</summary>
              <OneCallComparison run={run} manifest={manifest} label={`Rules on one call${of}`} />
            </details>
          </section>
        );
      })}
    </div>
  );
}
