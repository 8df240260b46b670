import { Approvals } from "./components/Approvals.js";
import { Composer } from "./components/Composer.js";
import { Conversation } from "./components/Conversation.js";
import { ErrorBoundary } from "./components/ErrorBoundary.js";
import { ReasoningStatus } from "./components/ReasoningStatus.js";
import { ThreadStatus } from "./components/ThreadStatus.js";

/** One thread, as a remote device sees it. The thread comes from the URL (`?thread=<threadId>`). */
export function App({ threadId }: { threadId: string | null }) {
  if (!threadId) {
    return (
      <main className="app">
        <p data-testid="no-thread">Open this page with <code>?thread=&lt;threadId&gt;</code> (the runner prints the full URL).</p>
      </main>
    );
  }
  return (
    <main className="app">
      <ThreadStatus threadId={threadId} />
      <ErrorBoundary>
        <Conversation threadId={threadId} />
        <ReasoningStatus threadId={threadId} />
        <Approvals threadId={threadId} />
      </ErrorBoundary>
      <Composer threadId={threadId} />
    </main>
  );
}
