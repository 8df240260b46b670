/**
 * The account's rate limits, from codex to the backend: read when a codex process is up
 * (`account/rateLimits/read`, which needs a signed-in account: without one codex refuses and
 * only its updates are recorded) and on every `account/rateLimits/updated`. codex's nulls
 * mean "not known in this update": they are left out, so the backend keeps what it had.
 */
import { buildAccountRateLimitsReadRequest } from "../../app-server/index.js";
import type { CodexLocalBridge } from "../../bridge/index.js";
import type { RateLimitSnapshot } from "../../protocol/generated/v2/RateLimitSnapshot.js";
import type { RateLimitWindow } from "../../protocol/generated/v2/RateLimitWindow.js";
import type { CodexPersistence, RateLimits } from "../persistence/port.js";

const window = (w: RateLimitWindow | null | undefined) =>
  w ? { usedPercent: w.usedPercent, ...(w.windowDurationMins !== null ? { windowDurationMins: w.windowDurationMins } : {}), ...(w.resetsAt !== null ? { resetsAt: w.resetsAt } : {}) } : undefined;

/** codex's snapshot as the backend stores it: absent where codex said null. */
export function rateLimitsOf(snapshot: RateLimitSnapshot): RateLimits {
  const out: RateLimits = {
    limitId: snapshot.limitId ?? undefined,
    limitName: snapshot.limitName ?? undefined,
    primary: window(snapshot.primary),
    secondary: window(snapshot.secondary),
    credits: snapshot.credits ? { hasCredits: snapshot.credits.hasCredits, unlimited: snapshot.credits.unlimited, ...(snapshot.credits.balance !== null ? { balance: snapshot.credits.balance } : {}) } : undefined,
    planType: snapshot.planType ?? undefined,
    rateLimitReachedType: snapshot.rateLimitReachedType ?? undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as RateLimits;
}

export function rateLimitRecorder(bridge: CodexLocalBridge, persistence: CodexPersistence, report: (error: unknown, context: string) => void) {
  const record = async (snapshot: RateLimitSnapshot) => {
    try {
      await persistence.recordRateLimits({ snapshot: rateLimitsOf(snapshot) });
    } catch (error) {
      report(error, "recording rate limits");
    }
  };
  return {
    /** `account/rateLimits/read`: every limit codex knows. */
    async read() {
      let response;
      try {
        response = await bridge.request(buildAccountRateLimitsReadRequest());
      } catch (error) {
        report(error, "reading rate limits (codex answers them for a signed-in account)");
        return;
      }
      const byId = Object.values(response.rateLimitsByLimitId ?? {}).filter((s): s is RateLimitSnapshot => s !== undefined);
      for (const snapshot of byId.length > 0 ? byId : [response.rateLimits]) await record(snapshot);
    },
    /** `account/rateLimits/updated`. */
    updated: (snapshot: RateLimitSnapshot) => record(snapshot),
  };
}
