import { useMemo } from 'react';
import { vocabularyOf } from '../../state/modelVocabulary';
import { planRuns, type RunPlan } from '../../state/runPlan';
import { useAppStore } from '../../state/store';

/** The current configuration checked against the loaded model (null without a usable model). */
export function usePlan(): RunPlan | null {
  const manifest = useAppStore((s) => s.manifest);
  const config = useAppStore((s) => s.config);
  return useMemo(() => {
    if (!manifest) return null;
    const vocab = vocabularyOf(manifest);
    if (!vocab) return null;
    return planRuns(config, {
      vocab,
      seqLen: manifest.seqLen,
      timeConditioned: manifest.io.t !== null,
      kind: manifest.kind,
    });
  }, [manifest, config]);
}
