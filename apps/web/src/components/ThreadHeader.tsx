import { useMutation } from "convex/react";
import { useState, type FormEvent } from "react";
import { threads } from "../api.js";

/** The thread's name (tap for Rename / Archive) and its id. */
export function ThreadHeader({ threadId, title, archived, onArchived }: { threadId: string; title: string; archived: boolean; onArchived(): void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(title);
  const [error, setError] = useState<string>();
  const rename = useMutation(threads.renameThread);
  const archive = useMutation(threads.archiveThread);
  const unarchive = useMutation(threads.unarchiveThread);
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    rename({ threadId, name: name.trim() })
      .then(() => setOpen(false))
      .catch(fail);
  };

  return (
    <div className="thread-header">
      <button type="button" className="title-button" data-testid="thread-title" aria-expanded={open} onClick={() => (setName(title), setOpen(!open), setError(undefined))}>
        <span className="thread-name">
          {title}
          {archived && (
            <span className="muted" data-testid="thread-archived">
              {" "}
              (archived)
            </span>
          )}
        </span>
        <span className="muted thread-id" data-testid="thread-id">
          {threadId}
        </span>
      </button>
      {open && (
        <div className="thread-actions" data-testid="thread-actions">
          <form onSubmit={submit}>
            <input aria-label="Thread name" data-testid="rename-input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
            <button type="submit" className="primary" data-testid="rename-save">
              Rename
            </button>
          </form>
          {archived ? (
            <button type="button" data-testid="unarchive" onClick={() => unarchive({ threadId }).then(() => setOpen(false)).catch(fail)}>
              Unarchive
            </button>
          ) : (
            <button type="button" data-testid="archive" onClick={() => archive({ threadId }).then(() => (setOpen(false), onArchived())).catch(fail)}>
              Archive
            </button>
          )}
          {error && <p className="error">{error}</p>}
        </div>
      )}
    </div>
  );
}
