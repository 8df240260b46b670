/**
 * What happens when a bridge session ends (closed) or goes silent (stale): nothing it held
 * may stay in limbo. Its claimed commands fail with a reason (they are never re-run: the
 * codex process may have executed them), answers addressed to it fail, and the server
 * requests its codex process asked are expired together with their approvals.
 */
import { internal } from "../_generated/api.js";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { ErrorCode, codexError } from "../../contract/errors.js";
import { failCommandsOfSession } from "./commands.js";
import { approvalOfRequest } from "./answers.js";
import { OPEN_WORK_MAX_ROWS } from "../../contract/limits.js";
import type { Owner } from "./owner.js";

/** A session that has not sent a heartbeat for this long is stale (unless it opened with its own window). */
export const SESSION_STALE_AFTER_MS = 60_000;
/** Bounds of a per-session window: shorter would race ordinary latency, longer hides dead bridges. */
export const SESSION_STALE_AFTER_MIN_MS = 1_000;
export const SESSION_STALE_AFTER_MAX_MS = 10 * 60_000;

/** The window asked for, checked; the default when none is given. */
export function staleWindow(staleAfterMs: number | undefined): number {
  if (staleAfterMs === undefined) return SESSION_STALE_AFTER_MS;
  if (!Number.isInteger(staleAfterMs) || staleAfterMs < SESSION_STALE_AFTER_MIN_MS || staleAfterMs > SESSION_STALE_AFTER_MAX_MS) {
    throw codexError(
      ErrorCode.invalidArgument,
      `staleAfterMs must be an integer from ${SESSION_STALE_AFTER_MIN_MS} to ${SESSION_STALE_AFTER_MAX_MS}, got ${staleAfterMs}`,
      { min: SESSION_STALE_AFTER_MIN_MS, max: SESSION_STALE_AFTER_MAX_MS },
    );
  }
  return staleAfterMs;
}

/** The fields a sign of life writes: the heartbeat time and the deadline it moves. */
export function aliveAt(session: Pick<Doc<"sessions">, "staleAfterMs">, now: number) {
  return { lastHeartbeatAt: now, staleAt: now + session.staleAfterMs };
}
/** Its row in the shared `sweeps` table (one pending run per key). */
const SWEEP_KEY = "sessions";

async function sweepRow(ctx: QueryCtx) {
  return await ctx.db.query("sweeps").withIndex("by_key", (q) => q.eq("key", SWEEP_KEY)).unique();
}

/** (Re)schedules the staleness sweep for `runAt`, replacing the recorded pending run. */
export async function scheduleSessionSweep(ctx: MutationCtx, runAt: number) {
  const scheduledId = await ctx.scheduler.runAt(runAt, internal.sessions.sweep, {});
  const row = await sweepRow(ctx);
  if (row) await ctx.db.patch("sweeps", row._id, { scheduledId, runAt });
  else await ctx.db.insert("sweeps", { key: SWEEP_KEY, scheduledId, runAt });
}

/**
 * Call whenever a session becomes or stays active, with its deadline: schedules the sweep
 * unless a run is already pending no later than that (each run reschedules itself for the
 * earliest deadline still active). A later pending run is replaced: windows differ per session.
 */
export async function ensureSessionSweep(ctx: MutationCtx, staleAt: number) {
  const row = await sweepRow(ctx);
  if (row) {
    const scheduled = await ctx.db.system.get("_scheduled_functions", row.scheduledId);
    if (scheduled?.state.kind === "inProgress") return; // it reschedules itself when done
    if (scheduled?.state.kind === "pending") {
      if (row.runAt <= staleAt + 1) return;
      await ctx.scheduler.cancel(row.scheduledId);
    }
  }
  await scheduleSessionSweep(ctx, staleAt + 1);
}

/** No active session is left to watch. */
export async function clearSessionSweep(ctx: MutationCtx) {
  const row = await sweepRow(ctx);
  if (row) await ctx.db.delete("sweeps", row._id);
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

async function expireServerRequestsOfSession(ctx: MutationCtx, owner: Owner, sessionId: string, now: number, limit: number) {
  if (limit <= 0) return 0;
  const pending = await ctx.db
    .query("server_requests")
    .withIndex("by_owner_session_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("sessionId", sessionId).eq("status", "pending"),
    )
    .take(limit);
  for (const request of pending) {
    await ctx.db.patch("server_requests", request._id, { status: "expired", answeredAt: now });
    const approval = await approvalOfRequest(ctx, owner, request._id);
    if (approval?.status === "pending") await ctx.db.patch("approvals", approval._id, { status: "expired", decidedAt: now });
  }
  return pending.length;
}

/**
 * What one transaction settles of retired sessions (a claim failed, a request expired: each
 * costs a few reads and writes). A budget shared by every session a sweep retires, so one
 * session holding 20,000 claims cannot push a transaction past Convex's limits and stop the
 * sweep for everyone: what is left is settled by `sessions.settle` runs, one after another.
 */
export const SETTLE_ROWS_PER_TRANSACTION = OPEN_WORK_MAX_ROWS * 2;
export type SettleBudget = { rows: number };

/**
 * Ends a session and settles what it held, within `budget`; what does not fit is settled by
 * scheduled `sessions.settle` runs. Returns how many commands failed and requests expired here.
 */
export async function retireSession(
  ctx: MutationCtx,
  session: Doc<"sessions">,
  status: "stale" | "closed",
  now: number,
  budget: SettleBudget = { rows: SETTLE_ROWS_PER_TRANSACTION },
): Promise<{ failedCommands: number; expiredRequests: number }> {
  await ctx.db.patch("sessions", session._id, { status });
  return await settleSession(ctx, session, status, now, budget);
}

/** One transaction's share of settling a retired session; schedules the next share if any is left. */
export async function settleSession(
  ctx: MutationCtx,
  session: Pick<Doc<"sessions">, "tenantId" | "userId" | "sessionId">,
  status: "stale" | "closed",
  now: number,
  budget: SettleBudget,
): Promise<{ failedCommands: number; expiredRequests: number }> {
  const owner = { tenantId: session.tenantId, userId: session.userId };
  const reason =
    status === "stale"
      ? `bridge session ${session.sessionId} stopped sending heartbeats before finishing this command`
      : `bridge session ${session.sessionId} closed before finishing this command`;
  const share = Math.max(0, budget.rows);
  const failedCommands = await failCommandsOfSession(ctx, owner, session.sessionId, reason, now, share);
  const expiredRequests = await expireServerRequestsOfSession(ctx, owner, session.sessionId, now, share - failedCommands);
  budget.rows -= failedCommands + expiredRequests;
  // Every share that used all it was given may have left rows behind: the next run checks.
  if (failedCommands + expiredRequests >= share) {
    await ctx.scheduler.runAfter(0, internal.sessions.settle, { ...owner, sessionId: session.sessionId, status });
  }
  return { failedCommands, expiredRequests };
}
