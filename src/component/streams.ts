/**
 * Stream reads for clients, split the way a live follower subscribes:
 * - `list`: the thread's live and recent streams — stream rows only, never a delta. Stream
 *   rows are written when a stream starts, at a coarse heartbeat and when it ends, so this
 *   subscription is not re-run by every batch. A live stream's `cursor` is a lower bound.
 * - `deltas`: only what follows each cursor the client holds, read through the delta rows'
 *   key (`lib/streamKey.ts`): no stream row is read, so a re-run costs the new rows alone,
 *   and a caught-up cursor reads nothing. Cursors are ones the server handed out (0,
 *   `nextCheckpoints`, `retainedFrom`); any other cursor inside a row is trimmed to.
 * - `replay` = both at once, with `stale` detection from the stream rows (the replay API).
 *
 * Window status per stream: `ok`; `rebased` = cleanup deleted below the client's cursor
 * but deltas remain (returned from where they start); `stale` = the stream's deltas are
 * gone — use the durable message/segment text instead.
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
import { streamKey } from "./lib/streamKey.js";
import { deltaEnd } from "./ingest/streamStore.js";
import {
  vActor,
  vReplayResult,
  vStreamCursor,
  vStreamDeltasResult,
  vStreamInfo,
  type Actor,
  type ReplayDelta,
  type ReplayResult,
  type StreamCursor,
  type StreamDeltasResult,
  type StreamInfo,
  type StreamWindow,
} from "./validators.js";

/** How many cursors one call may name. */
const MAX_CURSORS = 100;
/** Live streams listed per thread (a turn has a few at a time). */
const MAX_LIVE_STREAMS = 50;

type Budget = { rows: number; chars: number };
const freshBudget = (): Budget => ({ rows: REPLAY_MAX_ROWS, chars: REPLAY_MAX_CHARS });

export const list = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.array(vStreamInfo),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    return (await listedStreams(ctx, owner, threadId, [])).map(streamInfo);
  },
});

export const deltas = query({
  args: { actor: vActor, threadId: v.string(), cursors: v.array(vStreamCursor) },
  returns: vStreamDeltasResult,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    checkCursorCount(args.cursors);
    const budget = freshBudget();
    const result: StreamDeltasResult = { deltas: [], streamWindows: [], nextCheckpoints: [] };
    for (const { streamId, cursor } of args.cursors) {
      const read = await readFrom(ctx, await streamKey(owner, threadId, streamId), streamId, cursor, budget);
      result.deltas.push(...read.deltas);
      const next = read.deltas.at(-1)?.cursorEnd ?? cursor;
      result.streamWindows.push({ streamId, status: read.gap ? "rebased" : "ok", serverCursor: next, hasMore: read.hasMore });
      result.nextCheckpoints.push({ streamId, cursor: next });
    }
    return result;
  },
});

export const replay = query({
  args: { actor: vActor, threadId: v.string(), streamCursorsById: v.array(vStreamCursor) },
  returns: vReplayResult,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    checkCursorCount(args.streamCursorsById);
    const cursors = new Map(args.streamCursorsById.map((c) => [c.streamId, c.cursor]));
    const listed = await listedStreams(ctx, owner, threadId, [...cursors.keys()]);
    // Deltas only for the streams the client names: a stream it has not seen is asked from 0.
    const targets = listed.filter((s) => cursors.has(s.streamId));
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

const streamInfo = (s: Doc<"streams">): StreamInfo => ({
  streamId: s.streamId,
  turnId: s.turnId,
  itemId: s.itemId,
  channel: s.channel,
  status: s.status,
  cursor: s.cursor,
  retainedFrom: s.retainedFrom ?? 0,
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
  return [...found.values()].sort((a, b) => startOf(a) - startOf(b) || a._creationTime - b._creationTime);
}

/** When a stream started: its row's creation (older rows also carry `startedAt`). */
function startOf(s: Doc<"streams">): number {
  return s.startedAt ?? s._creationTime;
}

async function replayStreams(
  ctx: QueryCtx,
  listed: Doc<"streams">[],
  targets: Doc<"streams">[],
  cursorOf: (s: Doc<"streams">) => number,
  named: string[],
): Promise<ReplayResult> {
  const budget = freshBudget();
  const result: ReplayResult = { streams: listed.map(streamInfo), deltas: [], streamWindows: [], nextCheckpoints: [] };
  for (const stream of targets) {
    const clientCursor = cursorOf(stream);
    let status: StreamWindow["status"] = "ok";
    let from = clientCursor;
    // Only cleanup moves `retainedFrom`, and only on ended streams, whose `cursor` is exact.
    const retainedFrom = stream.retainedFrom ?? 0;
    if (clientCursor < retainedFrom && clientCursor < stream.cursor) {
      status = retainedFrom >= stream.cursor ? "stale" : "rebased";
      from = retainedFrom;
    }
    let next = from;
    let hasMore = false;
    if (status !== "stale") {
      const read = await readFrom(ctx, stream.key, stream.streamId, from, budget, true);
      result.deltas.push(...read.deltas);
      next = read.deltas.at(-1)?.cursorEnd ?? from;
      hasMore = read.hasMore;
      if (read.gap && status === "ok") status = "rebased";
    }
    result.streamWindows.push({ streamId: stream.streamId, status, serverCursor: Math.max(stream.cursor, next), hasMore });
    if (status !== "stale") result.nextCheckpoints.push({ streamId: stream.streamId, cursor: next });
  }
  // A stream the client names that no longer exists at all: cleanup removed it.
  const known = new Set(targets.map((s) => s.streamId));
  for (const streamId of named) {
    if (!known.has(streamId)) result.streamWindows.push({ streamId, status: "stale", serverCursor: 0, hasMore: false });
  }
  return result;
}

/**
 * Deltas covering [from, …) of one stream, by its key, within `budget`. When the first
 * row starts past `from`, the row containing `from` (if any) is trimmed in; none means
 * the rows below were deleted (`gap`: the window is rebased to where the rows start).
 * With no row at or past `from`, a caught-up follower reads nothing more; `checkTail`
 * (one-shot reads) also looks for a last row `from` is inside of.
 */
async function readFrom(ctx: QueryCtx, key: string, streamId: string, from: number, budget: Budget, checkTail = false) {
  const deltas: ReplayDelta[] = [];
  let gap = false;
  const take = (row: Doc<"stream_deltas">) => {
    if (budget.rows <= 0 || budget.chars <= 0) return false;
    const start = Math.max(row.s, from);
    const text = row.t.slice(start - row.s);
    deltas.push({ streamId, cursorStart: start, cursorEnd: deltaEnd(row), text });
    budget.rows -= 1;
    budget.chars -= text.length;
    return true;
  };
  let first = true;
  for await (const row of ctx.db.query("stream_deltas").withIndex("by_key_start", (q) => q.eq("k", key).gte("s", from))) {
    if (first && row.s > from) {
      const containing = await ctx.db
        .query("stream_deltas")
        .withIndex("by_key_start", (q) => q.eq("k", key).lt("s", from))
        .order("desc")
        .first();
      if (containing && deltaEnd(containing) > from) {
        if (!take(containing)) return { deltas, hasMore: true, gap };
      } else {
        gap = true;
      }
    }
    first = false;
    if (!take(row)) return { deltas, hasMore: true, gap };
  }
  if (first && checkTail && from > 0) {
    const last = await ctx.db.query("stream_deltas").withIndex("by_key_start", (q) => q.eq("k", key).lt("s", from)).order("desc").first();
    if (last && deltaEnd(last) > from && !take(last)) return { deltas, hasMore: true, gap };
  }
  return { deltas, hasMore: false, gap };
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
