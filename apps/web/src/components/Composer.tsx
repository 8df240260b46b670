import type { CodexConversation } from "codex-local-component/react";
import { useState, type FormEvent, type KeyboardEvent } from "react";

/**
 * The input: sent at once when nothing runs; typed during a turn it is queued (shown below,
 * sent when the turn ends) unless "Steer now" sends it into the running turn.
 */
export function Composer({ conversation, disabled }: { conversation: CodexConversation; disabled: boolean }) {
  const [text, setText] = useState("");
  const { state } = conversation;
  const busy = state.taskRunning || state.awaitingTurnStart;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim() || disabled) return;
    conversation.submit(text);
    setText("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a new line (as in codex); not while composing (IME).
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <div className="composer-area">
      {state.queuedInputs.length > 0 && (
        <ul className="queue" data-testid="queue" aria-label="Queued messages">
          {state.queuedInputs.map((q, i) => (
            <li key={`${i}-${q}`} data-testid="queued-input">
              <span className="badge">Queued</span>
              <span className="queued-text">{q}</span>
              {state.taskRunning && (
                <button type="button" data-testid="steer-now" onClick={() => void conversation.steer(i)}>
                  Steer now
                </button>
              )}
              <button type="button" className="icon" aria-label="Remove from queue" data-testid="unqueue" onClick={() => conversation.removeQueued(i)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="composer" onSubmit={submit}>
        <textarea
          data-testid="composer-input"
          value={text}
          rows={1}
          placeholder={busy ? "Queue a message" : "Message codex"}
          aria-label="Message"
          enterKeyHint="send"
          disabled={disabled}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="primary send" data-testid="composer-send" disabled={!text.trim() || disabled}>
          {busy ? "Queue" : "Send"}
        </button>
      </form>
    </div>
  );
}
