import { Suspense, useEffect, useState } from 'react';
import { useAppStore } from '../state/store';
import { readHash, writeHash } from '../state/urlHash';
import { ErrorBoundary } from './common/ErrorBoundary';
import { ModelPanel } from './common/ModelPanel';
import { ThemeToggle } from './common/ThemeToggle';
import { VIEWS, type ViewId } from './views';

function initialView(): ViewId {
  const wanted = readHash().view;
  return VIEWS.find((v) => v.id === wanted)?.id ?? VIEWS[0].id;
}

const prefersReducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * The shell: a one-line header (name, the views, the theme), the model bar, and the view. The
 * view is the page: everything above it is kept to two short lines so its picture is on the
 * first screen.
 */
export function App() {
  const initModels = useAppStore((s) => s.initModels);
  const loadArrivalRun = useAppStore((s) => s.loadArrivalRun);
  const [view, setView] = useState<ViewId>(initialView);
  useEffect(() => {
    // The recorded default run plays while the model loads (it needs no model).
    void loadArrivalRun(!prefersReducedMotion());
    void initModels();
  }, [initModels, loadArrivalRun]);

  const current = VIEWS.find((v) => v.id === view) ?? VIEWS[0];
  const View = current.component;
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <h1>Unmask</h1>
          <p>how a diffusion language model writes: the painter, not the typewriter</p>
        </div>
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
        <div className="header-end">
          <ThemeToggle />
        </div>
      </header>
      <ErrorBoundary area="The model panel">
        <ModelPanel />
      </ErrorBoundary>
      <main>
        <ErrorBoundary area={`The ${current.title} view`} key={current.id}>
          <Suspense fallback={<p role="status">Loading the {current.title} view…</p>}>
            <View />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
