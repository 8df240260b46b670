import { useCodexMessages } from "codex-local-component/react";
import { chat } from "../api.js";

/** The conversation, oldest first; an agent message being written shows its streamed text. */
export function Messages({ threadId }: { threadId: string }) {
  const { results, status, loadMore } = useCodexMessages(chat.threadMessages, { threadId }, { initialNumItems: 50, stream: true });

  return (
    <section className="messages" data-testid="messages">
      {status === "CanLoadMore" && (
        <button type="button" onClick={() => loadMore(50)}>
          Older messages
        </button>
      )}
      {results.map((m) => (
        <article
          key={m.key}
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
      ))}
    </section>
  );
}
