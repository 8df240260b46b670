/**
 * Stream rows and their delta rows during ingest. All text a batch accepts for one stream
 * is merged in memory and written as ONE `stream_deltas` row (split only past
 * STREAM_DELTA_ROW_MAX_CHARS). The stream row itself is written when the stream starts,
 * at a heartbeat (STREAM_HEARTBEAT_MS) and when it ends; between heartbeats its live
 * cursor is the end of its last delta row, which is where gap detection reads it.
 */
import type { Doc } from "../_generated/dataModel.js";
import type { QueryCtx } from "../_generated/server.js";
import { OPEN_WORK_MAX_ROWS, STREAM_DELTA_ROW_MAX_CHARS, STREAM_HEARTBEAT_MS, isHighSurrogate, utf8Bytes } from "../../contract/limits.js";
import { streamKey } from "../lib/streamKey.js";
import type { StreamStatus } from "../validators.js";
import type { IngestBatch, OpenStream, StreamFields, TextReadBudget } from "./batch.js";

export async function loadStream(batch: IngestBatch, streamId: string): Promise<OpenStream | null> {
  const cached = batch.streams.get(streamId);
  if (cached) return cached;
  const doc = await batch.ctx.db
    .query("streams")
    .withIndex("by_owner_stream", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("streamId", streamId),
    )
    .unique();
  return doc ? await track(batch, doc) : null;
}

/** End of the stream's last stored delta: the last row past the row's (heartbeat) cursor, if any. */
export async function liveCursor(ctx: QueryCtx, doc: Doc<"streams">): Promise<number> {
  if (doc.status !== "streaming") return doc.cursor;
  const last = await ctx.db
    .query("stream_deltas")
    .withIndex("by_key_start", (q) => q.eq("k", doc.key).gte("s", doc.cursor))
    .order("desc")
    .first();
  return Math.max(doc.cursor, last ? deltaEnd(last) : 0);
}

/** Where a delta row's text ends (rows store only where it starts). */
export const deltaEnd = (row: Pick<Doc<"stream_deltas">, "s" | "t">) => row.s + row.t.length;

async function track(batch: IngestBatch, doc: Doc<"streams">): Promise<OpenStream> {
  const { _id, _creationTime: _ignored, ...fields } = doc;
  const cursor = await liveCursor(batch.ctx, doc);
  const open: OpenStream = { id: _id, fields, dirty: false, cursor, pending: [], pendingStart: cursor };
  batch.streams.set(doc.streamId, open);
  return open;
}

/** A stream row that will be inserted when the batch flushes. */
export async function draftStream(
  batch: IngestBatch,
  fields: Omit<StreamFields, "tenantId" | "userId" | "threadId" | "key" | "cursor" | "retainedFrom" | "retained" | "startedAt">,
): Promise<OpenStream> {
  const key = await streamKey(batch.owner, batch.threadId, fields.streamId);
  const open: OpenStream = {
    id: null,
    fields: { ...batch.owner, threadId: batch.threadId, key, cursor: 0, retained: false, ...fields },
    dirty: true,
    cursor: 0,
    pending: [],
    pendingStart: 0,
  };
  batch.streams.set(fields.streamId, open);
  batch.needsSweep = true;
  return open;
}

/** Appends accepted text at the stream's cursor; the row is rewritten only on a heartbeat. */
export function appendText(batch: IngestBatch, stream: OpenStream, text: string, cursorEnd: number): void {
  if (stream.pending.length === 0) stream.pendingStart = stream.cursor;
  stream.pending.push(text);
  stream.cursor = cursorEnd;
  if (batch.now - stream.fields.lastDeltaAt >= STREAM_HEARTBEAT_MS) {
    stream.fields.lastDeltaAt = batch.now;
    stream.fields.cursor = cursorEnd;
    stream.dirty = true;
  }
}

export function finishStream(batch: IngestBatch, stream: OpenStream, status: Exclude<StreamStatus, "streaming">): void {
  if (stream.fields.status !== "streaming") return;
  stream.fields.status = status;
  stream.fields.cursor = stream.cursor;
  stream.fields.lastDeltaAt = batch.now;
  stream.fields.finishedAt = batch.now;
  stream.dirty = true;
  batch.needsSweep = true;
}

/** Its durable row kept only a prefix: the deltas are the full text and never expire. */
export function retainStream(stream: OpenStream): void {
  if (stream.fields.retained) return;
  stream.fields.retained = true;
  stream.dirty = true;
}

/** Writes the stream row (when it changed) and its pending text (one row, or several past the row cap). */
export async function flushStream(batch: IngestBatch, stream: OpenStream): Promise<void> {
  const { db } = batch.ctx;
  if (stream.id === null) {
    stream.id = await db.insert("streams", stream.fields);
  } else if (stream.dirty) {
    // Cleanup alone moves `retainedFrom` (and only on ended streams), so ingest never writes it.
    const { cursor, lastDeltaAt, status, finishedAt, retained } = stream.fields;
    await db.patch("streams", stream.id, { cursor, lastDeltaAt, status, finishedAt, retained });
  }
  stream.dirty = false;
  if (stream.pending.length === 0) return;
  let start = stream.pendingStart;
  for (const chunk of chunkText(stream.pending.join(""), STREAM_DELTA_ROW_MAX_CHARS)) {
    await db.insert("stream_deltas", { k: stream.fields.key, s: start, t: chunk });
    start += chunk.length;
  }
  stream.pending = [];
  stream.pendingStart = stream.cursor;
}

export async function flushAllStreams(batch: IngestBatch): Promise<void> {
  for (const stream of batch.streams.values()) await flushStream(batch, stream);
}

/**
 * The stream's text from its start, read in order within `budget` (shared by everything
 * one transaction finishes) and up to `maxBytes` (a row's text cap). `complete` is false when the budget or
 * the cap stopped it, or when cleanup already deleted the start: the caller then keeps a
 * prefix and marks the stream retained, so the full text stays readable.
 */
export async function streamText(
  batch: IngestBatch,
  stream: OpenStream,
  maxBytes: number,
  budget: TextReadBudget = batch.textBudget,
): Promise<{ text: string; complete: boolean }> {
  await flushStream(batch, stream);
  if ((stream.fields.retainedFrom ?? 0) > 0) return { text: "", complete: false };
  const parts: string[] = [];
  let bytes = 0;
  for await (const row of batch.ctx.db.query("stream_deltas").withIndex("by_key_start", (q) => q.eq("k", stream.fields.key))) {
    if (budget.rows <= 0 || budget.bytes <= 0 || bytes >= maxBytes) return { text: parts.join(""), complete: false };
    const size = utf8Bytes(row.t);
    budget.rows -= 1;
    budget.bytes -= size;
    parts.push(row.t);
    bytes += size;
  }
  return { text: parts.join(""), complete: true };
}

/** Streams matching an index query, with this batch's in-memory state (and drafts) folded in. */
export async function mergeTracked(
  batch: IngestBatch,
  fromDb: Doc<"streams">[],
  matches: (fields: StreamFields) => boolean,
): Promise<OpenStream[]> {
  const result = new Map<string, OpenStream>();
  for (const doc of fromDb) result.set(doc.streamId, batch.streams.get(doc.streamId) ?? (await track(batch, doc)));
  for (const open of batch.streams.values()) if (matches(open.fields)) result.set(open.fields.streamId, open);
  return [...result.values()].filter((s) => matches(s.fields));
}

export async function streamsOfItem(batch: IngestBatch, turnId: string, itemId: string): Promise<OpenStream[]> {
  const docs = await batch.ctx.db
    .query("streams")
    .withIndex("by_owner_turn_item", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("turnId", turnId).eq("itemId", itemId),
    )
    .take(OPEN_WORK_MAX_ROWS);
  return mergeTracked(batch, docs, (f) => f.turnId === turnId && f.itemId === itemId);
}

export async function openStreamsOfTurn(batch: IngestBatch, turnId: string): Promise<OpenStream[]> {
  const docs = await batch.ctx.db
    .query("streams")
    .withIndex("by_owner_turn_status", (q) =>
      q
        .eq("tenantId", batch.owner.tenantId)
        .eq("userId", batch.owner.userId)
        .eq("threadId", batch.threadId)
        .eq("turnId", turnId)
        .eq("status", "streaming"),
    )
    .take(OPEN_WORK_MAX_ROWS);
  return mergeTracked(batch, docs, (f) => f.turnId === turnId && f.status === "streaming");
}

/** Splits text into pieces of at most `max` code units without splitting a surrogate pair. */
export function chunkText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + max);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    chunks.push(text.slice(i, end));
    i = end;
  }
  return chunks;
}
