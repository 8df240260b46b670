/**
 * Stream rows and their delta rows during ingest. All deltas a batch accepts for one
 * stream are merged in memory and written as ONE `stream_deltas` row (split only past
 * STREAM_DELTA_ROW_MAX_CHARS); the stream row's cursor is written once per batch.
 */
import type { Doc } from "../_generated/dataModel.js";
import { OPEN_WORK_MAX_ROWS, STREAM_DELTA_ROW_MAX_CHARS, isHighSurrogate } from "../../contract/limits.js";
import type { StreamStatus } from "../validators.js";
import type { IngestBatch, OpenStream, StreamFields } from "./batch.js";

export async function loadStream(batch: IngestBatch, streamId: string): Promise<OpenStream | null> {
  const cached = batch.streams.get(streamId);
  if (cached) return cached;
  const doc = await batch.ctx.db
    .query("streams")
    .withIndex("by_owner_stream", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("streamId", streamId),
    )
    .unique();
  return doc ? track(batch, doc) : null;
}

function track(batch: IngestBatch, doc: Doc<"streams">): OpenStream {
  const { _id, _creationTime: _ignored, ...fields } = doc;
  const open: OpenStream = { id: _id, fields, dirty: false, pending: [], pendingStart: fields.cursor };
  batch.streams.set(doc.streamId, open);
  return open;
}

/** A stream row that will be inserted when the batch flushes. */
export function draftStream(batch: IngestBatch, fields: Omit<StreamFields, "tenantId" | "userId" | "threadId">): OpenStream {
  const open: OpenStream = {
    id: null,
    fields: { ...batch.owner, threadId: batch.threadId, ...fields },
    dirty: true,
    pending: [],
    pendingStart: fields.cursor,
  };
  batch.streams.set(fields.streamId, open);
  batch.needsSweep = true;
  return open;
}

/** Appends accepted text at the stream's cursor. */
export function appendText(batch: IngestBatch, stream: OpenStream, text: string, cursorEnd: number): void {
  if (stream.pending.length === 0) stream.pendingStart = stream.fields.cursor;
  stream.pending.push(text);
  stream.fields.cursor = cursorEnd;
  stream.fields.deltaCount += 1;
  stream.fields.lastDeltaAt = batch.now;
  stream.dirty = true;
}

export function finishStream(batch: IngestBatch, stream: OpenStream, status: Exclude<StreamStatus, "streaming">): void {
  if (stream.fields.status !== "streaming") return;
  stream.fields.status = status;
  stream.fields.finishedAt = batch.now;
  stream.dirty = true;
  batch.needsSweep = true;
}

/** Writes a stream row and its pending text (one row, or several past the row cap). */
export async function flushStream(batch: IngestBatch, stream: OpenStream): Promise<void> {
  if (!stream.dirty) return;
  const { db } = batch.ctx;
  if (stream.id === null) {
    stream.id = await db.insert("streams", stream.fields);
  } else {
    const { cursor, deltaCount, lastDeltaAt, status, finishedAt, retainedFrom } = stream.fields;
    await db.patch("streams", stream.id, { cursor, deltaCount, lastDeltaAt, status, finishedAt, retainedFrom });
  }
  let start = stream.pendingStart;
  for (const chunk of chunkText(stream.pending.join(""), STREAM_DELTA_ROW_MAX_CHARS)) {
    await db.insert("stream_deltas", { stream: stream.id, cursorStart: start, cursorEnd: start + chunk.length, text: chunk });
    start += chunk.length;
  }
  stream.pending = [];
  stream.pendingStart = stream.fields.cursor;
  stream.dirty = false;
}

export async function flushAllStreams(batch: IngestBatch): Promise<void> {
  for (const stream of batch.streams.values()) await flushStream(batch, stream);
}

/** The stream's whole retained text (flushes first so the rows are complete). */
export async function streamText(batch: IngestBatch, stream: OpenStream): Promise<string> {
  await flushStream(batch, stream);
  if (stream.id === null) return "";
  const id = stream.id;
  // eslint-disable-next-line @convex-dev/no-collect-in-query -- unbounded for a long stream; finishing it in pages is issue #15 (streams)
  const rows = await batch.ctx.db
    .query("stream_deltas")
    .withIndex("by_stream_cursor", (q) => q.eq("stream", id))
    .collect();
  return rows.map((r) => r.text).join("");
}

/** Streams matching an index query, with this batch's in-memory state (and drafts) folded in. */
export async function mergeTracked(
  batch: IngestBatch,
  fromDb: Doc<"streams">[],
  matches: (fields: StreamFields) => boolean,
): Promise<OpenStream[]> {
  const result = new Map<string, OpenStream>();
  for (const doc of fromDb) result.set(doc.streamId, batch.streams.get(doc.streamId) ?? track(batch, doc));
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
