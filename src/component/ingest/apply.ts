/**
 * Applies one batch in array order. Each event is accepted, a duplicate, or rejected with
 * a code; a rejection never aborts the batch. Caps are checked before anything is written.
 */
import type { MutationCtx } from "../_generated/server.js";
import { scheduleSweep } from "../cleanup.js";
import { ErrorCode, codexError } from "../../contract/errors.js";
import { INGEST_MAX_BATCH_BYTES, INGEST_MAX_EVENTS, batchBytes } from "../../contract/limits.js";
import { ensureThread, ownerOf, type Owner } from "../lib/owner.js";
import { findTombstone, refuseDeletedThread } from "../lib/tombstones.js";
import type { Actor, InboundEvent, IngestResult } from "../validators.js";
import { flushThread, freshTextBudget, touchThread, type IngestBatch } from "./batch.js";
import { applyStreamDelta } from "./deltas.js";
import { applyLifecycleEvent } from "./lifecycle.js";
import type { EventOutcome } from "./outcome.js";
import { applyServerRequest } from "./serverRequests.js";
import { touchSession } from "./session.js";
import { flushAllStreams } from "./streamStore.js";

export type IngestArgs = { actor: Actor; sessionId: string; threadId: string; events: InboundEvent[] };

export async function ingestBatch(ctx: MutationCtx, args: IngestArgs): Promise<IngestResult> {
  const owner = ownerOf(args.actor);
  if (args.events.length > INGEST_MAX_EVENTS) {
    throw codexError(ErrorCode.batchTooLarge, `${args.events.length} events; at most ${INGEST_MAX_EVENTS} per batch`, {
      maxEvents: INGEST_MAX_EVENTS,
    });
  }
  // Blank ids and out-of-range numbers were refused before the handler (lib/args.ts).
  const bytes = batchBytes(args.events);
  if (bytes > INGEST_MAX_BATCH_BYTES) {
    throw codexError(ErrorCode.batchTooLarge, `${bytes} bytes; at most ${INGEST_MAX_BATCH_BYTES} per batch`, {
      maxBytes: INGEST_MAX_BATCH_BYTES,
    });
  }
  const now = Date.now();
  // Nothing of a deleted thread is stored again: the whole batch is refused, and the host stops writing it.
  await refuseDeletedThread(ctx, owner, args.threadId);
  await touchSession(ctx, owner, args.sessionId, args.actor.deviceId, now);
  const batch = await openBatch(ctx, owner, args.threadId, args.sessionId, now);

  const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [], streamCursors: [] };
  for (const ev of args.events) {
    const outcome = await applyEvent(batch, ev);
    // Only events that change the conversation's shape bump `threads.updatedAt`: deltas alone
    // would rewrite the thread row (and re-run every thread-list subscription) 4× a second.
    if (outcome.kind === "accepted" && ev.type !== "stream_delta") touchThread(batch);
    if (outcome.kind === "accepted") result.accepted++;
    else if (outcome.kind === "duplicate") result.duplicates++;
    else result.rejected.push({ eventId: ev.eventId, code: outcome.code, message: outcome.message });
  }

  await closeBatch(batch);
  // Every stream the batch named, with its stored cursor: the sender resumes a gap from here.
  const cursors = new Map([...batch.streams.values()].map((s) => [s.fields.streamId, s.cursor]));
  for (const ev of args.events) {
    // A stream we have never stored anything of is at 0: a sender that skipped its start re-sends from there.
    if (ev.type === "stream_delta" && !cursors.has(ev.streamId)) cursors.set(ev.streamId, 0);
  }
  result.streamCursors = [...cursors].map(([streamId, cursor]) => ({ streamId, cursor }));
  return result;
}

/** The state of one transaction's writes to a thread (see `batch.ts`). */
export async function openBatch(ctx: MutationCtx, owner: Owner, threadId: string, sessionId: string, now: number): Promise<IngestBatch> {
  return {
    ctx,
    owner,
    threadId,
    sessionId,
    now,
    thread: await ensureThread(ctx, owner, threadId, now),
    threadDirty: new Set(),
    streams: new Map(),
    needsSweep: false,
    textBudget: freshTextBudget(),
    deletedTurns: new Map(),
  };
}

/** Writes what the batch held back (streams, the thread row) and plans the cleanup it made due. */
export async function closeBatch(batch: IngestBatch): Promise<void> {
  await flushAllStreams(batch);
  await flushThread(batch);
  if (batch.needsSweep) await scheduleSweep(batch.ctx);
}

/** Applies one event to the batch's thread: accepted, a duplicate, or rejected with a code. */
export async function applyEvent(batch: IngestBatch, ev: InboundEvent): Promise<EventOutcome> {
  if (ev.turnId !== undefined && (await isDeletedTurn(batch, ev.turnId))) {
    return { kind: "rejected", code: ErrorCode.turnDeleted, message: `turn ${ev.turnId} was deleted` };
  }
  switch (ev.type) {
    case "stream_delta":
      return await applyStreamDelta(batch, ev);
    case "lifecycle_event":
      return await applyLifecycleEvent(batch, ev);
    case "server_request":
      return await applyServerRequest(batch, ev);
  }
}

/** A deleted turn's events are not stored again (codex re-sends finished turns on a resume). */
async function isDeletedTurn(batch: IngestBatch, turnId: string): Promise<boolean> {
  let deleted = batch.deletedTurns.get(turnId);
  if (deleted === undefined) {
    deleted = (await findTombstone(batch.ctx, batch.owner, batch.threadId, turnId)) !== null;
    batch.deletedTurns.set(turnId, deleted);
  }
  return deleted;
}
