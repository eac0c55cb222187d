import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ErrorBoundary } from './common/ErrorBoundary';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
void import('./App').then(({ App }) =>
  root.render(
    <StrictMode>
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </StrictMode>,
  ),
);
