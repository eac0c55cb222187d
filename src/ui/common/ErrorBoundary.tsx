import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Name of the area, so the message says which part of the page failed. */
  area?: string;
}
interface State {
  error: Error | null;
}

/** Nothing crashes to a blank page: a failed view says what happened and can be retried. */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Unmask: ${this.props.area ?? 'the page'} failed`, error, info.componentStack);
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="error-panel">
        <strong>{this.props.area ?? 'This view'} stopped because of an error:</strong>
        <pre>{this.state.error.message}</pre>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
