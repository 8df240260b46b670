import { useCodexConnection, useCodexHostStatus } from "codex-local-component/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { chat } from "./api.js";
import { ErrorBoundary } from "./components/ErrorBoundary.js";
import { ThreadList } from "./components/ThreadList.js";
import { ThreadView } from "./components/ThreadView.js";
import { Pills, TopBar } from "./components/TopBar.js";
import { useNewThread } from "./components/useNewThread.js";

/**
 * The user's threads beside one conversation; on a phone, the list sits behind the ☰
 * button. The open thread lives in the URL (`?thread=<threadId>`).
 */
export function App({ initialThreadId }: { initialThreadId: string | null }) {
  const [threadId, setThreadId] = useState(initialThreadId);
  const [drawer, setDrawer] = useState(false);
  const connection = useCodexConnection();
  const host = useCodexHostStatus(chat.hostSessions);

  // Back / forward move between the threads opened here.
  useEffect(() => {
    const onPop = () => setThreadId(new URLSearchParams(window.location.search).get("thread"));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const open = useRef(threadId);
  open.current = threadId;
  const select = useCallback((next: string | null) => {
    setDrawer(false);
    if (next === open.current) return;
    const url = new URL(window.location.href);
    if (next) url.searchParams.set("thread", next);
    else url.searchParams.delete("thread");
    window.history.pushState(null, "", url);
    setThreadId(next);
  }, []);
  const newThread = useNewThread(select);

  return (
    <div className={`layout${drawer ? " drawer-open" : ""}`}>
      <aside className="sidebar" data-testid="sidebar">
        <ErrorBoundary>
          <ThreadList selected={threadId} onSelect={select} newThread={newThread} noHost={host.online === false} onClose={() => setDrawer(false)} />
        </ErrorBoundary>
      </aside>
      {drawer && <button type="button" className="backdrop" aria-label="Close threads" data-testid="close-threads" onClick={() => setDrawer(false)} />}
      <main className="main">
        {threadId ? (
          // Keyed by thread: a switch starts from a fresh conversation, not the old one's.
          <ThreadView key={threadId} threadId={threadId} connection={connection} host={host} onMenu={() => setDrawer(true)} onArchived={() => select(null)} />
        ) : (
          <>
            <TopBar onMenu={() => setDrawer(true)} pills={<Pills connection={connection} host={host} />}>
              <span className="thread-name">codex</span>
            </TopBar>
            <p className="muted empty" data-testid="no-thread">
              Pick a thread (☰), or open this page with <code>?thread=&lt;threadId&gt;</code>.
            </p>
          </>
        )}
      </main>
    </div>
  );
}
