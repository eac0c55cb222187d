import { vocabularyOf } from '../../state/modelVocabulary';
import { useAppStore } from '../../state/store';
import { PRESETS } from './presets';

/** One click sets the controls to a configuration worth seeing and runs it. */
export function Presets() {
  const manifest = useAppStore((s) => s.manifest);
  const setConfig = useAppStore((s) => s.setConfig);
  const generate = useAppStore((s) => s.generate);
  const vocab = manifest ? vocabularyOf(manifest) : null;
  if (!manifest || !vocab) return null;
  return (
    <div className="presets" role="group" aria-label="Presets">
      <span className="muted small">Presets:</span>
      {PRESETS.filter((p) => p.available(vocab, manifest.seqLen)).map((p) => (
        <button
          key={p.id}
          type="button"
          title={p.description}
          onClick={() => {
            setConfig(p.config(useAppStore.getState().config));
            void generate();
          }}
        >
          {p.title}
        </button>
      ))}
    </div>
  );
}
