import type { CodexConversation, TranscriptCell } from "codex-local-component/react";
import { memo, useRef } from "react";
import { AgentCell, CompactedCell, DroppedCell, FailedInputCell, PendingInput, PlanCell, ReasoningCell, TurnEndCell, UserCell } from "./MessageCells.js";
import { useStickToBottom } from "./useStickToBottom.js";
import { ExecCell, ExploredCell, PatchCell, ToolCell } from "./WorkCells.js";

function cellKey(cell: TranscriptCell, index: number): string {
  switch (cell.kind) {
    case "exec":
      return `exec:${cell.call.turnId ?? ""}/${cell.call.callId}`;
    case "explored":
      return `explored:${cell.calls[0]?.turnId ?? ""}/${cell.calls[0]?.callId ?? index}`;
    case "plan":
      return `plan:${cell.turnId ?? index}`;
    case "turn_end":
      return `end:${cell.turnId}`;
    case "dropped":
      return `dropped:${cell.id}`;
    default:
      return `${cell.kind}:${cell.turnId ?? ""}/${cell.itemId}`;
  }
}

/** Memoized: the reducer keeps an unchanged cell the same object, so a delta or the clock re-renders only what changed. */
const Cell = memo(function Cell({ cell, cwd }: { cell: TranscriptCell; cwd: string | undefined }) {
  switch (cell.kind) {
    case "user":
      return <UserCell cell={cell} />;
    case "agent":
      return <AgentCell cell={cell} />;
    case "reasoning":
      return <ReasoningCell cell={cell} />;
    case "plan":
      return <PlanCell cell={cell} />;
    case "exec":
      return <ExecCell call={cell.call} cwd={cwd} />;
    case "explored":
      return <ExploredCell calls={cell.calls} />;
    case "patch":
      return <PatchCell cell={cell} cwd={cwd} />;
    case "tool":
      return <ToolCell cell={cell} />;
    case "turn_end":
      return <TurnEndCell cell={cell} />;
    case "dropped":
      return <DroppedCell cell={cell} />;
    case "compacted":
      return <CompactedCell />;
  }
});

/**
 * The thread, oldest first, as `useCodexConversation` folds it: every cell, then what runs
 * now (the command in flight), the input on its way and inputs that failed.
 */
export function Conversation({ conversation, cwd, waitingFor }: { conversation: CodexConversation; cwd: string | undefined; waitingFor: string }) {
  const { state } = conversation;
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const { away, toBottom } = useStickToBottom(scroller, content);
  const active = state.activeExec;
  // A running read joins the Explored group it continues.
  const last = state.transcript.at(-1);
  const joinsExplored = active?.exploring && last?.kind === "explored";
  const cells = joinsExplored ? state.transcript.slice(0, -1) : state.transcript;

  return (
    <div className="scroller" ref={scroller} data-testid="scroller">
      <section className="conversation" data-testid="conversation" ref={content} aria-live="polite">
        {!conversation.isLoaded && <p className="muted">Loading…</p>}
        {conversation.isLoaded && (conversation.olderStatus === "CanLoadMore" || conversation.olderStatus === "LoadingMore") && (
          <button type="button" className="older" data-testid="older-history" disabled={conversation.olderStatus === "LoadingMore"} onClick={conversation.loadOlder}>
            {conversation.olderStatus === "LoadingMore" ? "Loading older messages…" : "Older messages"}
          </button>
        )}
        {conversation.isLoaded && state.transcript.length === 0 && !state.pendingInput && (
          <p className="muted empty">
            Nothing here yet. Say what codex should do — with the scripted model, try <code>[command] echo hi</code>, <code>[patch] notes.txt</code>,{" "}
            <code>[plan]</code>, <code>[reasoning]</code> or <code>[slow]</code>.
          </p>
        )}
        {cells.map((cell, i) => (
          <Cell key={cellKey(cell, i)} cell={cell} cwd={cwd} />
        ))}
        {active &&
          (active.exploring ? (
            <ExploredCell key="active" calls={joinsExplored && last?.kind === "explored" ? [...last.calls, active] : [active]} running />
          ) : (
            <ExecCell key="active" call={active} cwd={cwd} />
          ))}
        {state.pendingInput !== undefined && <PendingInput text={state.pendingInput} waitingFor={waitingFor} />}
        {state.failedInputs.map((input, i) => (
          <FailedInputCell key={`failed-${i}`} input={input} onRetry={() => conversation.retryFailed(i)} onDismiss={() => conversation.dismissFailed(i)} />
        ))}
      </section>
      {away && (
        <button type="button" className="jump" data-testid="jump-to-latest" onClick={toBottom}>
          ↓ Latest
        </button>
      )}
    </div>
  );
}
