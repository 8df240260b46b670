/**
 * Bridge sessions: one per running codex process. The bridge opens one, heartbeats it and
 * closes it; a session that goes silent is swept to `stale` by a self-scheduling job (at
 * most one pending run at a time, so the app needs no cron), which settles what it held.
 */
import { v } from "convex/values";
import { internalMutation, mutation } from "./_generated/server.js";
import { ownerOf, requireNonEmpty } from "./lib/owner.js";
import { vSessionInfo, vSessionRetired } from "./lib/returns.js";
import {
  SESSION_STALE_AFTER_MS,
  clearSessionSweep,
  ensureSessionSweep,
  findSession,
  requireActiveSession,
  requireSession,
  retireSession,
  scheduleSessionSweep,
} from "./lib/sessionLifecycle.js";
import { vActor } from "./validators.js";

/** Sessions retired per sweep run; more are left to an immediate follow-up run. */
const SWEEP_BATCH = 50;

export const open = mutation({
  args: { actor: vActor, sessionId: v.string(), deviceId: v.optional(v.string()) },
  returns: vSessionInfo,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const sessionId = requireNonEmpty("sessionId", args.sessionId);
    const now = Date.now();
    const deviceId = args.deviceId ?? args.actor.deviceId;
    const existing = await findSession(ctx, owner, sessionId);
    if (existing) {
      // Re-opening is explicit: what the old incarnation held was already settled.
      await ctx.db.patch(existing._id, { status: "active", lastHeartbeatAt: now, deviceId: deviceId ?? existing.deviceId });
    } else {
      await ctx.db.insert("sessions", { ...owner, sessionId, deviceId, status: "active", startedAt: now, lastHeartbeatAt: now });
    }
    await ensureSessionSweep(ctx, now);
    return { sessionId, status: "active" as const, staleAfterMs: SESSION_STALE_AFTER_MS };
  },
});

export const heartbeat = mutation({
  args: { actor: vActor, sessionId: v.string() },
  returns: vSessionInfo,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    // A stale session is never silently revived: its claims were already failed.
    const session = await requireActiveSession(ctx, owner, requireNonEmpty("sessionId", args.sessionId));
    const now = Date.now();
    await ctx.db.patch(session._id, { lastHeartbeatAt: now });
    await ensureSessionSweep(ctx, now);
    return { sessionId: session.sessionId, status: "active" as const, staleAfterMs: SESSION_STALE_AFTER_MS };
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

/** Marks silent sessions stale, then schedules itself for the next one that could go stale. */
export const sweep = internalMutation({
  args: {},
  returns: v.object({ retired: v.number() }),
  handler: async (ctx) => {
    const now = Date.now();
    const silent = await ctx.db
      .query("sessions")
      .withIndex("by_status_heartbeat", (q) =>
        q.eq("status", "active").lt("lastHeartbeatAt", now - SESSION_STALE_AFTER_MS),
      )
      .take(SWEEP_BATCH);
    for (const session of silent) await retireSession(ctx, session, "stale", now);
    const oldestActive = await ctx.db
      .query("sessions")
      .withIndex("by_status_heartbeat", (q) => q.eq("status", "active"))
      .first();
    if (silent.length === SWEEP_BATCH) await scheduleSessionSweep(ctx, now);
    else if (oldestActive) {
      await scheduleSessionSweep(ctx, Math.max(now + 1_000, oldestActive.lastHeartbeatAt + SESSION_STALE_AFTER_MS + 1));
    } else await clearSessionSweep(ctx);
    return { retired: silent.length };
  },
});
