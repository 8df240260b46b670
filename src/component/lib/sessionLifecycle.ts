/**
 * What happens when a bridge session ends (closed) or goes silent (stale): nothing it held
 * may stay in limbo. Its claimed commands fail with a reason (they are never re-run: the
 * codex process may have executed them), answers addressed to it fail, and the server
 * requests its codex process asked are expired together with their approvals.
 */
import { internal } from "../_generated/api.js";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { ErrorCode, codexError } from "../errors.js";
import { failCommandsOfSession } from "./commands.js";
import type { Owner } from "./owner.js";

/** A session that has not sent a heartbeat for this long is stale. */
export const SESSION_STALE_AFTER_MS = 60_000;
/** Its row in the shared `sweeps` table (one pending run per key). */
const SWEEP_KEY = "sessions";

async function sweepRow(ctx: QueryCtx) {
  return await ctx.db.query("sweeps").withIndex("by_key", (q) => q.eq("key", SWEEP_KEY)).unique();
}

/** (Re)schedules the staleness sweep for `runAt`, replacing the recorded pending run. */
export async function scheduleSessionSweep(ctx: MutationCtx, runAt: number) {
  const scheduledId = await ctx.scheduler.runAt(runAt, internal.sessions.sweep, {});
  const row = await sweepRow(ctx);
  if (row) await ctx.db.patch(row._id, { scheduledId, runAt });
  else await ctx.db.insert("sweeps", { key: SWEEP_KEY, scheduledId, runAt });
}

/**
 * Call whenever a session becomes or stays active: schedules the sweep unless a run is
 * already pending (a pending run is never later than this session's deadline, and each
 * run reschedules itself for the oldest session still active).
 */
export async function ensureSessionSweep(ctx: MutationCtx, now: number) {
  const row = await sweepRow(ctx);
  if (row) {
    const scheduled = await ctx.db.system.get(row.scheduledId);
    if (scheduled && (scheduled.state.kind === "pending" || scheduled.state.kind === "inProgress")) return;
  }
  await scheduleSessionSweep(ctx, now + SESSION_STALE_AFTER_MS + 1);
}

/** No active session is left to watch. */
export async function clearSessionSweep(ctx: MutationCtx) {
  const row = await sweepRow(ctx);
  if (row) await ctx.db.delete(row._id);
}

export async function findSession(ctx: QueryCtx, owner: Owner, sessionId: string) {
  return await ctx.db
    .query("sessions")
    .withIndex("by_owner_session", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("sessionId", sessionId),
    )
    .unique();
}

export async function requireSession(ctx: QueryCtx, owner: Owner, sessionId: string) {
  const session = await findSession(ctx, owner, sessionId);
  if (!session) throw codexError(ErrorCode.sessionNotFound, `session ${sessionId} not found`, { sessionId });
  return session;
}

export async function requireActiveSession(ctx: QueryCtx, owner: Owner, sessionId: string) {
  const session = await requireSession(ctx, owner, sessionId);
  if (session.status !== "active") {
    throw codexError(ErrorCode.sessionNotActive, `session ${sessionId} is ${session.status}`, {
      sessionId,
      status: session.status,
    });
  }
  return session;
}

async function expireServerRequestsOfSession(ctx: MutationCtx, owner: Owner, sessionId: string, now: number) {
  const pending = await ctx.db
    .query("server_requests")
    .withIndex("by_owner_session_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("sessionId", sessionId).eq("status", "pending"),
    )
    .collect();
  for (const request of pending) {
    await ctx.db.patch(request._id, { status: "expired", answeredAt: now });
    if (request.itemId === undefined) continue;
    const itemId = request.itemId;
    const approvals = await ctx.db
      .query("approvals")
      .withIndex("by_owner_item", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", request.threadId).eq("itemId", itemId),
      )
      .collect();
    for (const approval of approvals) {
      if (approval.serverRequest === request._id && approval.status === "pending") {
        await ctx.db.patch(approval._id, { status: "expired", decidedAt: now });
      }
    }
  }
  return pending.length;
}

/** Ends a session and settles everything it held. Returns how many commands failed. */
export async function retireSession(
  ctx: MutationCtx,
  session: Doc<"sessions">,
  status: "stale" | "closed",
  now: number,
): Promise<{ failedCommands: number; expiredRequests: number }> {
  const owner = { tenantId: session.tenantId, userId: session.userId };
  await ctx.db.patch(session._id, { status });
  const reason =
    status === "stale"
      ? `bridge session ${session.sessionId} stopped sending heartbeats before finishing this command`
      : `bridge session ${session.sessionId} closed before finishing this command`;
  const failedCommands = await failCommandsOfSession(ctx, owner, session.sessionId, reason, now);
  const expiredRequests = await expireServerRequestsOfSession(ctx, owner, session.sessionId, now);
  return { failedCommands, expiredRequests };
}
