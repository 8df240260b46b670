import { displayCommand, type CodexApprovalDoc, type CodexApprovals, type PatchChange, type TranscriptCell } from "codex-local-component/react";
import { useState } from "react";
import { FileChanges } from "./WorkCells.js";

type Decision = "accepted" | "acceptedForSession" | "declined";
// codex takes all three for commands and file edits, whatever `availableDecisions` lists
// (0.169 lists accept, an execpolicy amendment and cancel; decline works all the same).
const DECISIONS: Array<{ decision: Decision; label: string; testId: string }> = [
  { decision: "accepted", label: "Accept", testId: "approval-accept" },
  { decision: "acceptedForSession", label: "Accept for session", testId: "approval-accept-session" },
  { decision: "declined", label: "Decline", testId: "approval-decline" },
];

/** The file edit an approval is about: its cell in the conversation (same turn and item). */
function changesOf(approval: CodexApprovalDoc, transcript: readonly TranscriptCell[]): PatchChange[] {
  for (const cell of transcript) {
    if (cell.kind === "patch" && cell.itemId === approval.itemId && (cell.turnId === undefined || cell.turnId === approval.turnId)) return cell.changes;
  }
  return [];
}

/**
 * What codex waits for, answered from this device: the command with its working directory,
 * or the files with their diff; Accept, Accept for session, Decline. An answer here (or on
 * any other device) removes the card at once.
 */
export function Approvals({ approvals, respond, transcript, cwd }: Pick<CodexApprovals, "approvals" | "respond"> & { transcript: readonly TranscriptCell[]; cwd: string | undefined }) {
  const [error, setError] = useState<string>();
  if (approvals.length === 0 && !error) return null;
  const answer = (a: CodexApprovalDoc, decision: Decision) => {
    setError(undefined);
    respond(a, decision).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <section className="approvals" aria-label="Approvals">
      {approvals.map((a) => {
        const changes = a.kind === "fileChange" ? changesOf(a, transcript) : [];
        return (
          <article key={a._id} className="approval" data-testid="approval" data-kind={a.kind}>
            <header>
              <strong>{a.kind === "fileChange" ? "codex wants to edit files" : a.kind === "permissions" ? "codex asks for permissions" : "codex wants to run"}</strong>
            </header>
            {a.command && (
              <pre className="approval-command" data-testid="approval-command">
                {displayCommand(a.command)}
              </pre>
            )}
            {a.cwd && (
              <p className="muted" data-testid="approval-cwd">
                in <code>{a.cwd}</code>
              </p>
            )}
            {a.reason && <p className="reason">{a.reason}</p>}
            {changes.length > 0 && (
              <div data-testid="approval-changes">
                <FileChanges changes={changes} cwd={cwd} />
              </div>
            )}
            <div className="actions">
              {DECISIONS.map((d) => (
                <button key={d.decision} type="button" data-testid={d.testId} className={d.decision === "declined" ? "secondary" : "primary"} onClick={() => answer(a, d.decision)}>
                  {d.label}
                </button>
              ))}
            </div>
          </article>
        );
      })}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
