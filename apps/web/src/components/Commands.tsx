import { useCodexAutoResume, type CodexItemDoc } from "codex-local-component/react";
import { useQuery } from "convex/react";
import { chat } from "../api.js";

type CommandItem = CodexItemDoc & { details: Extract<CodexItemDoc["details"], { type: "commandExecution" }> };

const isCommand = (item: CodexItemDoc): item is CommandItem => item.details.type === "commandExecution";

/** The commands codex ran: command line, output (live while running), exit code. */
export function Commands({ threadId }: { threadId: string }) {
  const items = useQuery(chat.threadItems, { threadId });
  const live = useCodexAutoResume(chat.streamSync, { threadId }, { channels: ["commandOutput"] });
  const commands = (items ?? []).filter(isCommand).sort((a, b) => a.startedAt - b.startedAt);
  if (commands.length === 0) return null;

  return (
    <section className="commands">
      {commands.map((item) => {
        const { command, aggregatedOutput, exitCode } = item.details;
        const output = aggregatedOutput ?? live.streams.find((s) => s.itemId === item.itemId)?.text ?? "";
        return (
          <article key={item._id} className="command" data-testid="command" data-status={item.status}>
            <div>
              <code data-testid="command-line">$ {command}</code> <span className="muted">{item.status}</span>
            </div>
            {output && <pre data-testid="command-output">{output}</pre>}
            {exitCode !== undefined && (
              <div>
                exit code <span data-testid="command-exit-code">{exitCode}</span>
              </div>
            )}
          </article>
        );
      })}
    </section>
  );
}
