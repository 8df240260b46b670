// End to end, with a model provider that numbers items afresh in every response (`msg_1`,
// `rs_1`, `call_1` … in each, as many local and OpenAI-compatible servers do): REAL codex passes
// those ids through, so turns share item ids, and one turn can even start two items under one
// id. Nothing may be overwritten. Read back through the example app's queries.
import { afterEach, describe, expect, test } from "vitest";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 100, cursor: null };
type Msg = { role: string; text: string; status: string; turnId: string; itemId: string };
type Item = { itemId: string; turnId: string; status: string; details: Record<string, unknown> & { type: string } };
type Segment = { turnId: string; itemId: string; channel: string; index: number; text: string; status: string };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const messages = async (harness: Harness, threadId: string) =>
  [...((await harness.device.query(chat.threadMessages, { threadId, paginationOpts: page })) as { page: Msg[] }).page].reverse();
const items = async (harness: Harness, threadId: string, turnId: string) =>
  (await harness.device.query(chat.threadItems, { threadId, turnId })) as Item[];
const reasoning = async (harness: Harness, threadId: string) =>
  ((await harness.device.query(chat.threadReasoning, { threadId, paginationOpts: page })) as { page: Segment[] }).page;

async function runTurn(harness: Harness, threadId: string, text: string) {
  const { turnId } = await harness.runtime.sendTurn(text);
  await waitFor(
    async () => ((await harness.device.query(chat.threadState, { threadId })) as { recentTurns: Array<{ turnId: string; status: string }> }).recentTurns,
    (turns) => turns.find((t) => t.turnId === turnId)?.status === "completed",
  );
  return turnId;
}

describe("item ids reused by the model provider", () => {
  test("text, reasoning and command turns in a row, and a turn reusing an id before and after its tool call", async () => {
    h = await startHarness({ model: { itemIds: "perResponse" }, runtime: { thread: { approvalPolicy: "never", sandbox: "workspace-write" } } });
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });

    h.model.enqueue({ type: "text", text: "First reply, in pieces.", chunks: 5 });
    const text = await runTurn(h, threadId, "one");
    const thinking = await runTurn(h, threadId, "[reasoning] Second reply.");
    h.model.enqueue({ type: "command", command: "echo reused", escalated: false, preamble: "Let me run it.", finalText: "It printed reused." });
    const command = await runTurn(h, threadId, "three");
    h.model.enqueue({ type: "text", text: "Fourth reply.", chunks: 3 });
    const last = await runTurn(h, threadId, "four");
    await h.runtime.flush();

    // codex really passed the provider's ids through: every reply is `msg_1`.
    const replies = (await messages(h, threadId)).filter((m) => m.role === "assistant");
    expect(replies.map((m) => [m.turnId, m.itemId, m.text, m.status])).toEqual([
      [text, "msg_1", "First reply, in pieces.", "completed"],
      [thinking, "msg_1", "Second reply.", "completed"],
      // One turn, two messages under one id: the preamble and the answer after the tool call.
      [command, "msg_1", "Let me run it.", "completed"],
      [command, "msg_1#2", "It printed reused.", "completed"],
      [last, "msg_1", "Fourth reply.", "completed"],
    ]);
    const ran = await items(h, threadId, command);
    expect(ran.map((i) => [i.itemId, i.details.type])).toEqual([
      [expect.any(String), "userMessage"],
      ["msg_1", "agentMessage"],
      ["call_1", "commandExecution"],
      ["msg_1#2", "agentMessage"],
    ]);
    expect(ran.find((i) => i.details.type === "commandExecution")?.details).toMatchObject({ aggregatedOutput: "reused\n", exitCode: 0 });
    const segments = (await reasoning(h, threadId)).filter((s) => s.channel === "summary");
    expect(segments.map((s) => [s.turnId, s.itemId, s.index, s.status])).toEqual(
      expect.arrayContaining([
        [thinking, "rs_1", 0, "completed"],
        [thinking, "rs_1", 1, "completed"],
      ]),
    );
    // Each reply's stream replays exactly its own text: no stream was continued across items.
    for (const reply of replies) {
      const replay = (await h.device.query(chat.streamResume, { threadId, turnId: reply.turnId, fromCursor: 0 })) as {
        streams: Array<{ streamId: string }>;
        deltas: Array<{ streamId: string; cursorStart: number; text: string }>;
      };
      const streamId = `${reply.turnId}/${reply.itemId}/agentMessage`;
      const own = replay.deltas.filter((d) => d.streamId === streamId).sort((a, b) => a.cursorStart - b.cursorStart);
      expect(own.map((d) => d.text).join("")).toBe(reply.text);
    }

    // codex's own history (what a backfill reads) names the same items: re-sending it changes nothing.
    const before = JSON.stringify(await messages(h, threadId));
    const { events } = await h.runtime.backfillThread();
    expect(events).toBeGreaterThan(0);
    await h.runtime.flush();
    expect(JSON.stringify(await messages(h, threadId))).toBe(before);
  }, 60_000);
});
