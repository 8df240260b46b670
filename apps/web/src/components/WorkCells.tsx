import {
  commandStatusWord,
  describeAction,
  displayCommand,
  formatDuration,
  type ExecCall,
  type PatchChange,
  type TranscriptCell,
} from "codex-local-component/react";
import { Diff, diffStat, shortPath } from "./Diff.js";

type Cell<K extends TranscriptCell["kind"]> = Extract<TranscriptCell, { kind: K }>;

const OUTPUT_PREVIEW_LINES = 8;

/** A status word as a class name: `Waiting for approval` → `status-waiting-for-approval`. */
const statusClass = (word: string) => `status-${word.toLowerCase().replaceAll(" ", "-")}`;

function outputLines(output: string): number {
  const trimmed = output.replace(/\n$/, "");
  return trimmed === "" ? 0 : trimmed.split("\n").length;
}

/** One command: as typed (no shell wrapper), a status word, exit code and duration, its output behind a tap when long. */
export function ExecCell({ call, cwd }: { call: ExecCall; cwd: string | undefined }) {
  const word = commandStatusWord(call);
  const lines = outputLines(call.output);
  return (
    <article className={`cell exec ${statusClass(word)}`} data-testid="command" data-status={word}>
      <header>
        <span className="badge">{word}</span> <code data-testid="command-line">{displayCommand(call.command)}</code>
      </header>
      <p className="meta muted">
        {call.exitCode !== undefined && (
          <>
            exit code <span data-testid="command-exit-code">{call.exitCode}</span>
          </>
        )}
        {call.durationMs !== undefined && <span data-testid="command-duration"> · {formatDuration(call.durationMs)}</span>}
        {call.cwd && call.cwd !== cwd && <span> · in {call.cwd}</span>}
      </p>
      {lines > 0 && lines <= OUTPUT_PREVIEW_LINES && <pre data-testid="command-output">{call.output}</pre>}
      {lines > OUTPUT_PREVIEW_LINES && (
        <details open={!call.done}>
          <summary>{`Output · ${lines} lines`}</summary>
          <pre data-testid="command-output">{call.output}</pre>
        </details>
      )}
      {call.outputTruncated && <p className="muted">The stored output was cut; the rest stayed on the host.</p>}
    </article>
  );
}

/** Consecutive reads, listings and searches as one "Explored" group (seed 004). */
export function ExploredCell({ calls, running }: { calls: ExecCall[]; running?: boolean }) {
  const word = running ? commandStatusWord(calls.at(-1)!) : "Explored";
  return (
    <article className={`cell explored ${statusClass(word)}`} data-testid="explored" data-status={word}>
      <header>
        <span className="badge">{word}</span>
      </header>
      <ul>
        {calls.flatMap((call) =>
          call.commandActions.map((action, i) => (
            <li key={`${call.callId}-${i}`} data-testid="explored-action">
              {describeAction(action)}
            </li>
          )),
        )}
      </ul>
    </article>
  );
}

const changeKind: Record<PatchChange["kind"], string> = { add: "added", delete: "deleted", update: "modified" };
const patchWord = (status: string) =>
  ({ inProgress: "Editing", completed: "Edited", failed: "Edit failed", declined: "Edit declined", interrupted: "Edit stopped" })[status] ?? status;

export function FileChanges({ changes, cwd }: { changes: PatchChange[]; cwd: string | undefined }) {
  return (
    <>
      {changes.map((change, i) => {
        const { added, removed } = diffStat(change);
        return (
          <details key={i} className="file-change" open data-testid="file-change">
            <summary>
              <code data-testid="file-path">{shortPath(change.path, cwd)}</code>
              {change.movePath && <code> → {shortPath(change.movePath, cwd)}</code>} <span className={`kind kind-${change.kind}`}>{changeKind[change.kind]}</span>{" "}
              <span className="stat">
                <span className="diff-add">+{added}</span> <span className="diff-del">−{removed}</span>
              </span>
            </summary>
            <Diff change={change} />
          </details>
        );
      })}
    </>
  );
}

export function PatchCell({ cell, cwd }: { cell: Cell<"patch">; cwd: string | undefined }) {
  return (
    <article className={`cell patch${cell.awaitingApproval ? " status-waiting-for-approval" : ""}`} data-testid="patch" data-status={cell.status}>
      <header>
        <span className="badge" data-testid="patch-word">
          {cell.awaitingApproval ? "Waiting for approval" : patchWord(cell.status)}
        </span>{" "}
        <span className="muted">{`${cell.changes.length} file${cell.changes.length === 1 ? "" : "s"}`}</span>
      </header>
      <FileChanges changes={cell.changes} cwd={cwd} />
      {cell.truncated && <p className="muted">Some of this change was too large to store.</p>}
    </article>
  );
}

const toolWord = (status: string) => ({ inProgress: "Calling", completed: "Called", failed: "Failed", declined: "Declined", interrupted: "Stopped" })[status] ?? status;

/** An MCP or dynamic tool call, a web search or an image: what was asked and what came back. */
export function ToolCell({ cell }: { cell: Cell<"tool"> }) {
  const d = cell.detail;
  const isSearch = d?.itemType === "webSearch";
  return (
    <article className="cell tool" data-testid="tool" data-status={cell.status}>
      <header>
        <span className="badge">{isSearch ? (cell.status === "inProgress" ? "Searching" : "Searched") : toolWord(cell.status)}</span>{" "}
        <code>{cell.title}</code>
        {d?.durationMs !== undefined && <span className="muted"> · {formatDuration(d.durationMs)}</span>}
      </header>
      {d && !isSearch && (d.input || d.output || d.error) && (
        <details>
          <summary>Details</summary>
          {d.input && <pre>{d.input}</pre>}
          {d.output && <pre>{d.output}</pre>}
          {d.error && <p className="error">{d.error}</p>}
        </details>
      )}
    </article>
  );
}
