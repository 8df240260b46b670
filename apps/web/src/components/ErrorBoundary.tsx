import { Component, type ReactNode } from "react";

/** A query that fails (backend gone, thread not found) shows its error instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | undefined }> {
  state: { error: Error | undefined } = { error: undefined };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <p className="error" data-testid="page-error">
        {this.state.error.message} — reload to retry.
      </p>
    );
  }
}
