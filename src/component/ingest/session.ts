/** Ingest proves the bridge is alive: upsert its session row as `active` with a fresh heartbeat. */
import type { MutationCtx } from "../_generated/server.js";
import { SESSION_HEARTBEAT_WRITE_MS } from "../limits.js";
import type { Owner } from "../lib/owner.js";

export async function touchSession(ctx: MutationCtx, owner: Owner, sessionId: string, deviceId: string | undefined, now: number) {
  const existing = await ctx.db
    .query("sessions")
    .withIndex("by_owner_session", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("sessionId", sessionId))
    .unique();
  if (!existing) {
    await ctx.db.insert("sessions", { ...owner, sessionId, deviceId, status: "active", startedAt: now, lastHeartbeatAt: now });
  } else if (existing.status !== "active" || now - existing.lastHeartbeatAt >= SESSION_HEARTBEAT_WRITE_MS) {
    await ctx.db.patch(existing._id, { status: "active", lastHeartbeatAt: now });
  }
}
