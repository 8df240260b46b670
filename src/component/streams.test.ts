import { describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api.js";
import { REPLAY_MAX_ROWS, STREAM_HEARTBEAT_MS } from "../contract/limits.js";
import { agentItem, alice, deltas, ingest, itemCompleted, itemStarted, newTest, snapshot, turnCompleted, turnStarted, type T } from "./testdata/harness.testonly.js";
import type { ReplayResult, StreamCursor } from "./validators.js";

const TH = "thread-1";
const SID = "T1/a1/agentMessage";
const reply = "The quick brown fox jumps over the lazy dog. ".repeat(6);
const laptop = alice;
const phone = { ...alice, deviceId: "phone" };

/** What a client does with a replay answer: append each delta at its cursor. */
function apply(text: Map<string, string>, r: ReplayResult) {
  for (const d of r.deltas) {
    const have = text.get(d.streamId) ?? "";
    expect(d.cursorStart).toBe(have.length);
    text.set(d.streamId, have + d.text);
  }
}

async function streamInBatches(t: T, text: string, batchSize: number, from = 0) {
  const evs = deltas("T1", "a1", text, 6, { from });
  for (let i = 0; i < evs.length; i += batchSize) await ingest(t, alice, TH, evs.slice(i, i + batchSize));
}

async function startTurn(t: T) {
  await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", agentItem("a1"))]);
}

describe("replay", () => {
  test("lists live streams without reading a delta; deltas come only for the cursors named", async () => {
    const t = newTest();
    await startTurn(t);
    await streamInBatches(t, reply.slice(0, 100), 5);
    const listed = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [] });
    // The row is written at the start and at heartbeats, so a live stream's cursor is a lower bound.
    expect(listed.streams).toEqual([{ streamId: SID, turnId: "T1", itemId: "a1", channel: "agentMessage", status: "streaming", cursor: 0, retainedFrom: 0 }]);
    expect(listed.deltas).toEqual([]);
    expect(await t.query(api.streams.list, { actor: alice, threadId: TH })).toEqual(listed.streams);
    const r = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [{ streamId: SID, cursor: 0 }] });
    expect(r.deltas.map((d) => d.text).join("")).toBe(reply.slice(0, 100));
    expect(r.streamWindows).toEqual([{ streamId: SID, status: "ok", serverCursor: 100, hasMore: false }]);
    expect(r.nextCheckpoints).toEqual([{ streamId: SID, cursor: 100 }]);
    const d = await t.query(api.streams.deltas, { actor: alice, threadId: TH, cursors: [{ streamId: SID, cursor: 30 }] });
    expect(d.deltas.map((x) => x.text).join("")).toBe(reply.slice(30, 100));
    expect(d.nextCheckpoints).toEqual([{ streamId: SID, cursor: 100 }]);
    // Another user naming the same stream derives another key and reads nothing.
    const other = await t.query(api.streams.deltas, { actor: { tenantId: "acme", userId: "mallory" }, threadId: TH, cursors: [{ streamId: SID, cursor: 0 }] });
    expect(other.deltas).toEqual([]);
  });

  test("a live stream's row is written at its start and at heartbeats, not per batch", async () => {
    const t = newTest();
    await startTurn(t);
    await streamInBatches(t, reply.slice(0, 60), 1);
    const [row] = (await snapshot(t)).streams as Array<{ cursor: number; lastDeltaAt: number }>;
    expect(row).toMatchObject({ cursor: 0 });
    // Past the heartbeat interval the next batch moves the row's cursor and liveness.
    vi.useFakeTimers({ now: Date.now() + STREAM_HEARTBEAT_MS + 1, toFake: ["Date"] });
    try {
      await streamInBatches(t, reply.slice(60, 66), 1, 60);
    } finally {
      vi.useRealTimers();
    }
    const [beat] = (await snapshot(t)).streams as Array<{ cursor: number; lastDeltaAt: number }>;
    expect(beat!.cursor).toBe(66);
    expect(beat!.lastDeltaAt).toBeGreaterThan(row!.lastDeltaAt);
  });

  test("from a cursor mid-row it returns only the new text, trimmed at the cursor", async () => {
    const t = newTest();
    await startTurn(t);
    await streamInBatches(t, reply, 5);
    const r = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [{ streamId: SID, cursor: 41 }] });
    expect(r.deltas[0]!.cursorStart).toBe(41);
    expect(r.deltas.map((d) => d.text).join("")).toBe(reply.slice(41));
    // Rows are 30 chars (5 deltas × 6); only the row containing 41 and the ones after are read.
    expect(r.deltas).toHaveLength(Math.ceil(reply.length / 30) - 1);
  });

  test("caps one read and reports more available", async () => {
    const t = newTest();
    await startTurn(t);
    await streamInBatches(t, "x".repeat((REPLAY_MAX_ROWS + 20) * 6), 1);
    const r = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [{ streamId: SID, cursor: 0 }] });
    expect(r.deltas).toHaveLength(REPLAY_MAX_ROWS);
    expect(r.streamWindows[0]).toMatchObject({ status: "ok", hasMore: true });
    expect(r.nextCheckpoints).toEqual([{ streamId: SID, cursor: REPLAY_MAX_ROWS * 6 }]);
    const rest = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: r.nextCheckpoints });
    expect(rest.deltas).toHaveLength(20);
    expect(rest.streamWindows[0]!.hasMore).toBe(false);
  });

  test("resume replays one turn's streams from a cursor", async () => {
    const t = newTest();
    await startTurn(t);
    await streamInBatches(t, reply, 50);
    const r = await t.query(api.streams.resume, { actor: alice, threadId: TH, turnId: "T1", fromCursor: 10 });
    expect(r.deltas.map((d) => d.text).join("")).toBe(reply.slice(10));
    const other = await t.query(api.streams.resume, { actor: alice, threadId: TH, turnId: "T2", fromCursor: 0 });
    expect(other.streams).toEqual([]);
  });
});

describe("per-device checkpoints", () => {
  test("a second device catches up from its own checkpoint", async () => {
    const t = newTest();
    await startTurn(t);
    await streamInBatches(t, reply.slice(0, 120), 4);

    // The laptop reads what exists and saves its checkpoint.
    const laptopText = new Map<string, string>();
    const first = await t.query(api.streams.replay, { actor: laptop, threadId: TH, streamCursorsById: [{ streamId: SID, cursor: 0 }] });
    apply(laptopText, first);
    await t.mutation(api.streams.saveCheckpoint, { actor: laptop, threadId: TH, cursors: first.nextCheckpoints });

    await streamInBatches(t, reply.slice(120), 4, 120);
    await ingest(t, alice, TH, [itemCompleted("T1", agentItem("a1", reply)), turnCompleted("T1", "completed")]);

    // The phone has never read: it gets everything; its checkpoints are its own.
    expect(await t.query(api.streams.getCheckpoints, { actor: phone, threadId: TH })).toEqual([]);
    const phoneText = new Map<string, string>();
    apply(phoneText, await t.query(api.streams.replay, { actor: phone, threadId: TH, streamCursorsById: [{ streamId: SID, cursor: 0 }] }));
    expect(phoneText.get(SID)).toBe(reply);

    // The laptop (reopened) resumes from its saved checkpoint and reads only the new part.
    const saved: StreamCursor[] = await t.query(api.streams.getCheckpoints, { actor: laptop, threadId: TH });
    expect(saved).toEqual([{ streamId: SID, cursor: 120 }]);
    const catchUp = await t.query(api.streams.replay, { actor: laptop, threadId: TH, streamCursorsById: saved });
    expect(catchUp.deltas[0]!.cursorStart).toBe(120);
    apply(laptopText, catchUp);
    expect(laptopText.get(SID)).toBe(reply);

    // Checkpoints never move backwards.
    await t.mutation(api.streams.saveCheckpoint, { actor: laptop, threadId: TH, cursors: [{ streamId: SID, cursor: 5 }] });
    expect(await t.query(api.streams.getCheckpoints, { actor: laptop, threadId: TH })).toEqual([{ streamId: SID, cursor: 120 }]);
  });

  test("checkpoints need a device id", async () => {
    const t = newTest();
    await startTurn(t);
    const noDevice = { tenantId: "acme", userId: "alice" };
    await expect(t.mutation(api.streams.saveCheckpoint, { actor: noDevice, threadId: TH, cursors: [] })).rejects.toThrow(/E_DEVICE_REQUIRED/);
    await expect(t.query(api.streams.getCheckpoints, { actor: noDevice, threadId: TH })).rejects.toThrow(/E_DEVICE_REQUIRED/);
  });
});

describe("a client that fell behind cleanup", () => {
  test("gets `rebased` while deltas remain, then `stale`, and recovers from the durable text", async () => {
    const t = newTest();
    await startTurn(t);
    await streamInBatches(t, reply, 5); // rows of 30 chars
    await ingest(t, alice, TH, [itemCompleted("T1", agentItem("a1", reply)), turnCompleted("T1", "completed")]);
    const later = Date.now() + 10 * 60 * 60 * 1000;

    // One bounded cleanup page: two rows gone, retainedFrom rises to 60.
    await t.mutation(internal.cleanup.sweep, { now: later, maxDeltaRows: 2, reschedule: false });
    const rebased = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [{ streamId: SID, cursor: 10 }] });
    expect(rebased.streams[0]).toMatchObject({ status: "finished", retainedFrom: 60 });
    expect(rebased.streamWindows).toEqual([{ streamId: SID, status: "rebased", serverCursor: reply.length, hasMore: false }]);
    expect(rebased.deltas[0]!.cursorStart).toBe(60);
    expect(rebased.deltas.map((d) => d.text).join("")).toBe(reply.slice(60));

    // Cleanup finishes: the stream is gone.
    await t.mutation(internal.cleanup.sweep, { now: later, reschedule: false });
    const stale = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [{ streamId: SID, cursor: 10 }] });
    expect(stale.streamWindows).toEqual([{ streamId: SID, status: "stale", serverCursor: 0, hasMore: false }]);
    expect(stale.deltas).toEqual([]);

    // The durable message still has every character.
    const page = await t.query(api.messages.listMessages, { actor: alice, threadId: TH, paginationOpts: { numItems: 5, cursor: null } });
    expect(page.page[0]).toMatchObject({ text: reply, status: "completed", streamId: SID });
    expect((await snapshot(t)).stream_deltas).toEqual([]);
  });
});
