import { useCodexThreads } from "codex-local-component/react";
import { chat } from "../api.js";

/** The user's threads, most recently updated first (`listThreads`); picking one opens it. */
export function ThreadList({ selected, onSelect }: { selected: string | null; onSelect(threadId: string): void }) {
  const { results, status, loadMore } = useCodexThreads(chat.listThreads, {}, { initialNumItems: 20 });

  return (
    <nav className="thread-list" data-testid="thread-list">
      <h2>Threads</h2>
      {status === "LoadingFirstPage" && <p className="muted">Loading…</p>}
      {status !== "LoadingFirstPage" && results.length === 0 && <p className="muted">No threads yet.</p>}
      <ul>
        {results.map((t) => (
          <li key={t.threadId}>
            <button
              type="button"
              data-testid="thread-list-item"
              data-thread-id={t.threadId}
              aria-current={t.threadId === selected ? "true" : undefined}
              className={t.threadId === selected ? "selected" : undefined}
              onClick={() => onSelect(t.threadId)}
            >
              <span className="thread-title">{t.name ?? t.preview ?? "New thread"}</span>
              <time className="muted" dateTime={new Date(t.updatedAt).toISOString()}>
                {new Date(t.updatedAt).toLocaleString()}
              </time>
            </button>
          </li>
        ))}
      </ul>
      {status === "CanLoadMore" && (
        <button type="button" onClick={() => loadMore(20)}>
          More threads
        </button>
      )}
    </nav>
  );
}
