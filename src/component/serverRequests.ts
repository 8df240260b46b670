/**
 * Every request codex sent (approvals, user-input questions, dynamic tool calls...). Apps
 * answer the generic ones here with the raw codex response JSON; approvals have a typed
 * path in `approvals.respond`, and an approval answered here is decided all the same.
 */
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { type QueryCtx } from "./_generated/server.js";
import { mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { RESPONSE_JSON_MAX_BYTES } from "../contract/limits.js";
import { requireFits } from "./lib/args.js";
import { answerServerRequest, approvalOfRequest, requirePendingRequest } from "./lib/answers.js";
import { approvalStatusOfResponse } from "./lib/approvalResponse.js";
import { vServerRequestAnswer } from "./lib/returns.js";
import { ownerAndThread, ownerOf, requireNonEmpty, requireThread, type Owner } from "./lib/owner.js";
import { vv } from "./schema.js";
import { vActor, vRequestId, type RequestId } from "./validators.js";

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
      .take(100);
  },
});

export const get = query({
  args: { actor: vActor, sessionId: v.string(), requestId: vRequestId },
  returns: v.union(vv.doc("server_requests"), v.null()),
  handler: async (ctx, args) => await findRequest(ctx, ownerOf(args.actor), args.sessionId, args.requestId),
});

export const resolve = mutation({
  args: { actor: vActor, threadId: v.string(), sessionId: v.string(), requestId: vRequestId, responseJson: v.string() },
  returns: vServerRequestAnswer,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const sessionId = requireNonEmpty("sessionId", args.sessionId);
    checkResponseJson(args.responseJson);
    await requireThread(ctx, owner, threadId);
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
