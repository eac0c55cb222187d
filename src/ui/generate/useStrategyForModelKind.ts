import { useEffect, useRef } from 'react';
import { DEFAULT_CONFIG, type RunKey } from '../../state/generationConfig';
import { useAppStore } from '../../state/store';

/**
 * When another model is opened, give each run a strategy that fits its kind: the typewriter for
 * an autoregressive package, the default diffusion sampler when leaving one. Only on a change of
 * model, so a person who then picks a strategy that does not fit sees why (runPlan refuses it).
 */
export function useStrategyForModelKind(): void {
  const manifest = useAppStore((s) => s.manifest);
  const seen = useRef<typeof manifest>(null);
  useEffect(() => {
    if (!manifest || manifest === seen.current) return;
    seen.current = manifest;
    const { config, setRunSettings } = useAppStore.getState();
    const autoregressive = manifest.kind === 'autoregressive';
    for (const key of ['a', 'b'] as RunKey[]) {
      const typewriter = config[key].strategy === 'autoregressive';
      if (autoregressive && !typewriter) setRunSettings(key, { strategy: 'autoregressive' });
      if (!autoregressive && typewriter)
        setRunSettings(key, { strategy: DEFAULT_CONFIG[key].strategy });
    }
  }, [manifest]);
}
