/** Reading the conversation back through the app's queries, as any device would, and printing it. */
import { anyApi, type FunctionReference } from "convex/server";
import type { ConvexCaller } from "codex-local-component/host";

const chat = anyApi.chat as Record<string, FunctionReference<"query">>;

export type Conversation = {
  messages: Array<{ role: string; text: string; status: string; turnId: string }>;
  items: Array<{ itemId: string; turnId: string; status: string; details: Record<string, unknown> & { type: string } }>;
  turns: Array<{ turnId: string; status: string; durationMs?: number }>;
};

export async function readConversation(client: ConvexCaller, threadId: string): Promise<Conversation> {
  const page = (await client.query(chat.threadMessages!, { threadId, paginationOpts: { numItems: 100, cursor: null } })) as {
    page: Conversation["messages"];
  };
  const items = (await client.query(chat.threadItems!, { threadId })) as Conversation["items"];
  const state = (await client.query(chat.threadState!, { threadId })) as { recentTurns: Conversation["turns"] };
  return { messages: [...page.page].reverse(), items, turns: [...state.recentTurns].reverse() };
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
    for (const item of c.items.filter((i) => i.turnId === turn.turnId && i.details.type === "commandExecution")) {
      const d = item.details as { command?: string; aggregatedOutput?: string; exitCode?: number };
      console.log(`  command   [${item.status}] ${d.command}`);
      const asked = approvals.find((a) => a.approval.itemId === item.itemId);
      console.log(`            approval: ${asked ? `${asked.approval.kind}, ${asked.status} from the phone` : "none asked"}`);
      console.log(`            exit code ${d.exitCode ?? "?"}, output:`);
      for (const line of (d.aggregatedOutput ?? "").trimEnd().split("\n")) console.log(`            | ${line}`);
    }
  });
  console.log("──────────────────────────────────────────────────────────────");
}
