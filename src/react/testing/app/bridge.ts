/**
 * Test-only stand-in for the bridge + component ingest: writes the rows the component
 * writes when codex reports a turn, an item, a delta or an approval request. Tests call
 * these through the same client as the hooks, so every write re-runs the watched queries.
 */
import { v } from "convex/values";
import { vActor, vApprovalKind, vItemDetails, vItemStatus, vStreamChannel, vTurnStatus } from "../../../component/validators.js";
import { mutation, type MutationCtx } from "./_generated/server.js";

type Actor = { tenantId: string; userId: string };
const owner = (a: Actor) => ({ tenantId: a.tenantId, userId: a.userId });

async function thread(ctx: MutationCtx, actor: Actor, threadId: string) {
  const found = await ctx.db
    .query("threads")
    .withIndex("by_owner_thread", (q) => q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId))
    .unique();
  if (found) return found;
  const now = Date.now();
  const id = await ctx.db.insert("threads", {
    ...owner(actor),
    threadId,
    archived: false,
    turnCount: 0,
    messageCount: 0,
    createdAt: now,
    updatedAt: now,
  });
  return (await ctx.db.get(id))!;
}

async function stream(ctx: MutationCtx, actor: Actor, threadId: string, streamId: string) {
  const found = await ctx.db
    .query("streams")
    .withIndex("by_owner_stream", (q) =>
      q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("streamId", streamId),
    )
    .unique();
  if (!found) throw new Error(`no stream ${streamId}`);
  return found;
}

async function message(ctx: MutationCtx, actor: Actor, threadId: string, itemId: string) {
  return await ctx.db
    .query("messages")
    .withIndex("by_owner_item", (q) =>
      q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("itemId", itemId),
    )
    .unique();
}

const base = { actor: vActor, threadId: v.string() };

export const ensureThread = mutation({
  args: base,
  returns: v.null(),
  handler: async (ctx, { actor, threadId }) => {
    await thread(ctx, actor, threadId);
    return null;
  },
});

export const startTurn = mutation({
  args: { ...base, turnId: v.string(), startedAt: v.optional(v.number()) },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, turnId, startedAt }) => {
    const t = await thread(ctx, actor, threadId);
    await ctx.db.insert("turns", { ...owner(actor), threadId, turnId, status: "inProgress", startedAt: startedAt ?? Date.now() });
    await ctx.db.patch(t._id, { activeTurnId: turnId, lastTurnId: turnId, turnCount: t.turnCount + 1 });
    // A started turn consumes the oldest queued startTurn command, as the bridge would.
    const queued = await ctx.db
      .query("commands")
      .withIndex("by_owner_thread_status", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("status", "queued"),
      )
      .first();
    if (queued) await ctx.db.patch(queued._id, { status: "done", turnId, finishedAt: Date.now() });
    return null;
  },
});

export const endTurn = mutation({
  args: { ...base, turnId: v.string(), status: vTurnStatus },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, turnId, status }) => {
    const t = await thread(ctx, actor, threadId);
    const turn = await ctx.db
      .query("turns")
      .withIndex("by_owner_turn", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("turnId", turnId),
      )
      .unique();
    if (turn) await ctx.db.patch(turn._id, { status, completedAt: Date.now() });
    await ctx.db.patch(t._id, { activeTurnId: undefined });
    return null;
  },
});

export const upsertItem = mutation({
  args: { ...base, turnId: v.string(), itemId: v.string(), status: vItemStatus, details: vItemDetails, startedAt: v.optional(v.number()) },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, turnId, itemId, status, details, startedAt }) => {
    const existing = await ctx.db
      .query("items")
      .withIndex("by_owner_item", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId).eq("itemId", itemId),
      )
      .unique();
    const done = status !== "inProgress";
    if (existing) {
      await ctx.db.patch(existing._id, { status, details, completedAt: done ? Date.now() : undefined });
    } else {
      await ctx.db.insert("items", {
        ...owner(actor),
        threadId,
        turnId,
        itemId,
        status,
        details,
        payloadJson: "{}",
        startedAt: startedAt ?? Date.now(),
        completedAt: done ? Date.now() : undefined,
      });
    }
    return null;
  },
});

/** A message row as the component writes it: created when the item starts, text on completion. */
export const putMessage = mutation({
  args: {
    ...base,
    turnId: v.string(),
    itemId: v.string(),
    role: v.union(v.literal("user"), v.literal("assistant")),
    status: v.union(v.literal("streaming"), v.literal("completed"), v.literal("failed"), v.literal("interrupted")),
    text: v.string(),
    streamId: v.optional(v.string()),
  },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, turnId, itemId, role, status, text, streamId }) => {
    const t = await thread(ctx, actor, threadId);
    const existing = await message(ctx, actor, threadId, itemId);
    const now = Date.now();
    if (existing) {
      await ctx.db.patch(existing._id, { status, text, completedAt: status === "streaming" ? undefined : now });
      return null;
    }
    await ctx.db.insert("messages", {
      ...owner(actor),
      threadId,
      turnId,
      itemId,
      role,
      status,
      text,
      streamId,
      order: t.messageCount,
      createdAt: now,
      completedAt: status === "streaming" ? undefined : now,
    });
    await ctx.db.patch(t._id, { messageCount: t.messageCount + 1 });
    return null;
  },
});

export const startStream = mutation({
  args: { ...base, turnId: v.string(), itemId: v.string(), streamId: v.string(), channel: vStreamChannel },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, turnId, itemId, streamId, channel }) => {
    const now = Date.now();
    await ctx.db.insert("streams", {
      ...owner(actor),
      threadId,
      turnId,
      itemId,
      streamId,
      channel,
      status: "streaming",
      cursor: 0,
      retainedFrom: 0,
      deltaCount: 0,
      startedAt: now,
      lastDeltaAt: now,
    });
    return null;
  },
});

export const appendDelta = mutation({
  args: { ...base, streamId: v.string(), text: v.string() },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, streamId, text }) => {
    const s = await stream(ctx, actor, threadId, streamId);
    const cursorEnd = s.cursor + text.length;
    await ctx.db.insert("stream_deltas", { stream: s._id, cursorStart: s.cursor, cursorEnd, text });
    await ctx.db.patch(s._id, { cursor: cursorEnd, deltaCount: s.deltaCount + 1, lastDeltaAt: Date.now() });
    return null;
  },
});

export const finishStream = mutation({
  args: { ...base, streamId: v.string(), status: v.union(v.literal("finished"), v.literal("aborted")) },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, streamId, status }) => {
    const s = await stream(ctx, actor, threadId, streamId);
    await ctx.db.patch(s._id, { status, finishedAt: Date.now() });
    return null;
  },
});

/** Cleanup deleting a stream's deltas below `retainedFrom` (a client behind it is `rebased`). */
export const trimStream = mutation({
  args: { ...base, streamId: v.string(), retainedFrom: v.number() },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, streamId, retainedFrom }) => {
    const s = await stream(ctx, actor, threadId, streamId);
    const old = await ctx.db
      .query("stream_deltas")
      .withIndex("by_stream_cursor", (q) => q.eq("stream", s._id).lt("cursorStart", retainedFrom))
      .collect();
    for (const d of old) await ctx.db.delete(d._id);
    await ctx.db.patch(s._id, { retainedFrom });
    return null;
  },
});

/** Cleanup deleting a whole stream (a client reading it is `stale`). */
export const deleteStream = mutation({
  args: { ...base, streamId: v.string() },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, streamId }) => {
    const s = await stream(ctx, actor, threadId, streamId);
    const rows = await ctx.db.query("stream_deltas").withIndex("by_stream_cursor", (q) => q.eq("stream", s._id)).collect();
    for (const d of rows) await ctx.db.delete(d._id);
    await ctx.db.delete(s._id);
    return null;
  },
});

export const requestApproval = mutation({
  args: { ...base, turnId: v.string(), itemId: v.string(), kind: vApprovalKind, command: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, { actor, threadId, turnId, itemId, kind, command }) => {
    const now = Date.now();
    const serverRequest = await ctx.db.insert("server_requests", {
      ...owner(actor),
      threadId,
      sessionId: "test-session",
      requestId: 0,
      method: "item/commandExecution/requestApproval",
      turnId,
      itemId,
      status: "pending",
      paramsJson: "{}",
      createdAt: now,
    });
    await ctx.db.insert("approvals", {
      ...owner(actor),
      threadId,
      turnId,
      itemId,
      kind,
      status: "pending",
      serverRequest,
      command,
      createdAt: now,
    });
    return null;
  },
});
