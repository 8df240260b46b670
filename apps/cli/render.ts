/**
 * What the ephemeral CLI prints for codex's events, straight from the bridge: streamed text
 * as it comes, a command as it starts and how it ended, and the end of each turn.
 */
import type { BridgeEvent } from "codex-local-component/bridge";
import type { ServerRequestMessage } from "codex-local-component/protocol";

export type Rendered = { text?: string; line?: string; turnEnded?: boolean };

type Item = { type: string; command?: string; exitCode?: number | null; aggregatedOutput?: string | null; status?: string };

export function renderEvent({ event, message }: BridgeEvent): Rendered {
  if (event.type === "stream_delta") return event.channel === "agentMessage" ? { text: event.delta } : {};
  if (message.kind !== "notification") return {};
  const params = message.params as { item?: Item; turn?: { status: string; error?: { message?: string } | null } };
  switch (message.method) {
    case "item/started":
      return params.item?.type === "commandExecution" ? { line: `$ ${params.item.command ?? ""}` } : {};
    case "item/completed": {
      const item = params.item;
      if (item?.type === "agentMessage") return { text: "\n" };
      if (item?.type !== "commandExecution") return {};
      const output = (item.aggregatedOutput ?? "").trimEnd();
      const shown = output ? `${output.split("\n").map((l) => `  │ ${l}`).join("\n")}\n` : "";
      return { line: `${shown}  └ ${item.status}${item.exitCode != null ? `, exit code ${item.exitCode}` : ""}` };
    }
    case "turn/completed": {
      const { status, error } = params.turn!;
      return { line: `— turn ${status}${error?.message ? `: ${error.message}` : ""}`, turnEnded: true };
    }
    default:
      return {};
  }
}

/** The question to ask for an approval codex waits on, or undefined for a request this CLI does not answer. */
export function describeApproval(request: ServerRequestMessage): string | undefined {
  const params = request.params as { command?: string; reason?: string | null; grantRoot?: string | null };
  const why = params.reason ? ` — ${params.reason}` : "";
  if (request.method === "item/commandExecution/requestApproval") return `? codex wants to run: ${params.command ?? "(a command)"}${why}`;
  if (request.method === "item/fileChange/requestApproval") return `? codex wants to change files${params.grantRoot ? ` under ${params.grantRoot}` : ""}${why}`;
  return undefined;
}
