import type { CodexMessage } from "codex-local-component/react";

/** One message; an agent message being written shows its streamed text so far. */
export function Message({ message: m }: { message: CodexMessage }) {
  return (
    <article
      className={`message ${m.role}`}
      data-testid="message"
      data-role={m.role}
      data-streaming={m.streaming ? "true" : "false"}
      data-optimistic={m.optimistic ? "true" : "false"}
    >
      <span className="role">{m.role}</span>
      <p data-testid="message-text">{m.text}</p>
      {m.streaming && <span className="streaming">writing…</span>}
    </article>
  );
}
