/**
 * Answering a codex server request: first answer wins. The request row records the
 * answer, and a `respondServerRequest` command addressed to the session whose codex process
 * asked carries it to the bridge.
 */
import type { Doc, Id } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { ErrorCode, codexError } from "../../contract/errors.js";
import type { Actor } from "../validators.js";
import { enqueueCommand } from "./commands.js";
import type { Owner } from "./owner.js";

export function requirePendingRequest(request: Doc<"server_requests">) {
  if (request.status !== "pending") {
    throw codexError(
      ErrorCode.serverRequestAlreadyAnswered,
      `server request ${String(request.requestId)} is already ${request.status}`,
      { requestId: request.requestId, status: request.status },
    );
  }
}

export async function answerServerRequest(
  ctx: MutationCtx,
  owner: Owner,
  actor: Actor,
  request: Doc<"server_requests">,
  responseJson: string,
  now: number,
): Promise<Id<"commands">> {
  requirePendingRequest(request);
  await ctx.db.patch("server_requests", request._id, { status: "answered", responseJson, answeredAt: now });
  return await enqueueCommand(
    ctx,
    owner,
    {
      threadId: request.threadId,
      kind: "respondServerRequest",
      actor,
      turnId: request.turnId,
      serverRequest: request._id,
      requestId: request.requestId,
      responseJson,
      targetSessionId: request.sessionId,
    },
    now,
  );
}

/** The approval a server request asked for, if it was an approval request (one per request). */
export async function approvalOfRequest(
  ctx: QueryCtx,
  owner: Owner,
  serverRequest: Id<"server_requests">,
): Promise<Doc<"approvals"> | null> {
  return await ctx.db
    .query("approvals")
    .withIndex("by_owner_request", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("serverRequest", serverRequest),
    )
    .first();
}
