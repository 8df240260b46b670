import { useCodexStreamingReasoning, useCodexThreadState } from "codex-local-component/react";
import { chat } from "../api.js";

/** What codex says it is doing while a turn runs: the latest reasoning header, else "Working". */
export function ReasoningStatus({ threadId }: { threadId: string }) {
  const { activeTurn } = useCodexThreadState(chat.threadState, { threadId });
  const reasoning = useCodexStreamingReasoning(chat.threadMessages, { threadId });
  if (!activeTurn) return null;
  const header = reasoning.filter((r) => r.turnId === activeTurn.turnId && r.header).at(-1)?.header;
  return (
    <p className="reasoning-status" data-testid="status-header">
      {header ?? "Working"}…
    </p>
  );
}
