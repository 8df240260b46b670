import {
  useCodexApprovals,
  useCodexConversation,
  useCodexThreadState,
  useCodexTokenUsage,
  useCodexUserInput,
  type CodexConnection,
  type CodexHostStatus,
} from "codex-local-component/react";
import { useEffect, useState } from "react";
import { chat, conversationApi } from "../api.js";
import { Approvals } from "./Approvals.js";
import { Composer } from "./Composer.js";
import { Conversation } from "./Conversation.js";
import { ErrorBoundary } from "./ErrorBoundary.js";
import { PlanSteps } from "./MessageCells.js";
import { Questions } from "./Questions.js";
import { StatusBar, type ThreadPhase } from "./StatusBar.js";
import { ThreadHeader } from "./ThreadHeader.js";
import { Pills, TopBar } from "./TopBar.js";

type ThreadDoc = { name?: string; preview?: string; model?: string; cwd?: string; archived?: boolean };

/**
 * One thread: the conversation scrolls, and the dock under it always shows what needs the
 * user — approvals and questions, the status bar with Interrupt, notices, the queue and the
 * composer — so on a phone none of it scrolls away.
 */
export function ThreadView({
  threadId,
  connection,
  host,
  onMenu,
  onArchived,
}: {
  threadId: string;
  connection: CodexConnection;
  host: CodexHostStatus;
  onMenu(): void;
  onArchived(): void;
}) {
  const args = { threadId };
  const conversation = useCodexConversation(conversationApi, args);
  const thread = useCodexThreadState(chat.threadState, args);
  const approvals = useCodexApprovals(chat.pendingApprovals, args, chat.approvalRespond);
  const userInput = useCodexUserInput(chat.pendingServerRequests, args, chat.resolveServerRequest);
  const { usage } = useCodexTokenUsage(chat.tokenUsage, thread.exists ? args : "skip");
  const [interruptError, setInterruptError] = useState<string>();
  const { state } = conversation;
  const doc = (thread.state as { thread?: ThreadDoc } | null | undefined)?.thread;

  const interrupt = () => {
    setInterruptError(undefined);
    conversation.interrupt().catch((e: unknown) => setInterruptError(e instanceof Error ? e.message : String(e)));
  };
  // Esc interrupts the running turn, as in codex.
  const running = state.taskRunning;
  useEffect(() => {
    if (!running) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      event.preventDefault();
      interrupt();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const waiting = approvals.approvals.length > 0 || userInput.requests.length > 0;
  const phase: ThreadPhase = thread.isLoading
    ? "loading"
    : !thread.exists
      ? "not found"
      : running
        ? waiting
          ? "waiting for approval"
          : "running"
        : state.awaitingTurnStart
          ? "starting"
          : "idle";
  const offline = connection.status === "offline" || connection.status === "reconnecting";
  const noHost = host.online === false;
  const waitingFor = offline
    ? "Held on this device until the connection is back."
    : noHost
      ? "Waiting for a host runtime to come online…"
      : state.pendingCommandId
        ? "Waiting for codex to start…"
        : "Sending…";
  const title = doc?.name ?? doc?.preview ?? (thread.exists ? "New thread" : "Thread");

  return (
    <>
      <TopBar onMenu={onMenu} pills={<Pills connection={connection} host={host} />}>
        <ThreadHeader key={title} threadId={threadId} title={title} archived={doc?.archived ?? false} onArchived={onArchived} />
      </TopBar>
      <ErrorBoundary>
        <Conversation conversation={conversation} cwd={doc?.cwd} waitingFor={waitingFor} />
      </ErrorBoundary>
      <div className="dock" data-testid="dock">
        <Approvals approvals={approvals.approvals} respond={approvals.respond} transcript={state.transcript} cwd={doc?.cwd} />
        <Questions requests={userInput.requests} answer={userInput.answer} />
        {state.plan.length > 0 && running && state.planTurnId === state.turnId && (
          <details className="live-plan" data-testid="live-plan">
            <summary>{`Plan · ${state.plan.filter((s) => s.status === "completed").length}/${state.plan.length}`}</summary>
            <PlanSteps steps={state.plan} />
          </details>
        )}
        <StatusBar
          phase={phase}
          state={state}
          model={doc?.model}
          usage={usage}
          lastTurnStatus={thread.lastTurn?.status}
          retrying={thread.activeTurn?.retrying}
          onInterrupt={interrupt}
          interruptError={interruptError}
          startingWord={offline ? "Waiting for the connection" : noHost ? "Waiting for a host" : "Starting…"}
        />
        {offline && (
          <p className="notice" data-testid="offline-notice" role="status">
            {connection.status === "offline" ? "Offline." : "Reconnecting…"} What you send is held on this device and goes out when the connection is back
            {connection.pendingWrites > 0 ? ` (${connection.pendingWrites} waiting)` : ""}.
          </p>
        )}
        {!offline && noHost && (
          <p className="notice" data-testid="host-notice" role="status">
            No host runtime is online for you, so nothing will run codex.
            {state.pendingInput !== undefined ? " Your message waits until one connects." : " A message you send waits until one connects (start one with pnpm web or pnpm demo)."}
            {state.pendingCommandId && (
              <button type="button" data-testid="cancel-pending" onClick={() => void conversation.cancelPending().catch(() => undefined)}>
                Cancel message
              </button>
            )}
          </p>
        )}
        <Composer conversation={conversation} disabled={phase === "not found"} />
      </div>
    </>
  );
}
