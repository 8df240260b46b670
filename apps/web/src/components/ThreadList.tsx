import { useCodexThreads } from "codex-local-component/react";
import { useEffect, useState } from "react";
import { chat } from "../api.js";
import type { NewThread } from "./useNewThread.js";

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday", else the date. */
export function lastActivity(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, "hour");
  const days = Math.round(hours / 24);
  if (Math.abs(days) < 7) return relative.format(days, "day");
  return new Date(at).toLocaleDateString();
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The user's threads, most recently active first: name (else what was asked first), last activity, running. */
export function ThreadList({
  selected,
  onSelect,
  newThread,
  noHost,
  onClose,
}: {
  selected: string | null;
  onSelect(threadId: string): void;
  newThread?: NewThread;
  /** No host runtime is online: a new thread waits for one. */
  noHost?: boolean;
  /** Phones: closes the drawer the list sits in. */
  onClose?: () => void;
}) {
  const [showArchived, setShowArchived] = useState(false);
  const { results, status, loadMore } = useCodexThreads(chat.listThreads, showArchived ? { includeArchived: true } : {}, { initialNumItems: 20 });
  const now = useNow(30_000);

  return (
    <nav className="thread-list" data-testid="thread-list" aria-label="Threads">
      <div className="thread-list-head">
        <h2>Threads</h2>
        {newThread && (
          <button type="button" className="primary" data-testid="new-thread" disabled={newThread.pending} onClick={newThread.start}>
            {newThread.pending ? "Starting…" : "+ New"}
          </button>
        )}
        {onClose && (
          <button type="button" className="icon close-drawer" aria-label="Close threads" onClick={onClose}>
            ×
          </button>
        )}
      </div>
      {newThread?.pending && noHost && (
        <p className="notice" data-testid="new-thread-notice">
          No host runtime is online: the thread starts when one connects.
          <button type="button" onClick={newThread.cancel}>
            Cancel
          </button>
        </p>
      )}
      {newThread?.error && <p className="error">{newThread.error}</p>}
      {status === "LoadingFirstPage" && <p className="muted">Loading…</p>}
      {status !== "LoadingFirstPage" && results.length === 0 && <p className="muted">No threads yet.</p>}
      <ul>
        {results.map((t) => (
          <li key={t.threadId}>
            <button
              type="button"
              data-testid="thread-list-item"
              data-thread-id={t.threadId}
              data-running={t.activeTurnId ? "true" : "false"}
              aria-current={t.threadId === selected ? "true" : undefined}
              className={t.threadId === selected ? "selected" : undefined}
              onClick={() => onSelect(t.threadId)}
            >
              <span className="thread-title">
                {t.activeTurnId && <span className="running-dot" aria-label="running" title="A turn is running" />}
                {t.name ?? t.preview ?? "New thread"}
                {t.archived && <span className="muted"> (archived)</span>}
              </span>
              {t.name && t.preview && <span className="thread-preview muted">{t.preview}</span>}
              <time className="muted" dateTime={new Date(t.updatedAt).toISOString()}>
                {lastActivity(t.updatedAt, now)}
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
      <label className="archived-toggle">
        <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show archived
      </label>
    </nav>
  );
}
