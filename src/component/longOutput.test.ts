/**
 * Long output loses nothing, and no stream is too long to finish or to clean up: a reply
 * or command output longer than a row holds keeps a `truncated` prefix on its row and its
 * full text in its stream, which cleanup never expires; a stream of any number of rows
 * finishes within one transaction's limits; one tenant's huge idle stream does not stop
 * cleanup for anyone else. Convex's transaction limits are on (`newTest`).
 */
import { describe, expect, test } from "vitest";
import { api, internal } from "./_generated/api.js";
import {
  EVENT_PAYLOAD_MAX_BYTES,
  INGEST_MAX_BATCH_BYTES,
  ITEM_TEXT_MAX_BYTES,
  STREAM_TEXT_READ_MAX_ROWS,
  TRUNCATION_MARKER,
  batchBytes,
  capPayloadJson,
  utf8Bytes,
} from "../contract/limits.js";
import { streamKey } from "./lib/streamKey.js";
import { agentItem, alice, bob, deltas, ingest, itemCompleted, itemStarted, newTest, snapshot, turnCompleted, turnStarted, type T } from "./testdata/harness.testonly.js";
import type { Actor, InboundEvent } from "./validators.js";

const TH = "thread-1";
const later = () => Date.now() + 10 * 60 * 60 * 1000;

/** Five megabytes of distinct lines, so a chunk out of place would show. */
function fiveMegabytes(tag: string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < 5 * 1024 * 1024; i++) {
    const line = `${tag} ${i.toString().padStart(7, "0")} ${"äbcdefghij".repeat(5)}\n`;
    parts.push(line);
    length += line.length;
  }
  return parts.join("");
}

/** What the outbox does: fill batches up to the byte cap, in order. */
function batchesUnderCap(events: InboundEvent[]): InboundEvent[][] {
  const out: InboundEvent[][] = [[]];
  let size = 0;
  for (const ev of events) {
    const bytes = batchBytes([ev]);
    if (out.at(-1)!.length > 0 && size + bytes > INGEST_MAX_BATCH_BYTES) {
      out.push([]);
      size = 0;
    }
    out.at(-1)!.push(ev);
    size += bytes;
  }
  return out;
}

/** The outbox pre-truncates an item/completed payload bigger than one event may be. */
const capped = (ev: InboundEvent): InboundEvent =>
  ev.type === "lifecycle_event" ? { ...ev, payloadJson: capPayloadJson(ev.payloadJson, EVENT_PAYLOAD_MAX_BYTES) } : ev;

/** Reads a whole stream back through the replay API, page by page. */
async function readAll(t: T, actor: Actor, streamId: string): Promise<string> {
  const parts: string[] = [];
  let cursor = 0;
  for (let page = 0; page < 10_000; page++) {
    const r = await t.query(api.streams.replay, { actor, threadId: TH, streamCursorsById: [{ streamId, cursor }] });
    for (const d of r.deltas) {
      expect(d.cursorStart).toBe(cursor);
      parts.push(d.text);
      cursor = d.cursorEnd;
    }
    if (!r.streamWindows[0]!.hasMore) return parts.join("");
  }
  throw new Error("replay never finished");
}

describe("long output loses nothing", () => {
  test("a 5 MB reply and a 5 MB command output are complete after the TTL sweep", async () => {
    const t = newTest();
    const reply = fiveMegabytes("reply");
    const output = fiveMegabytes("output");
    const command = (text: string | null, status: string) => ({
      type: "commandExecution", id: "c1", command: "cat big.log", cwd: "/w", status, commandActions: [], aggregatedOutput: text, exitCode: 0,
    });
    const events = [
      turnStarted("T1"),
      itemStarted("T1", command(null, "inProgress")),
      ...deltas("T1", "c1", output, 60_000, { channel: "commandOutput" }),
      capped(itemCompleted("T1", command(output, "completed"))),
      itemStarted("T1", agentItem("a1")),
      ...deltas("T1", "a1", reply, 60_000),
      capped(itemCompleted("T1", agentItem("a1", reply))),
      turnCompleted("T1", "completed"),
    ];
    for (const batch of batchesUnderCap(events)) expect((await ingest(t, alice, TH, batch)).rejected).toEqual([]);

    // Both streams finished; cleanup after the TTL keeps them, since their rows kept only a prefix.
    await t.mutation(internal.cleanup.sweep, { now: later(), reschedule: false });
    await t.mutation(internal.cleanup.sweep, { now: later(), reschedule: false });
    const snap = await snapshot(t);
    expect(snap.streams).toMatchObject([{ retained: true, status: "finished" }, { retained: true, status: "finished" }]);

    const [message] = (await t.query(api.messages.listTurnMessages, { actor: alice, threadId: TH, turnId: "T1" })).filter((m) => m.role === "assistant");
    expect(message).toMatchObject({ truncated: true, status: "completed", streamId: "T1/a1/agentMessage" });
    expect(message!.text.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(utf8Bytes(message!.text)).toBeLessThanOrEqual(ITEM_TEXT_MAX_BYTES);
    expect(await readAll(t, alice, message!.streamId!)).toBe(reply);

    const [item] = await t.query(api.items.listItems, { actor: alice, threadId: TH, turnId: "T1" });
    expect(item!.details).toMatchObject({ type: "commandExecution", outputTruncated: true });
    expect(await readAll(t, alice, "T1/c1/commandOutput")).toBe(output);
  });

  test("a reasoning part longer than a row keeps a truncated segment and its full stream", async () => {
    const t = newTest();
    const summary = "Thinking it through, step by step. ".repeat(9000); // 315,000 chars
    const reasoning = (text: string[]) => ({ type: "reasoning", id: "r1", summary: text, content: [] });
    const streamId = "T1/r1/reasoningSummary/0";
    const events = [
      turnStarted("T1"),
      itemStarted("T1", reasoning([])),
      ...deltas("T1", "r1", summary, 60_000, { channel: "reasoningSummary", streamId }),
      capped(itemCompleted("T1", reasoning([summary]))),
      turnCompleted("T1", "completed"),
    ];
    for (const batch of batchesUnderCap(events)) expect((await ingest(t, alice, TH, batch)).rejected).toEqual([]);
    await t.mutation(internal.cleanup.sweep, { now: later(), reschedule: false });
    const page = await t.query(api.reasoning.listReasoningByThread, { actor: alice, threadId: TH, paginationOpts: { numItems: 5, cursor: null } });
    expect(page.page).toMatchObject([{ channel: "summary", index: 0, status: "completed", truncated: true, streamId }]);
    expect(summary.startsWith(page.page[0]!.text.slice(0, -TRUNCATION_MARKER.length))).toBe(true);
    expect(await readAll(t, alice, streamId)).toBe(summary);
  });

  test("a short reply is not retained: after the TTL its deltas go and the message holds it all", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", agentItem("a1")), ...deltas("T1", "a1", "short reply", 4)]);
    await ingest(t, alice, TH, [itemCompleted("T1", agentItem("a1", "short reply")), turnCompleted("T1", "completed")]);
    await t.mutation(internal.cleanup.sweep, { now: later(), reschedule: false });
    const snap = await snapshot(t);
    expect(snap.streams).toEqual([]);
    expect(snap.stream_deltas).toEqual([]);
    expect(snap.messages).toMatchObject([{ text: "short reply", status: "completed" }]);
    expect((snap.messages[0] as { truncated?: boolean }).truncated).toBeUndefined();
  });
});

/** A live stream of `rows` delta rows of `chars` each, written directly in deployable pages. */
async function liveStream(t: T, actor: Actor, itemId: string, rows: number, chars: number, at = Date.now()) {
  const streamId = `T1/${itemId}/agentMessage`;
  await ingest(t, actor, TH, [turnStarted("T1"), itemStarted("T1", agentItem(itemId)), ...deltas("T1", itemId, "x".repeat(chars), chars)]);
  const owner = { tenantId: actor.tenantId, userId: actor.userId };
  const k = await streamKey(owner, TH, streamId);
  const text = "y".repeat(chars);
  const perPage = Math.max(1, Math.floor((4 * 1024 * 1024) / (chars + 64)));
  for (let i = 1; i < rows; i += perPage) {
    await t.run(async (ctx) => {
      for (let j = i; j < Math.min(rows, i + perPage); j++) await ctx.db.insert("stream_deltas", { k, s: j * chars, t: text });
    });
  }
  await t.run(async (ctx) => {
    const stream = await ctx.db
      .query("streams")
      .withIndex("by_owner_stream", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", TH).eq("streamId", streamId))
      .unique();
    await ctx.db.patch(stream!._id, { lastDeltaAt: at });
  });
  return { streamId, expected: "x".repeat(chars) + text.repeat(rows - 1) };
}

describe("no stream is too long", () => {
  test("a stream of more rows than one transaction may read finishes: a truncated prefix, the rest kept", { timeout: 60_000 }, async () => {
    const t = newTest();
    const rows = STREAM_TEXT_READ_MAX_ROWS + 500;
    const { streamId, expected } = await liveStream(t, alice, "a1", rows, 8);
    // The turn is cut off: the message must be finished from the deltas, which do not all fit.
    expect((await ingest(t, alice, TH, [turnCompleted("T1", "interrupted")])).rejected).toEqual([]);
    const [message] = (await snapshot(t)).messages as Array<{ status: string; text: string; truncated?: boolean }>;
    expect(message).toMatchObject({ status: "interrupted", truncated: true });
    const prefix = message!.text.slice(0, -TRUNCATION_MARKER.length);
    expect(prefix.length).toBe(STREAM_TEXT_READ_MAX_ROWS * 8);
    expect(expected.startsWith(prefix)).toBe(true);
    expect((await snapshot(t)).streams).toMatchObject([{ status: "aborted", retained: true, cursor: expected.length }]);
    expect(await readAll(t, alice, streamId)).toBe(expected);
  });

  test("one tenant's 17 MB idle reply neither fails a sweep nor keeps another tenant's deltas from expiring", async () => {
    const t = newTest();
    const idleSince = Date.now() - 60 * 60 * 1000;
    // The attacker: one reply of 17 MB in 64 KB rows, idle for an hour, never finished.
    const rowChars = 64 * 1024;
    const { streamId: huge } = await liveStream(t, bob, "b1", Math.ceil((17 * 1024 * 1024) / rowChars), rowChars, idleSince);
    // Another tenant's finished reply, past its TTL.
    const carol: Actor = { tenantId: "initech", userId: "carol" };
    await ingest(t, carol, TH, [turnStarted("T1"), itemStarted("T1", agentItem("c1")), ...deltas("T1", "c1", "carol's reply", 5)]);
    await ingest(t, carol, TH, [itemCompleted("T1", agentItem("c1", "carol's reply")), turnCompleted("T1", "completed")]);
    const now = Date.now() + 2 * 60 * 60 * 1000;

    const first = await t.mutation(internal.cleanup.sweep, { now, reschedule: false });
    expect(first.aborted).toBe(1);
    let more = first.more;
    for (let run = 0; more && run < 20; run++) more = (await t.mutation(internal.cleanup.sweep, { now, reschedule: false })).more;
    expect(more).toBe(false);

    // (Not `snapshot`: reading every delta row in one transaction is what a deployment refuses.)
    const snap = await t.run(async (ctx) => ({ streams: await ctx.db.query("streams").take(10), messages: await ctx.db.query("messages").take(10) }));
    const streams = snap.streams as Array<{ userId: string; status: string; retained: boolean }>;
    // Carol's expired stream and its deltas are gone; Bob's reply is aborted, its message keeps a prefix.
    expect(streams.map((s) => [s.userId, s.status, s.retained])).toEqual([["bob", "aborted", true]]);
    const bobMessage = (snap.messages as Array<{ userId: string; status: string; truncated?: boolean }>).find((m) => m.userId === "bob");
    expect(bobMessage).toMatchObject({ status: "interrupted", truncated: true });
    expect((snap.messages as Array<{ userId: string; text: string }>).find((m) => m.userId === "carol")!.text).toBe("carol's reply");
    const page = await t.query(api.streams.replay, { actor: bob, threadId: TH, streamCursorsById: [{ streamId: huge, cursor: 0 }] });
    expect(page.streamWindows[0]).toMatchObject({ status: "ok", hasMore: true });
  });
});
