import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { agentItem, alice, deltas, ingest, itemCompleted, itemStarted, newTest, turnCompleted, turnStarted, userItem } from "./testdata/harness.testonly.js";
import { codexTranscript, normalizeTranscript, streamedByItem, turnIds, userText } from "../protocol/testing/events.js";
import type { InboundEvent } from "./validators.js";

const TH = "thread-1";

describe("listMessages", () => {
  test("paginates newest first across pages with no gaps or repeats, even as new messages arrive", async () => {
    const t = newTest();
    const events: InboundEvent[] = [];
    for (let turn = 0; turn < 12; turn++) {
      events.push(turnStarted(`T${turn}`));
      events.push(itemCompleted(`T${turn}`, userItem(`u${turn}`, `question ${turn}`)));
      events.push(itemCompleted(`T${turn}`, agentItem(`a${turn}`, `answer ${turn}`)));
      events.push(turnCompleted(`T${turn}`, "completed"));
    }
    await ingest(t, alice, TH, events);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const page: { page: Array<{ text: string; order: number }>; isDone: boolean; continueCursor: string } = await t.query(
        api.messages.listMessages,
        { actor: alice, threadId: TH, paginationOpts: { numItems: 10, cursor } },
      );
      seen.push(...page.page.map((m) => m.text));
      pages++;
      // A message arriving mid-pagination is newer than every page: it does not shift them.
      if (pages === 1) await ingest(t, alice, TH, [turnStarted("T99"), itemCompleted("T99", userItem("u99", "late"))]);
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    expect(pages).toBe(3);
    const expected = Array.from({ length: 12 }, (_, i) => [`question ${i}`, `answer ${i}`]).flat().reverse();
    expect(seen).toEqual(expected);
  });

  test("a recorded two-turn conversation: each turn's messages, and the thread's newest first", async () => {
    const t = newTest();
    const { threadId, events } = codexTranscript("two-turns");
    await ingest(t, alice, threadId, events);
    const [first, second] = turnIds(events);
    const replies = [...streamedByItem(events, "agentMessage").values()];
    const question = (n: number) => userText(events, n);
    const texts = async (turnId: string) =>
      (await t.query(api.messages.listTurnMessages, { actor: alice, threadId, turnId })).map((m) => [m.role, m.text]);
    expect(await texts(first!)).toEqual([["user", question(1)], ["assistant", replies[0]]]);
    expect(await texts(second!)).toEqual([["user", question(2)], ["assistant", replies[1]]]);
    const page = await t.query(api.messages.listMessages, { actor: alice, threadId, paginationOpts: { numItems: 3, cursor: null } });
    expect(page.page.map((m) => m.text)).toEqual([replies[1], question(2), replies[0]]);
    expect(page.isDone).toBe(false);
  });

  test("item ids reused in every turn (providers that number items per response) stay separate", async () => {
    const t = newTest();
    // Renumber every item per turn, in order of appearance (i1, i2, …), as such providers do.
    const perTurn = new Map<string, Map<string, string>>();
    const renumber = (turnId: string, itemId: string) => {
      const ids = perTurn.get(turnId) ?? new Map<string, string>();
      perTurn.set(turnId, ids);
      if (!ids.has(itemId)) ids.set(itemId, `i${ids.size + 1}`);
      return ids.get(itemId)!;
    };
    const { threadId, events } = codexTranscript("two-turns", (wire) => {
      const params = wire.params as { turnId?: string; itemId?: string; item?: { id?: string } } | undefined;
      if (!params?.turnId) return wire;
      if (params.itemId) params.itemId = renumber(params.turnId, params.itemId);
      if (params.item?.id) params.item.id = renumber(params.turnId, params.item.id);
      return wire;
    });
    const result = await ingest(t, alice, threadId, events);
    expect(result.rejected).toEqual([]);
    const [first, second] = turnIds(events);
    const replies = [...streamedByItem(events, "agentMessage").values()];
    expect(replies).toHaveLength(1); // both replies streamed under the same item id
    const turnMessages = async (turnId: string) =>
      (await t.query(api.messages.listTurnMessages, { actor: alice, threadId, turnId })).map((m) => [m.role, m.itemId, m.text]);
    const one = await turnMessages(first!);
    const two = await turnMessages(second!);
    expect(one.map(([, itemId]) => itemId)).toEqual(two.map(([, itemId]) => itemId));
    expect(one).toEqual([["user", one[0]![1], userText(events, 1)], ["assistant", one[1]![1], expect.any(String)]]);
    expect(two).toEqual([["user", two[0]![1], userText(events, 2)], ["assistant", two[1]![1], expect.any(String)]]);
    expect(one[1]![2]).not.toBe(two[1]![2]);
    expect(`${one[1]![2]}${two[1]![2]}`).toBe(replies[0]);
    const items = async (turnId: string) => (await t.query(api.items.listItems, { actor: alice, threadId, turnId })).map((i) => i.turnId);
    expect(await items(first!)).toEqual([first, first]);
    expect(await items(second!)).toEqual([second, second]);
  });

  test("one turn starting two items under one id (before and after a tool call) keeps both, in order", async () => {
    const t = newTest();
    const line = (method: string, params: Record<string, unknown>) => JSON.stringify({ method, params: { threadId: TH, turnId: "T1", ...params }, emittedAtMs: 1_800_000_000_000 });
    const message = (text: string) => [
      line("item/started", { item: { type: "agentMessage", id: "msg_1", text: "" } }),
      line("item/agentMessage/delta", { itemId: "msg_1", delta: text }),
      line("item/completed", { item: { type: "agentMessage", id: "msg_1", text } }),
    ];
    const lines = [
      JSON.stringify({ method: "turn/started", params: { threadId: TH, turn: { id: "T1", status: "inProgress", items: [] } } }),
      ...message("Let me run it."),
      line("item/started", { item: { type: "commandExecution", id: "call_1", command: "ls", cwd: "/", status: "inProgress", commandActions: [] } }),
      line("item/completed", { item: { type: "commandExecution", id: "call_1", command: "ls", cwd: "/", status: "completed", commandActions: [], exitCode: 0 } }),
      ...message("Ran it."),
      JSON.stringify({ method: "turn/completed", params: { threadId: TH, turn: { id: "T1", status: "completed", items: [] } } }),
    ];
    const { events } = normalizeTranscript({ name: "reused-in-turn", lines })[0]!;
    expect((await ingest(t, alice, TH, events)).rejected).toEqual([]);
    const messages = await t.query(api.messages.listTurnMessages, { actor: alice, threadId: TH, turnId: "T1" });
    expect(messages.map((m) => [m.itemId, m.text, m.status])).toEqual([
      ["msg_1", "Let me run it.", "completed"],
      ["msg_1#2", "Ran it.", "completed"],
    ]);
    const items = await t.query(api.items.listItems, { actor: alice, threadId: TH, turnId: "T1" });
    expect(items.map((i) => [i.itemId, i.details.type, i.status])).toEqual([
      ["msg_1", "agentMessage", "completed"],
      ["call_1", "commandExecution", "completed"],
      ["msg_1#2", "agentMessage", "completed"],
    ]);
  });

  test("a reply codex abandoned (a second input folded into the turn) is interrupted, though the turn completed", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [
      turnStarted("T1"),
      itemCompleted("T1", userItem("u1", "first")),
      itemStarted("T1", agentItem("a1")),
      ...deltas("T1", "a1", "still going", 4),
      itemCompleted("T1", userItem("u2", "second")),
      itemStarted("T1", agentItem("a2")),
      itemCompleted("T1", agentItem("a2", "second reply")),
      turnCompleted("T1", "completed"),
    ]);
    const messages = await t.query(api.messages.listTurnMessages, { actor: alice, threadId: TH, turnId: "T1" });
    expect(messages.map((m) => [m.text, m.status])).toEqual([
      ["first", "completed"],
      ["still going", "interrupted"],
      ["second", "completed"],
      ["second reply", "completed"],
    ]);
    const items = await t.query(api.items.listItems, { actor: alice, threadId: TH, turnId: "T1" });
    expect(items.find((i) => i.itemId === "a1")?.status).toBe("interrupted");
  });

  test("listTurnMessages is chronological and scoped to the turn", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [
      turnStarted("T1"),
      itemCompleted("T1", userItem("u1", "hi")),
      itemCompleted("T1", agentItem("a1", "hello")),
      itemCompleted("T1", agentItem("a2", "anything else?")),
      turnStarted("T2"),
      itemCompleted("T2", userItem("u2", "no")),
    ]);
    const t1 = await t.query(api.messages.listTurnMessages, { actor: alice, threadId: TH, turnId: "T1" });
    expect(t1.map((m) => m.text)).toEqual(["hi", "hello", "anything else?"]);
    const all = await t.query(api.items.listItems, { actor: alice, threadId: TH, limit: 2 });
    // The thread's two most recent items, oldest first.
    expect(all.map((i) => i.itemId)).toEqual(["a2", "u2"]);
  });
});
