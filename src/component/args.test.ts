/**
 * Every number a function takes refuses NaN, ±Infinity and values out of its range, and
 * ingest refuses blank ids as reads do: E_INVALID_ARGUMENT naming the field, nothing written.
 * (Convex's wire format carries NaN and Infinity; `v.number()` lets them through.)
 */
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { TIMESTAMP_MAX_MS } from "../contract/limits.js";
import { agentItem, alice, deltas, ingest, itemCompleted, lifecycle, newTest, snapshot, turnStarted, userItem } from "./testdata/harness.testonly.js";
import { errorCode } from "./test.helpers.js";
import type { InboundEvent } from "./validators.js";

const TH = "thread-1";
const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308];

describe("numeric arguments", () => {
  test.each(bad)("ingest refuses an event created at %s and writes nothing", async (createdAt) => {
    const t = newTest();
    const event: InboundEvent = { ...lifecycle("warning", {}), createdAt };
    const refused = await errorCode(ingest(t, alice, TH, [turnStarted("T1"), event]));
    expect(refused).toBe(ErrorCode.invalidArgument);
    expect((await snapshot(t)).threads).toEqual([]);
  });

  test("stream cursors must be whole numbers from 0", async () => {
    const t = newTest();
    const [delta] = deltas("T1", "a1", "hello", 5) as Array<Extract<InboundEvent, { type: "stream_delta" }>>;
    for (const cursorStart of [-1, 0.5, Number.NaN]) {
      expect(await errorCode(ingest(t, alice, TH, [{ ...delta!, cursorStart }]))).toBe(ErrorCode.invalidArgument);
    }
    for (const index of [-1, Number.POSITIVE_INFINITY]) {
      expect(await errorCode(ingest(t, alice, TH, [{ ...delta!, index }]))).toBe(ErrorCode.invalidArgument);
    }
  });

  test("reads, checkpoints and sessions refuse NaN, ±Infinity and out-of-range numbers", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1"), ...deltas("T1", "a1", "hello", 5)]);
    const streamId = "T1/a1/agentMessage";
    for (const n of bad) {
      const calls: Array<[string, () => Promise<unknown>]> = [
        ["saveCheckpoint", () => t.mutation(api.streams.saveCheckpoint, { actor: alice, threadId: TH, cursors: [{ streamId, cursor: n }] })],
        ["replay", () => t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [{ streamId, cursor: n }] })],
        ["resume", () => t.query(api.streams.resume, { actor: alice, threadId: TH, turnId: "T1", fromCursor: n })],
        ["listItems", () => t.query(api.items.listItems, { actor: alice, threadId: TH, limit: n })],
        ["listMessages", () => t.query(api.messages.listMessages, { actor: alice, threadId: TH, paginationOpts: { numItems: n, cursor: null } })],
        ["sessions.open", () => t.mutation(api.sessions.open, { actor: alice, sessionId: "s2", staleAfterMs: n })],
      ];
      for (const [name, call] of calls) expect(await errorCode(call()), `${name}(${n})`).toBe(ErrorCode.invalidArgument);
    }
    // A checkpoint never saved at NaN stays movable.
    expect(await t.query(api.streams.getCheckpoints, { actor: alice, threadId: TH })).toEqual([]);
    await t.mutation(api.streams.saveCheckpoint, { actor: alice, threadId: TH, cursors: [{ streamId, cursor: 3 }] });
    expect(await t.query(api.streams.getCheckpoints, { actor: alice, threadId: TH })).toEqual([{ streamId, cursor: 3 }]);
  });

  test("times are epoch milliseconds up to 2100; the refusal names the field", async () => {
    const t = newTest();
    const late = { ...lifecycle("warning", {}), createdAt: TIMESTAMP_MAX_MS + 1 };
    await expect(ingest(t, alice, TH, [late])).rejects.toThrow(/events\[0\]\.createdAt/);
    await ingest(t, alice, TH, [{ ...lifecycle("warning", {}), createdAt: TIMESTAMP_MAX_MS }]);
  });
});

describe("ids", () => {
  test.each([
    ["threadId", (events: InboundEvent[]) => ({ threadId: " ", events })],
    ["sessionId", (events: InboundEvent[]) => ({ sessionId: "", events })],
    ["an event's turnId", (events: InboundEvent[]) => ({ events: [...events, { ...lifecycle("warning", {}), turnId: "  " }] })],
    ["a delta's streamId", (events: InboundEvent[]) => ({ events: [...events, { ...deltas("T1", "a1", "x", 1)[0]!, streamId: "" } as InboundEvent] })],
  ])("ingest refuses a blank %s (E_INVALID_ARGUMENT) and writes nothing", async (_name, change) => {
    const t = newTest();
    const args = { actor: alice, sessionId: "s1", threadId: TH, ...change([turnStarted("T1")]) };
    expect(await errorCode(t.mutation(api.sync.ingest, args))).toBe(ErrorCode.invalidArgument);
    expect((await snapshot(t)).turns).toEqual([]);
  });

  test("an id over its byte cap is E_TOO_LARGE", async () => {
    const t = newTest();
    // 100 characters, 400 bytes: fine as characters, over the 256-byte cap.
    expect(await errorCode(ingest(t, alice, "😀".repeat(100), [turnStarted("T1")]))).toBe(ErrorCode.tooLarge);
  });
});

describe("numbers and ids inside codex's payloads", () => {
  test("a time out of range in a payload is not stored: the event's own time stands in, orders stay finite", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1"), itemCompleted("T1", userItem("u1", "hi"), 1e308), itemCompleted("T1", { ...agentItem("a1", "yo"), startedAtMs: 1e308 })]);
    const rows = await snapshot(t);
    for (const m of rows.messages as Array<{ order: number; createdAt: number }>) {
      expect(Number.isFinite(m.order)).toBe(true);
      expect(m.createdAt).toBeLessThanOrEqual(TIMESTAMP_MAX_MS);
    }
    for (const i of rows.items as Array<{ startedAt: number; completedAt: number }>) expect(i.completedAt).toBeLessThanOrEqual(TIMESTAMP_MAX_MS);
  });

  test("a blank or oversized id in a payload is a malformed event (reported, nothing stored of it)", async () => {
    const t = newTest();
    const result = await ingest(t, alice, TH, [
      turnStarted("T1"),
      itemCompleted("T1", userItem(" ", "blank id")),
      itemCompleted("T1", userItem("😀".repeat(100), "id of 400 bytes")),
    ]);
    expect(result.rejected.map((r) => r.code)).toEqual(["E_MALFORMED_EVENT", "E_MALFORMED_EVENT"]);
    expect((await snapshot(t)).items).toEqual([]);
  });
});
