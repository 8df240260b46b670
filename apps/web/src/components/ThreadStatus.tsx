import { useCodexInterruptTurn, useCodexThreadState } from "codex-local-component/react";
import { useState } from "react";
import { chat } from "../api.js";

/** The thread's id and turn state, and the button that interrupts the running turn. */
export function ThreadStatus({ threadId }: { threadId: string }) {
  const { isLoading, exists, activeTurn, lastTurn } = useCodexThreadState(chat.threadState, { threadId });
  const interrupt = useCodexInterruptTurn(chat.interruptActiveTurn);
  const [error, setError] = useState<string>();
  const state = isLoading ? "loading" : !exists ? "not found" : activeTurn ? `turn ${activeTurn.status}` : "idle";

  return (
    <header className="thread-status">
      <div>
        <strong>Thread</strong> <code data-testid="thread-id">{threadId}</code>
      </div>
      <div>
        <span data-testid="thread-state" data-active={activeTurn ? "true" : "false"}>
          {state}
        </span>
        {lastTurn && !activeTurn && <span data-testid="last-turn"> · last turn {lastTurn.status}</span>}
        <button
          type="button"
          data-testid="interrupt"
          disabled={!activeTurn}
          onClick={() => {
            setError(undefined);
            interrupt({ threadId, turnId: activeTurn?.turnId }).catch((e: unknown) => setError(String(e)));
          }}
        >
          Interrupt
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </header>
  );
}
