import { useCodexComposer } from "codex-local-component/react";
import { useEffect, useState } from "react";
import { chat } from "./api.js";
import { Approvals } from "./components/Approvals.js";
import { Composer } from "./components/Composer.js";
import { Conversation } from "./components/Conversation.js";
import { ErrorBoundary } from "./components/ErrorBoundary.js";
import { ReasoningStatus } from "./components/ReasoningStatus.js";
import { ThreadList } from "./components/ThreadList.js";
import { ThreadStatus } from "./components/ThreadStatus.js";

/** The user's threads beside one conversation. The open thread lives in the URL (`?thread=<threadId>`). */
export function App({ initialThreadId }: { initialThreadId: string | null }) {
  const [threadId, setThreadId] = useState(initialThreadId);
  // One composer for the page: the conversation's failed bubbles retry / dismiss through it.
  const composer = useCodexComposer(chat.registerTurnStart, { optimistic: chat.threadMessages, commandStatus: chat.commandStatus });

  // Back / forward move between the threads opened here.
  useEffect(() => {
    const onPop = () => setThreadId(new URLSearchParams(window.location.search).get("thread"));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const select = (next: string) => {
    if (next === threadId) return;
    const url = new URL(window.location.href);
    url.searchParams.set("thread", next);
    window.history.pushState(null, "", url);
    setThreadId(next);
  };

  return (
    <div className="layout">
      <ErrorBoundary>
        <ThreadList selected={threadId} onSelect={select} />
      </ErrorBoundary>
      {threadId ? (
        // Keyed by thread: a switch starts from a fresh page of messages, not the old one's.
        <main className="app" key={threadId}>
          <ThreadStatus threadId={threadId} />
          <ErrorBoundary>
            <Conversation threadId={threadId} composer={composer} />
            <ReasoningStatus threadId={threadId} />
            <Approvals threadId={threadId} />
          </ErrorBoundary>
          <Composer threadId={threadId} composer={composer} />
        </main>
      ) : (
        <main className="app">
          <p data-testid="no-thread">Pick a thread on the left (or open this page with <code>?thread=&lt;threadId&gt;</code>).</p>
        </main>
      )}
    </div>
  );
}
