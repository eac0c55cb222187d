import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { prefetchArrivalFiles } from '../state/arrivalPrefetch';
import { ErrorBoundary } from './common/ErrorBoundary';
import { initTheme } from './theme/theme';
import './theme/tokens.css';
import './styles.css';

initTheme();
// The recorded arrival run's files download while the app's chunk does (a run on screen sooner).
prefetchArrivalFiles();

// The app is a chunk of its own, imported once React is up: the first load's work is two
// main-thread tasks (React's module, then the app's) instead of one of twice the length.
const root = createRoot(document.getElementById('root')!);
import('./App').then(
  ({ App }) =>
    root.render(
      <StrictMode>
        <ErrorBoundary>
          <App />
        </ErrorBoundary>
      </StrictMode>,
    ),
  (e: unknown) =>
    root.render(
      <div role="alert" className="error-panel">
        <strong>Unmask could not load:</strong>
        <pre>{e instanceof Error ? e.message : String(e)}</pre>
        Reload the page to try again.
      </div>,
    ),
);
