/**
 * Stream replay for clients. A client holds, per stream, the cursor up to which it has
 * text; replay returns only deltas past it, read through the `by_stream_cursor` index,
 * so the cost is proportional to what is new (capped per call: REPLAY_MAX_*).
 *
 * Window status per stream: `ok`; `rebased` = cleanup deleted below the client's cursor
 * but deltas remain from `retainedFrom` (returned from there); `stale` = the stream's
 * deltas are gone — use the durable message/segment text instead.
 *
 * Checkpoints are per device (`actor.deviceId`), kept apart from ingest acknowledgements,
 * so a second device can resume where it last read.
 */
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { type QueryCtx } from "./_generated/server.js";
import { mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { REPLAY_MAX_CHARS, REPLAY_MAX_ROWS, REPLAY_RECENT_FINISHED } from "../contract/limits.js";
import { ownerAndThread, requireNonEmpty, requireThread, type Owner } from "./lib/owner.js";
import {
  vActor,
  vReplayResult,
  vStreamCursor,
  type Actor,
  type ReplayResult,
  type StreamCursor,
  type StreamWindow,
} from "./validators.js";

/** How many cursors one call may name. */
const MAX_CURSORS = 100;
/** Live streams listed per thread (a turn has a few at a time). */
const MAX_LIVE_STREAMS = 50;

type Budget = { rows: number; chars: number };

export const replay = query({
  args: { actor: vActor, threadId: v.string(), streamCursorsById: v.array(vStreamCursor) },
  returns: vReplayResult,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    checkCursorCount(args.streamCursorsById);
    const cursors = new Map(args.streamCursorsById.map((c) => [c.streamId, c.cursor]));
    const listed = await listedStreams(ctx, owner, threadId, [...cursors.keys()]);
    // Live streams the client has not seen yet are replayed from their start.
    const targets = listed.filter((s) => cursors.has(s.streamId) || s.status === "streaming");
    return await replayStreams(ctx, listed, targets, (s) => cursors.get(s.streamId) ?? 0, [...cursors.keys()]);
  },
});

export const resume = query({
  args: { actor: vActor, threadId: v.string(), turnId: v.string(), fromCursor: v.number() },
  returns: vReplayResult,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turnId = requireNonEmpty("turnId", args.turnId);
    const streams = await ctx.db
      .query("streams")
      .withIndex("by_owner_turn_status", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turnId),
      )
      .take(MAX_LIVE_STREAMS);
    return await replayStreams(ctx, streams, streams, () => args.fromCursor, []);
  },
});

async function listedStreams(ctx: QueryCtx, owner: Owner, threadId: string, named: string[]): Promise<Doc<"streams">[]> {
  const byStatus = (status: Doc<"streams">["status"]) =>
    ctx.db
      .query("streams")
      .withIndex("by_owner_thread_status", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("status", status),
      )
      .order("desc");
  const found = new Map<string, Doc<"streams">>();
  for (const s of await byStatus("streaming").take(MAX_LIVE_STREAMS)) found.set(s.streamId, s);
  for (const s of await byStatus("finished").take(REPLAY_RECENT_FINISHED)) found.set(s.streamId, s);
  for (const s of await byStatus("aborted").take(REPLAY_RECENT_FINISHED)) found.set(s.streamId, s);
  for (const streamId of named) {
    if (found.has(streamId)) continue;
    const s = await ctx.db
      .query("streams")
      .withIndex("by_owner_stream", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("streamId", streamId),
      )
      .unique();
    if (s) found.set(streamId, s);
  }
  return [...found.values()].sort((a, b) => a.startedAt - b.startedAt || a._creationTime - b._creationTime);
}

async function replayStreams(
  ctx: QueryCtx,
  listed: Doc<"streams">[],
  targets: Doc<"streams">[],
  cursorOf: (s: Doc<"streams">) => number,
  named: string[],
): Promise<ReplayResult> {
  const budget: Budget = { rows: REPLAY_MAX_ROWS, chars: REPLAY_MAX_CHARS };
  const result: ReplayResult = {
    streams: listed.map((s) => ({
      streamId: s.streamId,
      turnId: s.turnId,
      itemId: s.itemId,
      channel: s.channel,
      status: s.status,
      cursor: s.cursor,
      retainedFrom: s.retainedFrom,
    })),
    deltas: [],
    streamWindows: [],
    nextCheckpoints: [],
  };
  for (const stream of targets) {
    const clientCursor = cursorOf(stream);
    let status: StreamWindow["status"] = "ok";
    let from = clientCursor;
    if (clientCursor < stream.cursor && clientCursor < stream.retainedFrom) {
      status = stream.retainedFrom >= stream.cursor ? "stale" : "rebased";
      from = stream.retainedFrom;
    }
    let next = Math.max(from, clientCursor);
    let hasMore = false;
    if (status !== "stale" && from < stream.cursor) {
      const read = await readDeltas(ctx, stream, from, budget);
      result.deltas.push(...read.deltas);
      next = read.deltas.at(-1)?.cursorEnd ?? from;
      hasMore = read.hasMore;
    }
    result.streamWindows.push({ streamId: stream.streamId, status, serverCursor: stream.cursor, hasMore });
    if (status !== "stale") result.nextCheckpoints.push({ streamId: stream.streamId, cursor: next });
  }
  // A stream the client names that no longer exists at all: cleanup removed it.
  const known = new Set(targets.map((s) => s.streamId));
  for (const streamId of named) {
    if (!known.has(streamId)) result.streamWindows.push({ streamId, status: "stale", serverCursor: 0, hasMore: false });
  }
  return result;
}

/** Deltas covering [from, …): the row containing `from` (trimmed), then the following rows by index. */
async function readDeltas(ctx: QueryCtx, stream: Doc<"streams">, from: number, budget: Budget) {
  const deltas: ReplayResult["deltas"] = [];
  const take = (row: Doc<"stream_deltas">) => {
    if (budget.rows <= 0 || budget.chars <= 0) return false;
    const start = Math.max(row.cursorStart, from);
    const text = row.text.slice(start - row.cursorStart);
    deltas.push({ streamId: stream.streamId, cursorStart: start, cursorEnd: row.cursorEnd, text });
    budget.rows -= 1;
    budget.chars -= text.length;
    return true;
  };
  const containing = await ctx.db
    .query("stream_deltas")
    .withIndex("by_stream_cursor", (q) => q.eq("stream", stream._id).lte("cursorStart", from))
    .order("desc")
    .first();
  if (containing && containing.cursorEnd > from && !take(containing)) return { deltas, hasMore: true };
  for await (const row of ctx.db
    .query("stream_deltas")
    .withIndex("by_stream_cursor", (q) => q.eq("stream", stream._id).gt("cursorStart", from))) {
    if (!take(row)) return { deltas, hasMore: true };
  }
  return { deltas, hasMore: false };
}

function checkCursorCount(cursors: StreamCursor[]) {
  if (cursors.length > MAX_CURSORS) {
    throw codexError(ErrorCode.invalidArgument, `at most ${MAX_CURSORS} stream cursors per call`);
  }
}

function deviceOf(actor: Actor): string {
  if (!actor.deviceId) throw codexError(ErrorCode.deviceRequired, "stream checkpoints need actor.deviceId");
  return actor.deviceId;
}

export const saveCheckpoint = mutation({
  args: { actor: vActor, threadId: v.string(), cursors: v.array(vStreamCursor) },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const deviceId = deviceOf(args.actor);
    checkCursorCount(args.cursors);
    await requireThread(ctx, owner, threadId);
    const now = Date.now();
    for (const { streamId, cursor } of args.cursors) {
      const existing = await ctx.db
        .query("stream_checkpoints")
        .withIndex("by_owner_device_stream", (q) =>
          q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("deviceId", deviceId).eq("threadId", threadId).eq("streamId", streamId),
        )
        .unique();
      // Checkpoints only move forward: a late save from an older tab must not rewind another.
      if (!existing) {
        await ctx.db.insert("stream_checkpoints", { ...owner, deviceId, threadId, streamId, cursor, updatedAt: now });
      } else if (cursor > existing.cursor) {
        await ctx.db.patch("stream_checkpoints", existing._id, { cursor, updatedAt: now });
      }
    }
    return null;
  },
});

export const getCheckpoints = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.array(vStreamCursor),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const deviceId = deviceOf(args.actor);
    // The streams this device read last (what a reconnect resumes), at most as many as one replay may name.
    const rows = await ctx.db
      .query("stream_checkpoints")
      .withIndex("by_owner_device_updated", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("deviceId", deviceId).eq("threadId", threadId),
      )
      .order("desc")
      .take(MAX_CURSORS);
    return rows.map((r) => ({ streamId: r.streamId, cursor: r.cursor }));
  },
});
