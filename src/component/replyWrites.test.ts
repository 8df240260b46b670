/**
 * What one reply writes besides its text: no row a reader needs is rewritten between the
 * reply's start and its end, and what those writes used to carry (the message's stream,
 * the thread's message count) lands in the writes that happen at the end anyway.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api.js";
import { eventDroppedRecord } from "../contract/limits.js";
import { THREAD_TOUCH_MS } from "../contract/limits.js";
import {
  agentItem,
  alice,
  deltas,
  ingest,
  itemCompleted,
  itemStarted,
  newTest,
  snapshot,
  turnCompleted,
  turnStarted,
  userItem,
  type T,
} from "./testdata/harness.testonly.js";

const TH = "thread-1";
const SID = "T1/a1/agentMessage";
const reply = "Streams arrive in pieces and land once. ".repeat(5);

type Row = Record<string, unknown>;
const rows = async (t: T) => (await snapshot(t)) as unknown as Record<string, Row[]>;
const threadRow = async (t: T) => (await rows(t)).threads![0]!;
const reply1 = async (t: T) => (await rows(t)).messages!.find((m) => m.role === "assistant")!;

/** A turn with the user's message, and the reply's item started. */
async function startReply(t: T) {
  await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", userItem("u1", "hi")), itemCompleted("T1", userItem("u1", "hi"))]);
  const before = await threadRow(t);
  await ingest(t, alice, TH, [itemStarted("T1", agentItem("a1"))]);
  return before;
}

async function stream(t: T, text: string) {
  const evs = deltas("T1", "a1", text, 20);
  for (let i = 0; i < evs.length; i += 2) await ingest(t, alice, TH, evs.slice(i, i + 2));
}

afterEach(() => vi.useRealTimers());

describe("a reply's writes", () => {
  test("between its start and its end only delta rows (and its stream's first row) are written; the end links and counts the message", async () => {
    const t = newTest();
    const threadBefore = await startReply(t);
    // The reply's start leaves the thread row alone: it is counted when it ends.
    expect(await threadRow(t)).toEqual(threadBefore);
    expect(threadBefore.messageCount).toBe(1);
    const started = await reply1(t);
    expect(started).toMatchObject({ status: "streaming", text: "" });
    expect(started.streamId).toBeUndefined();

    await stream(t, reply);
    expect(await reply1(t)).toEqual(started);
    expect(await threadRow(t)).toEqual(threadBefore);

    await ingest(t, alice, TH, [itemCompleted("T1", agentItem("a1", reply)), turnCompleted("T1", "completed")]);
    expect(await reply1(t)).toMatchObject({ status: "completed", text: reply, streamId: SID });
    const ended = await threadRow(t);
    expect(ended.messageCount).toBe(2);
    expect(ended.activeTurnId).toBeUndefined();
    // Re-sending the end changes nothing: the reply is counted once.
    await ingest(t, alice, TH, [itemCompleted("T1", agentItem("a1", reply), 1), turnCompleted("T1", "completed")]);
    expect((await threadRow(t)).messageCount).toBe(2);
  });

  test("a reply the turn's end cuts off keeps its stream and is counted", async () => {
    const t = newTest();
    await startReply(t);
    await stream(t, reply.slice(0, 60));
    await ingest(t, alice, TH, [turnCompleted("T1", "interrupted")]);
    expect(await reply1(t)).toMatchObject({ status: "interrupted", text: reply.slice(0, 60), streamId: SID });
    expect((await threadRow(t)).messageCount).toBe(2);
  });

  test("a reply the idle sweep aborts is counted without moving the thread's updatedAt", async () => {
    const t = newTest();
    await startReply(t);
    await stream(t, reply.slice(0, 40));
    const before = await threadRow(t);
    const result = await t.mutation(internal.cleanup.sweep, { now: Date.now() + 60 * 60 * 1000, reschedule: false });
    expect(result.aborted).toBe(1);
    expect(await reply1(t)).toMatchObject({ status: "interrupted", text: reply.slice(0, 40), streamId: SID });
    expect(await threadRow(t)).toMatchObject({ messageCount: 2, updatedAt: before.updatedAt });
  });

  test("a turn's and an item's start and end are their rows' record: none is logged, and one re-sent under any event id is a duplicate that changes nothing", async () => {
    const t = newTest();
    const turn = () => [
      turnStarted("T1"),
      itemStarted("T1", userItem("u1", "hi")),
      itemCompleted("T1", userItem("u1", "hi")),
      itemStarted("T1", agentItem("a1")),
      itemCompleted("T1", agentItem("a1", "done")),
      turnCompleted("T1", "completed"),
    ];
    expect(await ingest(t, alice, TH, turn())).toMatchObject({ accepted: 6, duplicates: 0, rejected: [] });
    const before = await rows(t);
    expect(before.lifecycle_events).toEqual([]);
    expect(before.items).toMatchObject([{ itemId: "u1", status: "completed" }, { itemId: "a1", status: "completed" }]);
    // The raw item is kept once, on its row, with the text the message holds pointed at.
    expect(JSON.parse(before.items![1]!.payloadJson as string)).toMatchObject({ type: "agentMessage", id: "a1", text: "[codex-local: text in messages.text]" });

    // The same turn as a backfill or a resumed host sends it: other event ids, other times, and
    // a start that would reopen the turn or the reply were it applied.
    const again = [...turn(), itemStarted("T1", agentItem("a1")), turnStarted("T1")];
    expect(await ingest(t, alice, TH, again)).toMatchObject({ accepted: 0, duplicates: again.length, rejected: [] });
    expect(await rows(t)).toEqual(before);
  });

  // How a turn's end can come about other than codex's turn/completed; codex's own end (a
  // backfill, a host that came back) must still land afterwards, once.
  const endedHere: Array<[string, (t: T) => Promise<unknown>, string]> = [
    ["its session went away", (t) => t.mutation(api.sessions.close, { actor: alice, sessionId: "session-1" }), "interrupted"],
    ["the host could not store codex's end", (t) => ingest(t, alice, TH, [eventDroppedRecord({ ...turnCompleted("T1", "completed"), turnId: "T1" }, { code: "E_REFUSED", message: "too large" })]), "failed"],
  ];
  test.each(endedHere)("a turn ended because %s is provisional: codex's own end of it and of its reply still land, then are final", async (_why, endHere, status) => {
    const t = newTest();
    await startReply(t);
    await stream(t, reply.slice(0, 30));
    await endHere(t);
    const cut = await rows(t);
    expect(cut.turns).toMatchObject([{ status, provisionalEnd: true }]);
    expect(cut.items!.find((i) => i.itemId === "a1")).toMatchObject({ status: "interrupted", provisionalEnd: true });
    expect(await reply1(t)).toMatchObject({ status: "interrupted", text: reply.slice(0, 30) });

    const codexEnd = () => [itemCompleted("T1", agentItem("a1", reply)), turnCompleted("T1", "completed")];
    expect(await ingest(t, alice, TH, codexEnd(), "session-2")).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    const landed = await rows(t);
    expect(landed.turns).toMatchObject([{ status: "completed", durationMs: 1234 }]);
    expect(landed.turns![0]!.provisionalEnd).toBeUndefined();
    const item = landed.items!.find((i) => i.itemId === "a1")!;
    expect(item).toMatchObject({ status: "completed" });
    expect(item.provisionalEnd).toBeUndefined();
    expect(await reply1(t)).toMatchObject({ status: "completed", text: reply });

    expect(await ingest(t, alice, TH, [...codexEnd(), turnCompleted("T1", "interrupted")], "session-2")).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await rows(t)).toEqual(landed);
  });

  test("updatedAt alone moves at most every THREAD_TOUCH_MS; any other change of the thread writes it", async () => {
    const t = newTest();
    const start = Date.now();
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    await ingest(t, alice, TH, [turnStarted("T1")]);
    const first = (await threadRow(t)).updatedAt as number;
    const command = (id: string) => ({ type: "commandExecution", id, command: "ls", cwd: "/", status: "inProgress", commandActions: [] });
    vi.setSystemTime(start + THREAD_TOUCH_MS - 1);
    await ingest(t, alice, TH, [itemStarted("T1", command("c1"))]);
    expect((await threadRow(t)).updatedAt).toBe(first);
    vi.setSystemTime(start + THREAD_TOUCH_MS);
    await ingest(t, alice, TH, [itemStarted("T1", command("c2"))]);
    expect((await threadRow(t)).updatedAt).toBe(start + THREAD_TOUCH_MS);
    // The turn's end changes the row (activeTurnId): updatedAt is exact again.
    vi.setSystemTime(start + THREAD_TOUCH_MS + 5);
    await ingest(t, alice, TH, [turnCompleted("T1", "completed")]);
    const ended = await threadRow(t);
    expect(ended.activeTurnId).toBeUndefined();
    expect(ended.updatedAt).toBe(start + THREAD_TOUCH_MS + 5);
  });
});
