import { Suspense, useEffect, useState } from 'react';
import { useAppStore } from '../state/store';
import { readHash, writeHash } from '../state/urlHash';
import { ErrorBoundary } from './common/ErrorBoundary';
import { ModelPanel } from './common/ModelPanel';
import { VIEWS, type ViewId } from './views';

function initialView(): ViewId {
  const wanted = readHash().view;
  return VIEWS.find((v) => v.id === wanted)?.id ?? VIEWS[0].id;
}

export function App() {
  const initModels = useAppStore((s) => s.initModels);
  const [view, setView] = useState<ViewId>(initialView);
  useEffect(() => {
    void initModels();
  }, [initModels]);

  const current = VIEWS.find((v) => v.id === view) ?? VIEWS[0];
  const View = current.component;
  return (
    <div className="app">
      <header>
        <h1>Unmask</h1>
        <p>How a masked-diffusion language model writes: the painter, not the typewriter.</p>
        <nav className="tabs" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              aria-pressed={v.id === view}
              onClick={() => {
                setView(v.id);
                writeHash({ view: v.id });
              }}
            >
              {v.title}
            </button>
          ))}
        </nav>
      </header>
      <ErrorBoundary area="The model panel">
        <ModelPanel />
      </ErrorBoundary>
      <ErrorBoundary area={`The ${current.title} view`} key={current.id}>
        <Suspense fallback={<p role="status">Loading the {current.title} view…</p>}>
          <View />
        </Suspense>
      </ErrorBoundary>
    </div>
  );
}
