import { formatElapsed, type CodexTokenUsage, type ConversationState } from "codex-local-component/react";

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export type ThreadPhase = "loading" | "not found" | "idle" | "running" | "waiting for approval" | "starting";

/**
 * The running turn at a glance, like codex's status line: what it is doing (its reasoning
 * header), for how long, Interrupt (also Esc); then the model and how much context is left.
 */
export function StatusBar({
  phase,
  state,
  model,
  usage,
  lastTurnStatus,
  retrying,
  onInterrupt,
  interruptError,
  startingWord = "Starting…",
}: {
  /** What a sent input waits for before its turn starts (a host, the connection). */
  startingWord?: string;
  phase: ThreadPhase;
  state: ConversationState;
  model: string | undefined;
  usage: CodexTokenUsage | null | undefined;
  lastTurnStatus: string | undefined;
  /** codex's notice while it retries the model request ("Reconnecting... 1/5"): the status word meanwhile, as in codex's status line. */
  retrying?: string | undefined;
  onInterrupt(): void;
  interruptError: string | undefined;
}) {
  const running = state.taskRunning;
  const word =
    phase === "waiting for approval" ? "Needs your approval" : phase === "starting" ? startingWord : running ? retrying || state.statusHeader || "Working" : phase === "idle" ? "Ready" : phase;
  return (
    <div className="status-bar" data-testid="status-bar" data-running={running ? "true" : "false"}>
      <div className="status-main">
        {(running || phase === "starting") && <span className={phase === "waiting for approval" ? "spinner paused" : "spinner"} aria-hidden="true" />}
        <span className="status-word" data-testid="status-header" data-retrying={running && retrying ? "true" : undefined}>
          {word}
        </span>
        <span className="visually-hidden" data-testid="thread-state" data-active={running ? "true" : "false"}>
          {phase}
        </span>
        {running && (
          <span className="muted" data-testid="elapsed">
            {formatElapsed(state.elapsedMs)}
          </span>
        )}
        {running && <span className="muted hint-esc">· esc to interrupt</span>}
        {!running && lastTurnStatus && lastTurnStatus !== "completed" && lastTurnStatus !== "inProgress" && (
          <span className="muted" data-testid="last-turn">
            · last turn {lastTurnStatus}
          </span>
        )}
        <button type="button" className="interrupt" data-testid="interrupt" disabled={!running} onClick={onInterrupt} aria-keyshortcuts="Escape">
          Interrupt
        </button>
      </div>
      <div className="status-meta muted">
        {model && <span data-testid="model">{model}</span>}
        {usage && (
          <span data-testid="token-usage">
            {`${compact.format(usage.totalTokens)} tokens`}
            {usage.contextLeftPercent !== undefined && ` · ${usage.contextLeftPercent}% context left`}
          </span>
        )}
      </div>
      {interruptError && <p className="error">{interruptError}</p>}
    </div>
  );
}
