/**
 * Test-only host wrappers with the shapes the real component's wrappers return (seed 000,
 * Step 2). They read and write the component's tables directly, standing in for the
 * component functions the hooks will call through the app once they exist.
 */
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { vv } from "../../../component/schema.js";
import {
  vActor,
  vApprovalDecision,
  vStreamChannel,
  vStreamCursor,
  vStreamStatus,
  vStreamWindowStatus,
} from "../../../component/validators.js";
import type { Doc } from "./_generated/dataModel.js";
import { mutation, query, type QueryCtx } from "./_generated/server.js";

type Actor = { tenantId: string; userId: string };

const vStreamInfo = v.object({
  streamId: v.string(),
  turnId: v.string(),
  itemId: v.string(),
  channel: vStreamChannel,
  status: vStreamStatus,
  cursor: v.number(),
  retainedFrom: v.number(),
});
const vDelta = v.object({ streamId: v.string(), cursorStart: v.number(), cursorEnd: v.number(), text: v.string() });
const vWindow = v.object({ streamId: v.string(), status: vStreamWindowStatus, serverCursor: v.number() });
const vReplay = v.object({
  streams: v.array(vStreamInfo),
  deltas: v.array(vDelta),
  streamWindows: v.array(vWindow),
  nextCheckpoints: v.array(vStreamCursor),
});
const vStreamArgs = v.union(
  v.object({ kind: v.literal("list") }),
  v.object({ kind: v.literal("deltas"), cursors: v.array(vStreamCursor) }),
);

function streamInfo(s: Doc<"streams">) {
  return {
    streamId: s.streamId,
    turnId: s.turnId,
    itemId: s.itemId,
    channel: s.channel,
    status: s.status,
    cursor: s.cursor,
    retainedFrom: s.retainedFrom,
  };
}

async function findStream(ctx: QueryCtx, actor: Actor, threadId: string, streamId: string) {
  return await ctx.db
    .query("streams")
    .withIndex("by_owner_stream", (q) =>
      q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("streamId", streamId),
    )
    .unique();
}

/** What the component's `replayStreams` returns: live streams, and deltas after each cursor. */
async function replay(ctx: QueryCtx, actor: Actor, threadId: string, cursors: { streamId: string; cursor: number }[]) {
  const live = await ctx.db
    .query("streams")
    .withIndex("by_owner_thread_status", (q) =>
      q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("status", "streaming"),
    )
    .collect();
  const deltas = [];
  const streamWindows = [];
  const nextCheckpoints = [];
  for (const { streamId, cursor } of cursors) {
    const stream = await findStream(ctx, actor, threadId, streamId);
    if (!stream) {
      streamWindows.push({ streamId, status: "stale" as const, serverCursor: 0 });
      continue;
    }
    const from = Math.max(cursor, stream.retainedFrom);
    streamWindows.push({
      streamId,
      status: cursor < stream.retainedFrom ? ("rebased" as const) : ("ok" as const),
      serverCursor: stream.cursor,
    });
    const rows = await ctx.db
      .query("stream_deltas")
      .withIndex("by_stream_cursor", (q) => q.eq("stream", stream._id).gte("cursorStart", from))
      .collect();
    for (const row of rows) deltas.push({ streamId, cursorStart: row.cursorStart, cursorEnd: row.cursorEnd, text: row.text });
    nextCheckpoints.push({ streamId, cursor: rows.at(-1)?.cursorEnd ?? from });
  }
  return { streams: live.map(streamInfo), deltas, streamWindows, nextCheckpoints };
}

export const threadMessages = query({
  args: { actor: vActor, threadId: v.string(), paginationOpts: paginationOptsValidator, streamArgs: v.optional(vStreamArgs) },
  returns: v.object({
    ...paginationResultValidator(vv.doc("messages")).fields,
    streams: v.optional(
      v.union(
        v.object({
          kind: v.literal("deltas"),
          deltas: v.array(vDelta),
          streamWindows: v.array(vWindow),
          nextCheckpoints: v.array(vStreamCursor),
        }),
        v.object({ kind: v.literal("list"), streams: v.array(vStreamInfo) }),
      ),
    ),
  }),
  handler: async (ctx, { actor, threadId, paginationOpts, streamArgs }) => {
    const paginated = await ctx.db
      .query("messages")
      .withIndex("by_owner_thread_order", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId),
      )
      .order("desc")
      .paginate(paginationOpts);
    if (!streamArgs) return paginated;
    const cursors = streamArgs.kind === "deltas" ? streamArgs.cursors : [];
    const r = await replay(ctx, actor, threadId, cursors);
    if (streamArgs.kind === "list") return { ...paginated, streams: { kind: "list" as const, streams: r.streams } };
    return {
      ...paginated,
      streams: { kind: "deltas" as const, deltas: r.deltas, streamWindows: r.streamWindows, nextCheckpoints: r.nextCheckpoints },
    };
  },
});

export const streamSync = query({
  args: { actor: vActor, threadId: v.string(), streamCursorsById: v.array(vStreamCursor) },
  returns: vReplay,
  handler: async (ctx, { actor, threadId, streamCursorsById }) => replay(ctx, actor, threadId, streamCursorsById),
});

export const threadReasoning = query({
  args: { actor: vActor, threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(vv.doc("reasoning_segments")),
  handler: async (ctx, { actor, threadId, paginationOpts }) =>
    await ctx.db
      .query("reasoning_segments")
      .withIndex("by_owner_thread_order", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId),
      )
      .order("desc")
      .paginate(paginationOpts),
});

export const turnMessages = query({
  args: { actor: vActor, threadId: v.string(), turnId: v.string() },
  returns: v.array(vv.doc("messages")),
  handler: async (ctx, { actor, threadId, turnId }) =>
    await ctx.db
      .query("messages")
      .withIndex("by_owner_turn_order", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("turnId", turnId),
      )
      .collect(),
});

export const threadItems = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.array(vv.doc("items")),
  handler: async (ctx, { actor, threadId }) => {
    const items = await ctx.db
      .query("items")
      .withIndex("by_owner_item", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId),
      )
      .collect();
    return items.sort((a, b) => a.startedAt - b.startedAt || a._creationTime - b._creationTime);
  },
});

export const threadState = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.union(
    v.null(),
    v.object({ thread: vv.doc("threads"), activeTurn: v.union(v.null(), vv.doc("turns")), lastTurn: v.union(v.null(), vv.doc("turns")) }),
  ),
  handler: async (ctx, { actor, threadId }) => {
    const thread = await ctx.db
      .query("threads")
      .withIndex("by_owner_thread", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId),
      )
      .unique();
    if (!thread) return null;
    const turn = async (turnId: string | undefined) =>
      turnId === undefined
        ? null
        : await ctx.db
            .query("turns")
            .withIndex("by_owner_turn", (q) =>
              q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("turnId", turnId),
            )
            .unique();
    return { thread, activeTurn: await turn(thread.activeTurnId), lastTurn: await turn(thread.lastTurnId) };
  },
});

export const pendingApprovals = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.array(vv.doc("approvals")),
  handler: async (ctx, { actor, threadId }) =>
    await ctx.db
      .query("approvals")
      .withIndex("by_owner_thread_status", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("status", "pending"),
      )
      .collect(),
});

export const approvalRespond = mutation({
  args: {
    actor: vActor,
    threadId: v.string(),
    turnId: v.string(),
    itemId: v.string(),
    decision: vApprovalDecision,
    reason: v.optional(v.string()),
  },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, itemId, decision, reason }) => {
    const approval = await ctx.db
      .query("approvals")
      .withIndex("by_owner_item", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("itemId", itemId),
      )
      .unique();
    if (!approval || approval.status !== "pending") throw new Error(`no pending approval for ${itemId}`);
    await ctx.db.patch(approval._id, { status: decision, reason, decidedAt: Date.now(), decidedBy: actor.userId });
    return null;
  },
});

export const registerTurnStart = mutation({
  args: { actor: vActor, threadId: v.string(), inputText: v.string(), idempotencyKey: v.string() },
  returns: v.object({ commandId: v.id("commands"), status: v.string(), deduplicated: v.boolean() }),
  handler: async (ctx, { actor, threadId, inputText, idempotencyKey }) => {
    const thread = await ctx.db
      .query("threads")
      .withIndex("by_owner_thread", (q) => q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId))
      .unique();
    if (!thread) throw new ConvexError({ code: "E_THREAD_NOT_FOUND", message: `thread ${threadId} not found` });
    const existing = await ctx.db
      .query("commands")
      .withIndex("by_owner_thread_idempotency", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("idempotencyKey", idempotencyKey),
      )
      .unique();
    if (existing) return { commandId: existing._id, status: existing.status, deduplicated: true };
    const commandId = await ctx.db.insert("commands", {
      tenantId: actor.tenantId,
      userId: actor.userId,
      threadId,
      kind: "startTurn",
      status: "queued",
      idempotencyKey,
      input: [{ type: "text", text: inputText }],
      createdAt: Date.now(),
    });
    return { commandId, status: "queued", deduplicated: false };
  },
});

export const interruptActiveTurn = mutation({
  args: { actor: vActor, threadId: v.string(), turnId: v.optional(v.string()) },
  returns: v.object({ commandId: v.id("commands") }),
  handler: async (ctx, { actor, threadId, turnId }) => {
    const commandId = await ctx.db.insert("commands", {
      tenantId: actor.tenantId,
      userId: actor.userId,
      threadId,
      kind: "interruptTurn",
      status: "queued",
      turnId,
      createdAt: Date.now(),
    });
    return { commandId };
  },
});

/** Commands queued for the bridge (the tests' bridge stand-in reads them). */
export const queuedCommands = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.array(vv.doc("commands")),
  handler: async (ctx, { actor, threadId }) =>
    await ctx.db
      .query("commands")
      .withIndex("by_owner_thread_status", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("status", "queued"),
      )
      .collect(),
});
