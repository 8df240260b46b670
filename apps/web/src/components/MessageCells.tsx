import type { FailedInput, PlanStep, TranscriptCell } from "codex-local-component/react";
import { MarkdownText } from "./Markdown.js";

type Cell<K extends TranscriptCell["kind"]> = Extract<TranscriptCell, { kind: K }>;

export function UserCell({ cell }: { cell: Cell<"user"> }) {
  return (
    <article className="cell user" data-testid="message" data-role="user">
      <p className="bubble" data-testid="message-text">
        {cell.text}
      </p>
    </article>
  );
}

/** codex's reply: committed lines only while it streams (newline-gated), as Markdown. */
export function AgentCell({ cell }: { cell: Cell<"agent"> }) {
  const text = cell.lines.join("\n");
  return (
    <article className="cell assistant" data-testid="message" data-role="assistant" data-streaming={cell.done ? "false" : "true"}>
      <div data-testid="message-text" className="answer">
        <MarkdownText text={text} />
        {!cell.done && <span className="caret" aria-label="codex is writing" />}
      </div>
    </article>
  );
}

/** What codex thought: its bold header, the summary behind a tap. */
export function ReasoningCell({ cell }: { cell: Cell<"reasoning"> }) {
  const body = cell.header ? cell.summary.replace(`**${cell.header}**`, "").trim() : cell.summary;
  return (
    <details className="cell reasoning" data-testid="reasoning">
      <summary>
        <span className="reasoning-header">{cell.header ?? "Thinking"}</span>
        {!cell.done && <span className="muted"> · thinking…</span>}
      </summary>
      {body && <MarkdownText text={body} />}
    </details>
  );
}

const planMark: Record<PlanStep["status"], string> = { completed: "✓", in_progress: "▸", pending: "○" };

export function PlanSteps({ steps }: { steps: PlanStep[] }) {
  return (
    <ol className="plan-steps">
      {steps.map((s, i) => (
        <li key={i} className={`plan-${s.status}`} data-testid="plan-step" data-status={s.status}>
          <span className="plan-mark" aria-hidden="true">
            {planMark[s.status]}
          </span>
          <span>{s.step}</span>
        </li>
      ))}
    </ol>
  );
}

export function PlanCell({ cell }: { cell: Cell<"plan"> }) {
  const done = cell.steps.filter((s) => s.status === "completed").length;
  return (
    <article className="cell plan" data-testid="plan">
      <header>
        <strong>Plan</strong> <span className="muted">{`${done} of ${cell.steps.length} done`}</span>
      </header>
      {cell.explanation && <p className="muted">{cell.explanation}</p>}
      <PlanSteps steps={cell.steps} />
    </article>
  );
}

/** A turn that did not finish: interrupted, or failed with codex's own error. */
export function TurnEndCell({ cell }: { cell: Cell<"turn_end"> }) {
  return (
    <p className={`cell turn-end ${cell.status}`} data-testid="turn-end" data-status={cell.status} role="status">
      {cell.status === "interrupted" ? "■ Interrupted — the turn was stopped here." : `✗ Turn failed: ${cell.error ?? "codex reported no reason"}`}
    </p>
  );
}

/** codex compacted its context here: the conversation above is summarized for the model. */
export function CompactedCell() {
  return (
    <p className="cell turn-end compacted" data-testid="compacted" role="status">
      ⟲ Context compacted — codex summarized the conversation so far.
    </p>
  );
}

/** Part of the turn the backend could not store: said where it happened, not silently missing. */
export function DroppedCell({ cell }: { cell: Cell<"dropped"> }) {
  return (
    <p className="cell turn-end dropped" data-testid="dropped" role="status">
      {`⚠ Not saved: ${cell.what} — ${cell.code}: ${cell.message}`}
    </p>
  );
}

/** The input sent and not started yet: its bubble says what it waits for. */
export function PendingInput({ text, waitingFor }: { text: string; waitingFor: string }) {
  return (
    <article className="cell user pending" data-testid="message" data-role="user" data-pending="true">
      <p className="bubble" data-testid="message-text">
        {text}
      </p>
      <p className="muted note" data-testid="pending-note">
        {waitingFor}
      </p>
    </article>
  );
}

export function FailedInputCell({ input, onRetry, onDismiss }: { input: FailedInput; onRetry(): void; onDismiss(): void }) {
  return (
    <article className="cell user failed" data-testid="message" data-role="user" data-failed="true">
      <p className="bubble" data-testid="message-text">
        {input.text}
      </p>
      <p className="error" data-testid="message-error">
        Not sent: {input.error}
      </p>
      <div className="actions">
        <button type="button" data-testid="message-retry" onClick={onRetry}>
          Retry
        </button>
        <button type="button" data-testid="message-dismiss" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </article>
  );
}
