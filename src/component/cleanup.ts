/**
 * Background upkeep of streams, one scheduled sweep at a time (`sweeps` singleton row):
 * 1. a stream with no delta for STREAM_IDLE_ABORT_MS whose turn is not progressing is
 *    aborted (its message/segment gets the partial text, status `interrupted`);
 * 2. a finished/aborted stream older than STREAM_DELTA_TTL_MS loses its delta rows in
 *    pages, `retainedFrom` rising as they go; when none are left the stream row goes too
 *    (replay then reports `stale` and clients use the durable text). A `retained` stream
 *    (its durable row kept only a prefix) is never expired: its deltas are the full text.
 * Each transaction is bounded in documents and bytes (CLEANUP_MAX_*), counted row by row
 * inside a stream, so one user's huge stream is worked off over several runs and never
 * makes a run fail for everyone; leftover work reschedules immediately.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api.js";
import type { Doc } from "./_generated/dataModel.js";
import { type MutationCtx } from "./_generated/server.js";
import { internalMutation } from "./lib/functions.js";
import { flushThread, freshTextBudget, type IngestBatch, type TextReadBudget } from "./ingest/batch.js";
import { finishAgentMessage, findMessage } from "./ingest/messages.js";
import { segmentsOfItem, upsertSegment } from "./ingest/reasoning.js";
import { findTurn } from "./ingest/turns.js";
import { deltaEnd, finishStream, flushAllStreams, loadStream, retainStream, streamText } from "./ingest/streamStore.js";
import {
  CLEANUP_MAX_BYTES,
  CLEANUP_MAX_DELTA_ROWS,
  CLEANUP_MAX_STREAMS,
  ITEM_TEXT_MAX_BYTES,
  STREAM_DELTA_TTL_MS,
  STREAM_IDLE_ABORT_MS,
  SWEEP_INTERVAL_MS,
  utf8Bytes,
} from "../contract/limits.js";
import { findThread } from "./lib/owner.js";

const SWEEP_KEY = "streams";

/** Makes sure a sweep is pending; does nothing when one already is. */
export async function scheduleSweep(ctx: MutationCtx): Promise<void> {
  const state = await sweepState(ctx);
  if (state) {
    const job = await ctx.db.system.get("_scheduled_functions", state.scheduledId);
    if (job && (job.state.kind === "pending" || job.state.kind === "inProgress")) return;
  }
  await replaceSweep(ctx, state, SWEEP_INTERVAL_MS);
}

async function sweepState(ctx: MutationCtx) {
  return await ctx.db.query("sweeps").withIndex("by_key", (q) => q.eq("key", SWEEP_KEY)).unique();
}

async function replaceSweep(ctx: MutationCtx, state: Doc<"sweeps"> | null, delayMs: number) {
  const scheduledId = await ctx.scheduler.runAfter(delayMs, internal.cleanup.sweep, {});
  const runAt = Date.now() + delayMs;
  if (state) await ctx.db.patch("sweeps", state._id, { scheduledId, runAt });
  else await ctx.db.insert("sweeps", { key: SWEEP_KEY, scheduledId, runAt });
}

const vSweepResult = v.object({ aborted: v.number(), deletedDeltaRows: v.number(), deletedStreams: v.number(), more: v.boolean() });

export const sweep = internalMutation({
  args: {
    /** Overrides for tests and operators; production sweeps use the limits.ts values. */
    now: v.optional(v.number()),
    ttlMs: v.optional(v.number()),
    idleMs: v.optional(v.number()),
    maxDeltaRows: v.optional(v.number()),
    maxBytes: v.optional(v.number()),
    reschedule: v.optional(v.boolean()),
  },
  returns: vSweepResult,
  handler: async (ctx, args) => {
    const now = args.now ?? Date.now();
    const ttlMs = args.ttlMs ?? STREAM_DELTA_TTL_MS;
    const idleMs = args.idleMs ?? STREAM_IDLE_ABORT_MS;
    const idle = await abortIdleStreams(ctx, now, idleMs, freshTextBudget());
    const purgeBudget = { rows: args.maxDeltaRows ?? CLEANUP_MAX_DELTA_ROWS, bytes: args.maxBytes ?? CLEANUP_MAX_BYTES };
    const purge = await purgeFinishedDeltas(ctx, now - ttlMs, purgeBudget);
    const more = idle.more || purge.more;
    if (args.reschedule !== false) await planNextSweep(ctx, now, ttlMs, idleMs, more);
    return { aborted: idle.aborted, deletedDeltaRows: purge.deletedDeltaRows, deletedStreams: purge.deletedStreams, more };
  },
});

/**
 * Aborts idle streams. Only reply and reasoning streams have durable text to finish: read
 * back from their deltas within this run's budget; what does not fit stays in the stream,
 * which is then retained (the row keeps a `truncated` prefix). An output stream cut off
 * before its item completed is the only full copy of that output: it is retained too.
 */
async function abortIdleStreams(ctx: MutationCtx, now: number, idleMs: number, budget: TextReadBudget) {
  const idle = await ctx.db
    .query("streams")
    .withIndex("by_status_last_delta", (q) => q.eq("status", "streaming").lt("lastDeltaAt", now - idleMs))
    .take(CLEANUP_MAX_STREAMS);
  let aborted = 0;
  for (const row of idle) {
    if (budget.rows <= 0 || budget.bytes <= 0) return { aborted, more: true };
    const owner = { tenantId: row.tenantId, userId: row.userId };
    const thread = await findThread(ctx, owner, row.threadId);
    if (!thread) {
      // An orphan (its thread was deleted): nothing durable to finish, just close it.
      await ctx.db.patch("streams", row._id, { status: "aborted", finishedAt: now });
      aborted++;
      continue;
    }
    const batch: IngestBatch = {
      ctx, owner, threadId: row.threadId, sessionId: "", now, thread, threadDirty: new Set(), streams: new Map(), needsSweep: false,
      textBudget: budget, deletedTurns: new Map(),
    };
    // Ingest for this thread within the idle window means the turn is still moving.
    const turn = await findTurn(batch, row.turnId);
    if (turn?.status === "inProgress" && thread.updatedAt > now - idleMs) continue;
    const stream = (await loadStream(batch, row.streamId))!;
    finishStream(batch, stream, "aborted");
    let truncated = false;
    if (row.channel === "agentMessage") {
      const message = await findMessage(batch, row.turnId, row.itemId);
      if (message?.status === "streaming") {
        const final = await streamText(batch, stream, ITEM_TEXT_MAX_BYTES);
        truncated = await finishAgentMessage(batch, row.turnId, row.itemId, { ...final, streamId: row.streamId }, "interrupted", message.createdAt);
      }
    } else if (row.channel === "reasoningSummary" || row.channel === "reasoningContent") {
      const segment = (await segmentsOfItem(batch, row.turnId, row.itemId)).find((s) => s.streamId === row.streamId);
      if (segment?.status === "streaming") {
        const final = await streamText(batch, stream, ITEM_TEXT_MAX_BYTES);
        const key = { turnId: row.turnId, itemId: row.itemId, channel: segment.channel, index: segment.index, at: segment.createdAt };
        truncated = await upsertSegment(batch, key, { status: "interrupted", ...final });
      }
    } else if (stream.cursor > 0) {
      // Output cut off before its item completed: the stream is the only full copy.
      truncated = true;
    }
    if (truncated) retainStream(stream);
    await flushAllStreams(batch);
    // The reply it ended is counted on its thread; `updatedAt` stays, since it says whether
    // the thread's turn is still moving (above).
    await flushThread(batch, false);
    aborted++;
  }
  return { aborted, more: idle.length === CLEANUP_MAX_STREAMS };
}

/**
 * Deletes the deltas of streams finished before `finishedBefore`, oldest first, row by row
 * within the budget: a stream too big for one run keeps `retainedFrom` where this run
 * stopped and the next run (scheduled at once) goes on from there.
 */
async function purgeFinishedDeltas(ctx: MutationCtx, finishedBefore: number, budget: TextReadBudget) {
  const limit = budget.rows;
  let deletedStreams = 0;
  let more = false;
  const deleted = () => limit - budget.rows;
  for (const status of ["finished", "aborted"] as const) {
    const due = await ctx.db
      .query("streams")
      .withIndex("by_status_retained_finished", (q) => q.eq("status", status).eq("retained", false).lt("finishedAt", finishedBefore))
      .take(CLEANUP_MAX_STREAMS);
    if (due.length === CLEANUP_MAX_STREAMS) more = true;
    for (const stream of due) {
      if (budget.rows <= 0 || budget.bytes <= 0) return { deletedDeltaRows: deleted(), deletedStreams, more: true };
      let retainedFrom = stream.retainedFrom ?? 0;
      let exhausted = true;
      for await (const delta of ctx.db.query("stream_deltas").withIndex("by_key_start", (q) => q.eq("k", stream.key))) {
        if (budget.rows <= 0 || budget.bytes <= 0) {
          exhausted = false;
          break;
        }
        await ctx.db.delete("stream_deltas", delta._id);
        budget.rows--;
        budget.bytes -= utf8Bytes(delta.t);
        retainedFrom = deltaEnd(delta);
      }
      if (exhausted) {
        await ctx.db.delete("streams", stream._id);
        deletedStreams++;
      } else {
        await ctx.db.patch("streams", stream._id, { retainedFrom });
        return { deletedDeltaRows: deleted(), deletedStreams, more: true };
      }
    }
  }
  return { deletedDeltaRows: deleted(), deletedStreams, more };
}

/** Next run: now if work is left, else when the next stream can go idle or expire; none if nothing is left. */
async function planNextSweep(ctx: MutationCtx, now: number, ttlMs: number, idleMs: number, more: boolean) {
  const state = await sweepState(ctx);
  if (more) return replaceSweep(ctx, state, 0);
  const dueTimes: number[] = [];
  const live = await ctx.db.query("streams").withIndex("by_status_last_delta", (q) => q.eq("status", "streaming")).first();
  if (live) dueTimes.push(live.lastDeltaAt + idleMs);
  for (const status of ["finished", "aborted"] as const) {
    const done = await ctx.db
      .query("streams")
      .withIndex("by_status_retained_finished", (q) => q.eq("status", status).eq("retained", false))
      .first();
    if (done?.finishedAt !== undefined) dueTimes.push(done.finishedAt + ttlMs);
  }
  if (dueTimes.length === 0) {
    if (state) await ctx.db.delete("sweeps", state._id);
    return;
  }
  await replaceSweep(ctx, state, Math.max(SWEEP_INTERVAL_MS, Math.min(...dueTimes) - now));
}
