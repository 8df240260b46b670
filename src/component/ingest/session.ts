/**
 * Ingest proves the bridge is alive: it refreshes an active session's heartbeat (and
 * creates the row of a session it has not seen). It never revives a stale or closed one:
 * what that session held was already failed and expired, and the bridge must learn so
 * (E_SESSION_NOT_ACTIVE; the batch is not applied, so a re-send under a new session loses nothing).
 */
import type { MutationCtx } from "../_generated/server.js";
import { SESSION_HEARTBEAT_WRITE_MS } from "../../contract/limits.js";
import type { Owner } from "../lib/owner.js";
import { aliveAt, findSession, requireActiveSession, staleWindow } from "../lib/sessionLifecycle.js";

export async function touchSession(ctx: MutationCtx, owner: Owner, sessionId: string, deviceId: string | undefined, now: number) {
  const existing = await findSession(ctx, owner, sessionId);
  if (!existing) {
    const alive = aliveAt({ staleAfterMs: staleWindow(undefined) }, now);
    await ctx.db.insert("sessions", { ...owner, sessionId, deviceId, status: "active", startedAt: now, staleAfterMs: staleWindow(undefined), ...alive });
    return;
  }
  const session = await requireActiveSession(ctx, owner, sessionId);
  // Written at most every few seconds (a row write re-runs its subscribers), well within the window.
  if (now - session.lastHeartbeatAt >= Math.min(SESSION_HEARTBEAT_WRITE_MS, session.staleAfterMs / 4)) await ctx.db.patch("sessions", session._id, aliveAt(session, now));
}
