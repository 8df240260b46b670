import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api.js";
import type { Id } from "./_generated/dataModel.js";
import { CLEANUP_MAX_CHARS, CLEANUP_MAX_DELTA_ROWS, STREAM_DELTA_ROW_MAX_CHARS, SWEEP_INTERVAL_MS } from "../contract/limits.js";
import { codexTranscript, indexOf, isLifecycle, streamedByItem } from "../protocol/testing/events.js";
import { agentItem, alice, deltas, ingest, itemCompleted, itemStarted, newTest, snapshot, turnCompleted, turnStarted, type T } from "./testdata/harness.testonly.js";

const TH = "thread-1";

/** A finished stream with `rows` delta rows of `rowChars` each, written directly. */
async function finishedStream(t: T, streamId: string, rows: number, rowChars: number, finishedAt = 1000): Promise<Id<"streams">> {
  return await t.run(async (ctx) => {
    const id = await ctx.db.insert("streams", {
      tenantId: "acme", userId: "alice", threadId: TH, turnId: "T1", itemId: streamId, streamId, channel: "commandOutput",
      status: "finished", cursor: rows * rowChars, retainedFrom: 0, deltaCount: rows, startedAt: 0, lastDeltaAt: 0, finishedAt,
    });
    const text = "y".repeat(rowChars);
    for (let i = 0; i < rows; i++) await ctx.db.insert("stream_deltas", { stream: id, cursorStart: i * rowChars, cursorEnd: (i + 1) * rowChars, text });
    return id;
  });
}

const countDeltas = (t: T) => t.run(async (ctx) => (await ctx.db.query("stream_deltas").collect()).length);

describe("cleanup pages", () => {
  test("deletes at most CLEANUP_MAX_DELTA_ROWS rows per transaction and reports more", async () => {
    const t = newTest();
    const rows = CLEANUP_MAX_DELTA_ROWS * 2 + 37;
    const id = await finishedStream(t, "big", rows, 10);
    await finishedStream(t, "small", 3, 10);
    const first = await t.mutation(internal.cleanup.sweep, { reschedule: false });
    expect(first).toEqual({ aborted: 0, deletedDeltaRows: CLEANUP_MAX_DELTA_ROWS, deletedStreams: 0, more: true });
    expect(await t.run(async (ctx) => (await ctx.db.get(id))!.retainedFrom)).toBe(CLEANUP_MAX_DELTA_ROWS * 10);
    const second = await t.mutation(internal.cleanup.sweep, { reschedule: false });
    expect(second.deletedDeltaRows).toBe(CLEANUP_MAX_DELTA_ROWS);
    const third = await t.mutation(internal.cleanup.sweep, { reschedule: false });
    expect(third).toEqual({ aborted: 0, deletedDeltaRows: 40, deletedStreams: 2, more: false });
    expect(await countDeltas(t)).toBe(0);
  });

  test("stops once the characters read reach CLEANUP_MAX_CHARS", async () => {
    const t = newTest();
    const rows = Math.ceil((CLEANUP_MAX_CHARS * 1.5) / STREAM_DELTA_ROW_MAX_CHARS);
    await finishedStream(t, "wide", rows, STREAM_DELTA_ROW_MAX_CHARS);
    const first = await t.mutation(internal.cleanup.sweep, { reschedule: false });
    expect(first.more).toBe(true);
    expect(first.deletedDeltaRows * STREAM_DELTA_ROW_MAX_CHARS).toBeGreaterThanOrEqual(CLEANUP_MAX_CHARS);
    expect((first.deletedDeltaRows - 1) * STREAM_DELTA_ROW_MAX_CHARS).toBeLessThan(CLEANUP_MAX_CHARS);
    const second = await t.mutation(internal.cleanup.sweep, { reschedule: false });
    expect(first.deletedDeltaRows + second.deletedDeltaRows).toBe(rows);
  });

  test("keeps deltas of streams finished within the TTL", async () => {
    const t = newTest();
    await finishedStream(t, "recent", 4, 10, Date.now());
    const result = await t.mutation(internal.cleanup.sweep, { reschedule: false });
    expect(result.deletedDeltaRows).toBe(0);
    expect(await countDeltas(t)).toBe(4);
  });
});

describe("idle streams", () => {
  test("a stream idle in a turn that stopped progressing is aborted with its partial text", async () => {
    const t = newTest();
    // A recorded reply cut off before codex reported the turn's end (the bridge died).
    const { threadId, events } = codexTranscript("interrupt");
    const cut = events.slice(0, indexOf(events, isLifecycle("turn/completed")));
    const [partial] = streamedByItem(cut, "agentMessage").values();
    await ingest(t, alice, threadId, cut);
    // Within the idle window nothing happens.
    expect((await t.mutation(internal.cleanup.sweep, { reschedule: false })).aborted).toBe(0);
    const later = Date.now() + 60 * 60 * 1000;
    const result = await t.mutation(internal.cleanup.sweep, { now: later, ttlMs: 24 * 60 * 60 * 1000, reschedule: false });
    expect(result.aborted).toBe(1);
    const snap = await snapshot(t);
    expect(snap.streams).toMatchObject([{ status: "aborted" }]);
    expect(snap.messages).toMatchObject([{ role: "user", status: "completed" }, { role: "assistant", status: "interrupted", text: partial }]);
  });
});

describe("idle streams in a progressing turn", () => {
  test("are left alone while the turn still gets events", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", agentItem("a1")), ...deltas("T1", "a1", "waiting on a tool", 4)]);
    const now = Date.now() + 60_000;
    // A command in the same turn reported progress 30 s ago; the reply stream itself is idle.
    await t.run(async (ctx) => {
      const thread = (await ctx.db.query("threads").first())!;
      await ctx.db.patch(thread._id, { updatedAt: now - 30_000 });
    });
    expect((await t.mutation(internal.cleanup.sweep, { now, idleMs: 50_000, reschedule: false })).aborted).toBe(0);
    expect((await snapshot(t)).streams).toMatchObject([{ status: "streaming" }]);
    // Once the turn has been quiet for the whole window too, the stream is aborted.
    expect((await t.mutation(internal.cleanup.sweep, { now: now + 30_000, idleMs: 50_000, reschedule: false })).aborted).toBe(1);
  });
});

describe("scheduling", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("ingest keeps exactly one sweep pending, and the sweep reschedules itself while streams remain", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const pending = () =>
      t.run(async (ctx) => (await ctx.db.system.query("_scheduled_functions").collect()).filter((j) => j.state.kind === "pending"));
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", agentItem("a1")), ...deltas("T1", "a1", "abc", 3)]);
    expect(await pending()).toHaveLength(1);
    await ingest(t, alice, TH, [itemStarted("T1", agentItem("a2")), ...deltas("T1", "a2", "def", 3)]);
    await ingest(t, alice, TH, [itemCompleted("T1", agentItem("a1", "abc")), itemCompleted("T1", agentItem("a2", "def")), turnCompleted("T1", "completed")]);
    expect(await pending()).toHaveLength(1);

    vi.advanceTimersByTime(SWEEP_INTERVAL_MS + 1);
    await t.finishInProgressScheduledFunctions();
    // Finished streams are still within their TTL: the sweep ran and planned the next one.
    const next = await pending();
    expect(next).toHaveLength(1);
    expect(next[0]!.name).toContain("sweep");
    expect((await snapshot(t)).streams).toHaveLength(2);
    const replay = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [] });
    expect(replay.streams.map((s) => s.status)).toEqual(["finished", "finished"]);
  });
});
