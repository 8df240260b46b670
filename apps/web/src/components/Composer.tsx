import { useCodexComposer } from "codex-local-component/react";
import { useState, type FormEvent } from "react";
import { chat } from "../api.js";

/** Queues a turn; the text shows at once (optimistic) until codex's own copy arrives. */
export function Composer({ threadId }: { threadId: string }) {
  const composer = useCodexComposer(chat.registerTurnStart, { optimistic: chat.threadMessages });
  const [text, setText] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const inputText = text.trim();
    if (!inputText) return;
    setText("");
    // A failed send removes its optimistic message and shows in `composer.error`.
    composer.send({ threadId, inputText }).catch(() => undefined);
  };

  return (
    <form className="composer" onSubmit={submit}>
      <input
        data-testid="composer-input"
        value={text}
        placeholder="Message codex (try: [command] echo hi)"
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" data-testid="composer-send" disabled={!text.trim()}>
        Send
      </button>
      {composer.error && <p className="error">{composer.error.message}</p>}
    </form>
  );
}
