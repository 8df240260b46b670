import { Approvals } from "./components/Approvals.js";
import { Commands } from "./components/Commands.js";
import { Composer } from "./components/Composer.js";
import { Messages } from "./components/Messages.js";
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
      <Messages threadId={threadId} />
      <Commands threadId={threadId} />
      <ReasoningStatus threadId={threadId} />
      <Approvals threadId={threadId} />
      <Composer threadId={threadId} />
    </main>
  );
}
