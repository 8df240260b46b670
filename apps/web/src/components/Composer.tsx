import type { useCodexComposer } from "codex-local-component/react";
import { useState, type FormEvent } from "react";
import type { chat } from "../api.js";

export type PageComposer = ReturnType<typeof useCodexComposer<typeof chat.registerTurnStart>>;

/** Queues a turn; the text shows at once (optimistic) until codex's own copy arrives. */
export function Composer({ threadId, composer }: { threadId: string; composer: PageComposer }) {
  const [text, setText] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const inputText = text.trim();
    if (!inputText) return;
    setText("");
    // A rejected send removes its optimistic message and shows in `composer.error`; a send
    // whose command later fails stays in the conversation as a failed bubble (Message.tsx).
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
      {composer.error && composer.failed.length === 0 && <p className="error">{composer.error.message}</p>}
    </form>
  );
}
