import type { CodexMessage } from "codex-local-component/react";
import type { PageComposer } from "./Composer.js";

/** One message; an agent message being written shows its streamed text so far; a send that will never run shows why, with Retry / Dismiss. */
export function Message({ message: m, composer }: { message: CodexMessage; composer: PageComposer }) {
  const key = m.idempotencyKey;
  return (
    <article
      className={`message ${m.role}${m.failed ? " failed" : ""}`}
      data-testid="message"
      data-role={m.role}
      data-streaming={m.streaming ? "true" : "false"}
      data-optimistic={m.optimistic ? "true" : "false"}
      data-failed={m.failed ? "true" : "false"}
    >
      <span className="role">{m.role}</span>
      <p data-testid="message-text">{m.text}</p>
      {m.streaming && <span className="streaming">writing…</span>}
      {m.failed && (
        <div className="failed-send">
          <p className="error" data-testid="message-error">Not sent: {m.error}</p>
          {key && (
            <>
              <button type="button" data-testid="message-retry" onClick={() => void composer.retry(key).catch(() => undefined)}>
                Retry
              </button>
              <button type="button" data-testid="message-dismiss" onClick={() => composer.dismiss(key)}>
                Dismiss
              </button>
            </>
          )}
        </div>
      )}
    </article>
  );
}
