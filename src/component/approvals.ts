/**
 * Approvals codex asked for (command runs, file changes, permissions), answered from any
 * device. The rows are inserted by ingest when codex sends the server request; here the
 * first answer wins and travels back to the bridge as a `respondServerRequest` command.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { paginator } from "convex-helpers/server/pagination";
import { type QueryCtx } from "./_generated/server.js";
import { mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { NOTE_MAX_BYTES, OPEN_WORK_MAX_ROWS } from "../contract/limits.js";
import { requireFits } from "./lib/args.js";
import { answerServerRequest } from "./lib/answers.js";
import { approvalResponseJson } from "./lib/approvalResponse.js";
import { vApprovalAnswer, vApprovalPage } from "./lib/returns.js";
import { ownerAndThread, requireNonEmpty, requireThread, type Owner } from "./lib/owner.js";
import { pageOf } from "./lib/pages.js";
import schema, { vv } from "./schema.js";
import { vActor, vApprovalDecision } from "./validators.js";

/** Pending approvals of a thread, oldest first. Another owner's thread reads as empty. */
export const listPending = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.array(vv.doc("approvals")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    return await ctx.db
      .query("approvals")
      .withIndex("by_owner_thread_status", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("status", "pending"),
      )
      .take(100);
  },
});

/**
 * Every approval of a thread (or of one of its turns), answered or not, newest first: who
 * decided (`decidedBy`, `decidedByDeviceId`), when and how, in pages (lib/pages.ts). Another
 * owner's thread reads as empty.
 */
export const listByThread = query({
  args: { actor: vActor, threadId: v.string(), turnId: v.optional(v.string()), paginationOpts: paginationOptsValidator },
  returns: vApprovalPage,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turnId = args.turnId === undefined ? undefined : requireNonEmpty("turnId", args.turnId);
    const approvals = paginator(ctx.db, schema).query("approvals");
    const range =
      turnId === undefined
        ? approvals.withIndex("by_owner_thread_created", (q) =>
            q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId),
          )
        : approvals.withIndex("by_owner_turn_created", (q) =>
            q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turnId),
          );
    return await pageOf(range.order("desc"), args.paginationOpts);
  },
});

/** The pending approval of (turn, item) and the request it answers; why not, as a coded error. */
async function answerableApproval(ctx: QueryCtx, owner: Owner, threadId: string, turnId: string, itemId: string) {
  const approvals = await ctx.db
    .query("approvals")
    .withIndex("by_owner_turn_item", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turnId).eq("itemId", itemId),
    )
    .order("desc")
    .take(OPEN_WORK_MAX_ROWS);
  const latest = approvals[0];
  if (!latest) throw codexError(ErrorCode.approvalNotFound, `no approval for item ${itemId}`, { threadId, turnId, itemId });
  const approval = approvals.find((a) => a.status === "pending");
  const request = approval && (await ctx.db.get("server_requests", approval.serverRequest));
  if (!approval || !request || request.status !== "pending") {
    // A pending approval whose request is gone can no longer reach codex.
    const status = approval ? "expired" : latest.status;
    throw codexError(ErrorCode.approvalAlreadyDecided, `approval for item ${itemId} is already ${status}`, { status });
  }
  return { approval, request };
}

/** First answer wins: decides the approval, answers codex's request, queues the answer for the bridge. */
export const respond = mutation({
  args: {
    actor: vActor,
    threadId: v.string(),
    turnId: v.string(),
    itemId: v.string(),
    decision: vApprovalDecision,
    reason: v.optional(v.string()),
  },
  returns: vApprovalAnswer,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turnId = requireNonEmpty("turnId", args.turnId);
    const itemId = requireNonEmpty("itemId", args.itemId);
    await requireThread(ctx, owner, threadId);
    const { approval, request } = await answerableApproval(ctx, owner, threadId, turnId, itemId);
    const now = Date.now();
    const reason = args.reason === undefined ? undefined : requireFits("reason", args.reason, NOTE_MAX_BYTES);
    await ctx.db.patch("approvals", approval._id, {
      status: args.decision,
      decidedAt: now,
      decidedBy: owner.userId,
      decidedByDeviceId: args.actor.deviceId,
      decisionReason: reason,
    });
    const responseJson = approvalResponseJson(request.method, args.decision, request.paramsJson, reason);
    const commandId = await answerServerRequest(ctx, owner, args.actor, request, responseJson, now);
    return { approvalId: approval._id, status: args.decision, commandId };
  },
});
