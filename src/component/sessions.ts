/**
 * Bridge sessions: one per running codex process. The bridge opens one, heartbeats it and
 * closes it; a session that goes silent is swept to `stale` by a self-scheduling job (at
 * most one pending run at a time, so the app needs no cron), which settles what it held.
 */
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./lib/functions.js";
import { settleBudget } from "./lib/budget.js";
import { ownerOf, requireNonEmpty } from "./lib/owner.js";
import { vSessionInfo, vSessionRetired } from "./lib/returns.js";
import {
  aliveAt,
  clearSessionSweep,
  ensureSessionSweep,
  findSession,
  requireActiveSession,
  requireSession,
  retireSession,
  scheduleSessionSweep,
  settleSession,
  staleWindow,
} from "./lib/sessionLifecycle.js";
import { vv } from "./schema.js";
import { vActor } from "./validators.js";

/** Sessions retired per sweep run; more are left to an immediate follow-up run. */
const SWEEP_BATCH = 50;

/**
 * Opens (or explicitly re-opens) a session. `staleAfterMs`: how long it may stay silent
 * before the sweep retires it (default `SESSION_STALE_AFTER_MS`; re-opening keeps the
 * window it had unless a new one is given). Opening is idempotent for a session that holds
 * nothing yet (a retry after a lost reply); re-opening one that holds claims, requests or
 * running turns settles them first — a new process under the id cannot run what the old one
 * took — so nothing is stranded.
 */
export const open = mutation({
  args: { actor: vActor, sessionId: v.string(), deviceId: v.optional(v.string()), staleAfterMs: v.optional(v.number()) },
  returns: vSessionInfo,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const sessionId = requireNonEmpty("sessionId", args.sessionId);
    const now = Date.now();
    const deviceId = args.deviceId ?? args.actor.deviceId;
    const existing = await findSession(ctx, owner, sessionId);
    const staleAfterMs =
      args.staleAfterMs === undefined && existing ? existing.staleAfterMs : staleWindow(args.staleAfterMs);
    const alive = aliveAt({ staleAfterMs }, now);
    if (existing) {
      // What the old incarnation held when it was retired is settled (or, for a large pile,
      // being settled by `settle` runs, which leave its new claims alone); an active one's is now.
      if (existing.status === "active") await settleSession(ctx, existing, "reopened", now, now);
      await ctx.db.patch("sessions", existing._id, { status: "active", staleAfterMs, ...alive, deviceId: deviceId ?? existing.deviceId });
    } else {
      await ctx.db.insert("sessions", { ...owner, sessionId, deviceId, status: "active", startedAt: now, staleAfterMs, ...alive });
    }
    await ensureSessionSweep(ctx, alive.staleAt);
    return { sessionId, status: "active" as const, staleAfterMs };
  },
});

export const heartbeat = mutation({
  args: { actor: vActor, sessionId: v.string() },
  returns: vSessionInfo,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    // A stale session is never silently revived: its claims were already failed.
    const session = await requireActiveSession(ctx, owner, requireNonEmpty("sessionId", args.sessionId));
    const alive = aliveAt(session, Date.now());
    await ctx.db.patch("sessions", session._id, alive);
    await ensureSessionSweep(ctx, alive.staleAt);
    return { sessionId: session.sessionId, status: "active" as const, staleAfterMs: session.staleAfterMs };
  },
});

export const close = mutation({
  args: { actor: vActor, sessionId: v.string() },
  returns: vSessionRetired,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const session = await requireSession(ctx, owner, requireNonEmpty("sessionId", args.sessionId));
    if (session.status === "closed") return { failedCommands: 0, expiredRequests: 0 };
    return await retireSession(ctx, session, "closed", Date.now());
  },
});

/** Marks sessions past their deadline stale, then schedules itself for the next deadline. */
export const sweep = internalMutation({
  args: {},
  returns: v.object({ retired: v.number() }),
  handler: async (ctx) => {
    const now = Date.now();
    const silent = await ctx.db
      .query("sessions")
      .withIndex("by_status_stale_at", (q) => q.eq("status", "active").lt("staleAt", now))
      .take(SWEEP_BATCH);
    // One transaction's budget for all of them, at most a quarter of it per session: a session
    // holding 20,000 claims gets its quarter here and the rest in its own follow-up runs, and
    // the sessions after it are settled all the same (or, once the budget is spent, in theirs).
    const total = settleBudget();
    const quarter = { rows: total.rows / 4, bytes: total.bytes / 4 };
    for (const session of silent) {
      const share = { rows: Math.min(total.rows, quarter.rows), bytes: Math.min(total.bytes, quarter.bytes) };
      const given = { ...share };
      await retireSession(ctx, session, "stale", now, share);
      total.rows -= given.rows - share.rows;
      total.bytes -= given.bytes - share.bytes;
    }
    const nextDeadline = await ctx.db
      .query("sessions")
      .withIndex("by_status_stale_at", (q) => q.eq("status", "active"))
      .first();
    if (silent.length === SWEEP_BATCH) await scheduleSessionSweep(ctx, now);
    else if (nextDeadline) await scheduleSessionSweep(ctx, Math.max(now + 250, nextDeadline.staleAt + 1));
    else await clearSessionSweep(ctx);
    return { retired: silent.length };
  },
});

/** Settles the rest of a retired session (see `retireSession`), a bounded share per run. */
export const settle = internalMutation({
  args: {
    tenantId: v.string(),
    userId: v.string(),
    sessionId: v.string(),
    status: v.union(v.literal("stale"), v.literal("closed"), v.literal("reopened")),
    retiredAt: v.number(),
  },
  returns: vSessionRetired,
  handler: async (ctx, args) => {
    const { status, retiredAt, ...session } = args;
    // A session re-opened meanwhile keeps what it claimed since: only what it held by `retiredAt` is settled.
    return await settleSession(ctx, session, status, retiredAt, Date.now());
  },
});

const MAX_LISTED_SESSIONS = 20;

/**
 * The owner's active sessions (host runtimes that opened one and were not retired), the
 * one whose deadline is furthest first. A session past `staleAt` that the sweep has not
 * retired yet is still listed: readers compare `staleAt` with their own clock.
 */
export const listActive = query({
  args: { actor: vActor },
  returns: v.array(vv.doc("sessions")),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    return await ctx.db
      .query("sessions")
      .withIndex("by_owner_status_stale_at", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("status", "active"))
      .order("desc")
      .take(MAX_LISTED_SESSIONS);
  },
});
