/**
 * What happens when a bridge session ends (closed) or goes silent (stale): nothing it held
 * may stay in limbo. Its claimed commands fail with a reason (they are never re-run: the
 * codex process may have executed them), answers addressed to it fail (their approvals read
 * "undelivered"), the server requests its codex process asked are expired together with their
 * approvals, and the turns it was running end `interrupted`.
 */
import { internal } from "../_generated/api.js";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { ErrorCode, codexError } from "../../contract/errors.js";
import { failCommandsOfSession } from "./commands.js";
import { approvalOfRequest } from "./answers.js";
import { exhausted, settleBudget, skip, spend, type Budget } from "./budget.js";
import { endTurnsOfSession } from "../ingest/sessionTurns.js";
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

async function expireServerRequestsOfSession(
  ctx: MutationCtx,
  owner: Owner,
  sessionId: string,
  now: number,
  budget: Budget,
  retiredAt: number,
) {
  let expired = 0;
  if (exhausted(budget)) return expired;
  for await (const request of ctx.db
    .query("server_requests")
    .withIndex("by_owner_session_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("sessionId", sessionId).eq("status", "pending"),
    )) {
    // `_creationTime` has sub-millisecond digits; `retiredAt` is the retiring transaction's millisecond.
    if (Math.floor(request._creationTime) > retiredAt) {
      skip(budget, request);
    } else {
      spend(budget, request);
      await ctx.db.patch("server_requests", request._id, { status: "expired", answeredAt: now });
      const approval = await approvalOfRequest(ctx, owner, request._id);
      if (approval?.status === "pending") {
        spend(budget, approval);
        await ctx.db.patch("approvals", approval._id, { status: "expired", decidedAt: now });
      }
      expired++;
    }
    if (exhausted(budget)) break;
  }
  return expired;
}

type Retired = Pick<Doc<"sessions">, "tenantId" | "userId" | "sessionId">;
type Settled = { failedCommands: number; expiredRequests: number };
/** Why a session's holdings are settled: it was closed, went stale, or was re-opened while active. */
export type SettleReason = "stale" | "closed" | "reopened";
const because: Record<SettleReason, string> = { stale: "stopped sending heartbeats", closed: "closed", reopened: "was re-opened" };

/**
 * Ends a session and settles what it held within `budget` (one transaction's share by
 * default); the rest is settled by `sessions.settle` runs scheduled one after another, so
 * a session holding 20,000 claims never pushes a transaction past Convex's limits. The sweep
 * gives each session it retires an equal part of one budget: one session's pile cannot take
 * the others' share. Returns how many commands failed and requests expired here.
 */
export async function retireSession(
  ctx: MutationCtx,
  session: Doc<"sessions">,
  status: "stale" | "closed",
  now: number,
  budget: Budget = settleBudget(),
): Promise<Settled> {
  await ctx.db.patch("sessions", session._id, { status });
  return await settleSession(ctx, session, status, now, now, budget);
}

/**
 * One transaction's share of settling what a session held when it was retired (`retiredAt`) —
 * or re-opened while active, by a process that cannot know what its predecessor under that id
 * held (`reopened`).
 */
export async function settleSession(
  ctx: MutationCtx,
  session: Retired,
  status: SettleReason,
  retiredAt: number,
  now: number,
  budget: Budget = settleBudget(),
): Promise<Settled> {
  const owner = { tenantId: session.tenantId, userId: session.userId };
  const why = `bridge session ${session.sessionId} ${because[status]}`;
  const givenNothing = exhausted(budget);
  const failedCommands = await failCommandsOfSession(ctx, owner, session.sessionId, `${why} before finishing this command`, now, budget, retiredAt);
  const expiredRequests = await expireServerRequestsOfSession(ctx, owner, session.sessionId, now, budget, retiredAt);
  const endedTurns = await endTurnsOfSession(ctx, owner, session.sessionId, `${why} while this turn ran`, now, budget, retiredAt);
  // A share that used its whole budget may have left rows behind: the next run looks (unless
  // it was given something and settled nothing: then only the session's new rows are left).
  if (givenNothing || (exhausted(budget) && failedCommands + expiredRequests + endedTurns > 0)) {
    const { tenantId, userId, sessionId } = session;
    await ctx.scheduler.runAfter(0, internal.sessions.settle, { tenantId, userId, sessionId, status, retiredAt });
  }
  return { failedCommands, expiredRequests };
}
