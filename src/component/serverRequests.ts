/**
 * Every request codex sent (approvals, user-input questions, dynamic tool calls...). Apps
 * answer the generic ones here with the raw codex response JSON; approvals have a typed
 * path in `approvals.respond`, and an approval answered here is decided all the same.
 *
 * Requests of no thread (`account/chatgptAuthTokens/refresh`, any method codex adds) are
 * announced by the bridge (`announce`), listed by `listPendingGlobal` for any device to answer
 * through `resolve` without a `threadId`, and settled by the bridge when it answered them
 * itself or gave codex an error after its timeout (`settle`).
 */
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { type QueryCtx } from "./_generated/server.js";
import { mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { ITEM_TEXT_MAX_BYTES, NAME_MAX_BYTES, RESPONSE_JSON_MAX_BYTES, capPayloadJson, truncateUtf8 } from "../contract/limits.js";
import { requireFits } from "./lib/args.js";
import { answerServerRequest, approvalOfRequest, requirePendingRequest } from "./lib/answers.js";
import { requireActiveSession, requireSession } from "./lib/sessionLifecycle.js";
import { approvalStatusOfResponse } from "./lib/approvalResponse.js";
import { vServerRequestAnswer } from "./lib/returns.js";
import { ownerAndThread, ownerOf, requireNonEmpty, requireThread, type Owner } from "./lib/owner.js";
import { vv } from "./schema.js";
import { vActor, vRequestId, type RequestId } from "./validators.js";

const MAX_LISTED = 100;

async function findRequest(ctx: QueryCtx, owner: Owner, sessionId: string, requestId: RequestId) {
  return await ctx.db
    .query("server_requests")
    .withIndex("by_owner_session_request", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("sessionId", sessionId).eq("requestId", requestId),
    )
    .unique();
}

function checkResponseJson(responseJson: string) {
  requireFits("responseJson", responseJson, RESPONSE_JSON_MAX_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(responseJson);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw codexError(ErrorCode.invalidArgument, "responseJson must be a JSON object", {
      field: "responseJson",
    });
  }
}

/** The owner's pending requests that belong to no thread, oldest first. */
export const listPendingGlobal = query({
  args: { actor: vActor },
  returns: v.array(vv.doc("server_requests")),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    return await ctx.db
      .query("server_requests")
      .withIndex("by_owner_thread_status", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", undefined).eq("status", "pending"),
      )
      .take(MAX_LISTED);
  },
});

/** The bridge reports a request of no thread its codex is waiting on (a repeat is a no-op). */
export const announce = mutation({
  args: {
    actor: vActor,
    sessionId: v.string(),
    requestId: vRequestId,
    method: v.string(),
    paramsJson: v.string(),
    createdAt: v.number(),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const session = await requireActiveSession(ctx, owner, requireNonEmpty("sessionId", args.sessionId));
    const method = requireNonEmpty("method", args.method);
    if (await findRequest(ctx, owner, session.sessionId, args.requestId)) return null;
    await ctx.db.insert("server_requests", {
      ...owner,
      sessionId: session.sessionId,
      requestId: args.requestId,
      method: truncateUtf8(method, NAME_MAX_BYTES).text,
      status: "pending",
      paramsJson: capPayloadJson(args.paramsJson, ITEM_TEXT_MAX_BYTES),
      createdAt: Number.isFinite(args.createdAt) ? args.createdAt : Date.now(),
    });
    return null;
  },
});

/**
 * The bridge settled a request itself: `resolved` (its own policy answered it) or `expired`
 * (nobody answered in time; codex got an error). A request already settled is left alone.
 */
export const settle = mutation({
  args: { actor: vActor, sessionId: v.string(), requestId: vRequestId, status: v.union(v.literal("resolved"), v.literal("expired")) },
  returns: v.null(),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const session = await requireSession(ctx, owner, requireNonEmpty("sessionId", args.sessionId));
    const request = await findRequest(ctx, owner, session.sessionId, args.requestId);
    if (!request || request.status === "resolved" || request.status === "expired") return null;
    await ctx.db.patch("server_requests", request._id, { status: args.status, answeredAt: request.answeredAt ?? Date.now() });
    const approval = await approvalOfRequest(ctx, owner, request._id);
    if (approval?.status === "pending") await ctx.db.patch("approvals", approval._id, { status: "expired", decidedAt: Date.now() });
    return null;
  },
});

export const listPending = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.array(vv.doc("server_requests")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    return await ctx.db
      .query("server_requests")
      .withIndex("by_owner_thread_status", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("status", "pending"),
      )
      .take(MAX_LISTED);
  },
});

export const get = query({
  args: { actor: vActor, sessionId: v.string(), requestId: vRequestId },
  returns: v.union(vv.doc("server_requests"), v.null()),
  handler: async (ctx, args) => await findRequest(ctx, ownerOf(args.actor), args.sessionId, args.requestId),
});

/** Answers a request: of its thread (`threadId`), or — without one — a request of no thread. */
export const resolve = mutation({
  args: { actor: vActor, threadId: v.optional(v.string()), sessionId: v.string(), requestId: vRequestId, responseJson: v.string() },
  returns: vServerRequestAnswer,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const threadId = args.threadId === undefined ? undefined : ownerAndThread(args.actor, args.threadId).threadId;
    const sessionId = requireNonEmpty("sessionId", args.sessionId);
    checkResponseJson(args.responseJson);
    if (threadId !== undefined) await requireThread(ctx, owner, threadId);
    const request = await findRequest(ctx, owner, sessionId, args.requestId);
    if (!request || request.threadId !== threadId) {
      throw codexError(ErrorCode.serverRequestNotFound, `server request ${String(args.requestId)} not found`, {
        requestId: args.requestId,
      });
    }
    requirePendingRequest(request);
    const now = Date.now();
    const approval = await pendingApprovalOf(ctx, owner, request);
    if (approval) {
      const status = approvalStatusOfResponse(request.method, args.responseJson);
      if (status === null) {
        throw codexError(ErrorCode.invalidArgument, `responseJson is not an answer to ${request.method}`, {
          field: "responseJson",
        });
      }
      await ctx.db.patch("approvals", approval._id, { status, decidedAt: now, decidedBy: owner.userId, decidedByDeviceId: args.actor.deviceId });
    }
    return { commandId: await answerServerRequest(ctx, owner, args.actor, request, args.responseJson, now) };
  },
});

/** The still-pending approval this request asked for, if it is an approval request. */
async function pendingApprovalOf(ctx: QueryCtx, owner: Owner, request: Doc<"server_requests">) {
  const approval = await approvalOfRequest(ctx, owner, request._id);
  return approval?.status === "pending" ? approval : null;
}
