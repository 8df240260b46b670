import { useCodexAutoResume, type CodexItemDoc } from "codex-local-component/react";
import { useQuery } from "convex/react";
import { chat } from "../api.js";

export type CommandItem = CodexItemDoc & { details: Extract<CodexItemDoc["details"], { type: "commandExecution" }> };
/** A command run and its output so far (stored once it ends, streamed while it runs). */
export type CommandRun = CommandItem & { output: string };

const isCommand = (item: CodexItemDoc): item is CommandItem => item.details.type === "commandExecution";

/** The thread's command runs, with live output from their `commandOutput` streams. */
export function useCommandRuns(threadId: string): CommandRun[] {
  const items = useQuery(chat.threadItems, { threadId });
  const live = useCodexAutoResume(chat.streamSync, { threadId }, { channels: ["commandOutput"] });
  return (items ?? []).filter(isCommand).map((item) => ({
    ...item,
    output: item.details.aggregatedOutput ?? live.streams.find((s) => s.itemId === item.itemId)?.text ?? "",
  }));
}

/** One command codex ran: command line, status, output, exit code. */
export function Command({ run }: { run: CommandRun }) {
  const { command, exitCode } = run.details;
  return (
    <article className="command" data-testid="command" data-status={run.status}>
      <div>
        <code data-testid="command-line">$ {command}</code> <span className="muted">{run.status}</span>
      </div>
      {run.output && <pre data-testid="command-output">{run.output}</pre>}
      {exitCode !== undefined && (
        <div>
          exit code <span data-testid="command-exit-code">{exitCode}</span>
        </div>
      )}
    </article>
  );
}
