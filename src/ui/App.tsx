import { useEffect } from 'react';
import { useAppStore } from '../state/store';
import { ErrorBoundary } from './common/ErrorBoundary';
import { ModelPanel } from './common/ModelPanel';
import { GenerateView } from './generate/GenerateView';

export function App() {
  const initModels = useAppStore((s) => s.initModels);
  useEffect(() => {
    void initModels();
  }, [initModels]);

  return (
    <div className="app">
      <header>
        <h1>Unmask</h1>
        <p>How a masked-diffusion language model writes: the painter, not the typewriter.</p>
      </header>
      <ErrorBoundary area="The model panel">
        <ModelPanel />
      </ErrorBoundary>
      <ErrorBoundary area="The generation view">
        <GenerateView />
      </ErrorBoundary>
    </div>
  );
}
