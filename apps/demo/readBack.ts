/** Reading the conversation back through the app's queries, as any device would, and printing it. */
import type { FunctionReturnType } from "convex/server";
import type { ConvexCaller } from "codex-local-component/host";
import { api } from "../example/convex/_generated/api.js";

const chat = api.codex;

type Item = FunctionReturnType<typeof chat.threadItems>[number];
export type CommandDetails = Extract<Item["details"], { type: "commandExecution" }>;
export type Conversation = {
  messages: FunctionReturnType<typeof chat.threadMessages>["page"];
  items: Item[];
  turns: FunctionReturnType<typeof chat.threadState>["recentTurns"];
};

export async function readConversation(client: ConvexCaller, threadId: string): Promise<Conversation> {
  const page = await client.query(chat.threadMessages, { threadId, paginationOpts: { numItems: 100, cursor: null } });
  const items = await client.query(chat.threadItems, { threadId });
  const state = await client.query(chat.threadState, { threadId });
  // Messages and recent turns come newest first (items already oldest first); a conversation reads oldest first.
  return { messages: [...page.page].reverse(), items, turns: [...state.recentTurns].reverse() };
}

/** The command runs of a conversation, with their typed details. */
export function commandsOf(c: Conversation): Array<Item & { details: CommandDetails }> {
  return c.items.filter((i): i is Item & { details: CommandDetails } => i.details.type === "commandExecution");
}

export function printConversation(
  c: Conversation,
  approvals: Array<{ approval: { kind: string; itemId: string }; status: string }>,
) {
  console.log("── read back from the component ──────────────────────────────");
  c.turns.forEach((turn, n) => {
    console.log(`turn ${n + 1} (${turn.status}${turn.durationMs !== undefined ? `, ${turn.durationMs} ms` : ""})`);
    for (const m of c.messages.filter((m) => m.turnId === turn.turnId)) {
      console.log(`  ${m.role.padEnd(9)} [${m.status}] ${m.text}`);
    }
    for (const item of commandsOf(c).filter((i) => i.turnId === turn.turnId)) {
      const d = item.details;
      console.log(`  command   [${item.status}] ${d.command}`);
      const asked = approvals.find((a) => a.approval.itemId === item.itemId);
      console.log(`            approval: ${asked ? `${asked.approval.kind}, ${asked.status} from the phone` : "none asked"}`);
      console.log(`            exit code ${d.exitCode ?? "?"}, output:`);
      for (const line of (d.aggregatedOutput ?? "").trimEnd().split("\n")) console.log(`            | ${line}`);
    }
  });
  console.log("──────────────────────────────────────────────────────────────");
}
