/**
 * The state of one `sync.ingest` call. Projection modules read and change the thread and
 * the touched streams through it; writes that would repeat per event (the thread row, a
 * stream's cursor, its delta text) are held here and written once when the batch ends.
 */
import type { Doc, Id } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import { STREAM_TEXT_READ_MAX_BYTES, STREAM_TEXT_READ_MAX_ROWS, THREAD_TOUCH_MS } from "../../contract/limits.js";
import type { Owner } from "../lib/owner.js";

export type StreamFields = Omit<Doc<"streams">, "_id" | "_creationTime">;

/** A stream touched by this batch: its row (or a draft not inserted yet) plus unwritten text. */
export type OpenStream = {
  id: Id<"streams"> | null;
  fields: StreamFields;
  /** The row itself must be written (new, heartbeat, status); new text alone does not. */
  dirty: boolean;
  /** The live end cursor (the row's `cursor` lags behind it between heartbeats). */
  cursor: number;
  /** Accepted text not yet written, starting at `pendingStart`. */
  pending: string[];
  pendingStart: number;
};

/** What one transaction may still read to assemble stream text (see STREAM_TEXT_READ_MAX_*). */
export type TextReadBudget = { rows: number; bytes: number };

export type IngestBatch = {
  ctx: MutationCtx;
  owner: Owner;
  threadId: string;
  sessionId: string;
  now: number;
  /** In-memory copy of the thread row; `threadDirty` lists what to write back. */
  thread: Doc<"threads">;
  threadDirty: Set<string>;
  streams: Map<string, OpenStream>;
  /** Set when a stream was created or finished, so a cleanup sweep is due. */
  needsSweep: boolean;
  textBudget: TextReadBudget;
  /** Turns looked up in `tombstones` by this batch: true when deleted. */
  deletedTurns: Map<string, boolean>;
};

export function freshTextBudget(): TextReadBudget {
  return { rows: STREAM_TEXT_READ_MAX_ROWS, bytes: STREAM_TEXT_READ_MAX_BYTES };
}

export function patchThread(batch: IngestBatch, fields: Partial<Doc<"threads">>): void {
  for (const [key, value] of Object.entries(fields)) {
    (batch.thread as Record<string, unknown>)[key] = value;
    batch.threadDirty.add(key);
  }
}

/**
 * The conversation changed: `updatedAt` moves, but at most every THREAD_TOUCH_MS when
 * nothing else of the thread row changed, so the events of a running turn (each item's
 * start and end) do not rewrite the row — and re-run every thread-list subscription — one
 * by one. Any other change to the row writes `updatedAt` exactly.
 */
export function touchThread(batch: IngestBatch): void {
  if (batch.now - batch.thread.updatedAt >= THREAD_TOUCH_MS) batch.threadDirty.add("updatedAt");
}

/** Writes the thread row's held changes; `touch: false` (background upkeep) leaves `updatedAt` alone. */
export async function flushThread(batch: IngestBatch, touch = true): Promise<void> {
  if (batch.threadDirty.size === 0) return;
  const patch: Record<string, unknown> = {};
  for (const key of batch.threadDirty) patch[key] = (batch.thread as Record<string, unknown>)[key];
  if (touch) patch.updatedAt = batch.now;
  else delete patch.updatedAt;
  await batch.ctx.db.patch("threads", batch.thread._id, patch);
  batch.threadDirty.clear();
}

