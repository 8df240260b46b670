/**
 * Auth for a host on `ConvexHttpClient` (the bridge's `--poll` transport, or your own).
 * `ConvexClient` (WebSocket) refreshes its token itself (`setAuth` with a fetcher: before
 * expiry, and again when the deployment refuses it); `ConvexHttpClient` only sends the token
 * it was given. This caller gives the HTTP path the same guarantee: with a way to get a fresh
 * token (`refresh`; the bridge's `--token-command`) it fetches one shortly
 * before a JWT's `exp` and whenever a call is refused for auth, then sends the refused call
 * again — a refused call ran nothing, so sending it again is safe. Without one (a fixed
 * token) it says so through `onAuthLost`, and every call it cannot get through fails with
 * `E_UNAUTHENTICATED`, which the runtime's retries and the outbox wait out: nothing accepted
 * is dropped, and the process keeps running.
 */
import type { ConvexHttpClient } from "convex/browser";
import type { FunctionReference } from "convex/server";
import { codexError, ErrorCode } from "../contract/errors.js";
import type { ConvexCaller } from "./persistence/convexCaller.js";
import { isAuthRefusal } from "./retry.js";

export type RefreshingCallerOptions = {
  /** The token the bridge signed in with. */
  token: string | undefined;
  /** A fresh token (re-runs the login command); absent for a fixed token. */
  refresh?: () => Promise<string | undefined>;
  /** The deployment refused the token and no accepted one could be had (once per lapse). */
  onAuthLost?: (message: string) => void;
  /** What `onAuthLost` says when a token with no `refresh` lapses (the bridge names its flags). */
  fixedTokenLapsed?: string;
  /** A new token is in use (`before-expiry` or after a refusal). */
  onRefreshed?: (why: "before-expiry" | "refused") => void;
  /** Refresh this long before `exp` (at most half the token's lifetime). Default 10 s, as ConvexClient. */
  leewayMs?: number;
  /** A refusal right after a refresh does not run the login command again before this. Default 5 s. */
  minRefreshIntervalMs?: number;
  now?: () => number;
};

/** A JWT's `exp` and `iat` in ms (undefined when the token is not a JWT or has no `exp`). */
export function tokenTimes(token: string): { expiresAtMs: number; issuedAtMs?: number } | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown; iat?: unknown };
    if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp)) return undefined;
    return { expiresAtMs: claims.exp * 1000, ...(typeof claims.iat === "number" ? { issuedAtMs: claims.iat * 1000 } : {}) };
  } catch {
    return undefined;
  }
}

/** A `ConvexCaller` over `http` that keeps it signed in (see above). */
export function refreshingHttpCaller(http: ConvexHttpClient, options: RefreshingCallerOptions): ConvexCaller {
  const now = options.now ?? Date.now;
  const leewayMs = options.leewayMs ?? 10_000;
  const minIntervalMs = options.minRefreshIntervalMs ?? 5_000;
  let token = options.token;
  let refreshDueAt = dueAt(token);
  let refreshing: Promise<void> | undefined;
  let lastRefreshAt = Number.NEGATIVE_INFINITY;
  /** Why the last run of the login command gave no token (cleared when one does). */
  let commandFailure: string | undefined;
  let lost = false;
  if (token) http.setAuth(token);

  function dueAt(value: string | undefined): number {
    const times = value ? tokenTimes(value) : undefined;
    if (!times) return Number.POSITIVE_INFINITY;
    const lifetime = times.issuedAtMs === undefined ? Number.POSITIVE_INFINITY : times.expiresAtMs - times.issuedAtMs;
    return times.expiresAtMs - Math.min(leewayMs, lifetime / 2);
  }

  /** One login command at a time; every call waiting on it then uses its token. */
  function refresh(why: "before-expiry" | "refused"): Promise<void> {
    refreshing ??= (async () => {
      lastRefreshAt = now();
      try {
        const fresh = await options.refresh!();
        if (!fresh) throw new Error("the token command printed no token");
        commandFailure = undefined;
        if (fresh === token) {
          // The same token again (the provider's cache): not asked for again before the interval.
          refreshDueAt = Math.max(dueAt(fresh), now() + minIntervalMs);
          return;
        }
        token = fresh;
        http.setAuth(fresh);
        refreshDueAt = dueAt(fresh);
        options.onRefreshed?.(why);
      } catch (error) {
        // Keep the token we have (it may still be good): tried again shortly, or at the next refusal.
        refreshDueAt = now() + minIntervalMs;
        commandFailure = (error as Error).message ?? String(error);
      }
    })().finally(() => (refreshing = undefined));
    return refreshing;
  }

  function authLost(why: string) {
    if (lost) return;
    lost = true;
    options.onAuthLost?.(why);
  }

  async function call<T>(run: () => Promise<T>): Promise<T> {
    if (options.refresh && (refreshing ?? now() >= refreshDueAt)) await (refreshing ?? refresh("before-expiry"));
    for (let attempt = 1; ; attempt++) {
      const sent = token;
      try {
        const value = await run();
        lost = false;
        return value;
      } catch (error) {
        if (!isAuthRefusal(error)) throw error;
        if (!options.refresh) {
          authLost(options.fixedTokenLapsed ?? "the deployment refused the token, and a fixed token cannot be refreshed");
          throw refused(error, "a fixed token cannot be refreshed");
        }
        // Another call already brought a new token: use it. Else fetch one (not in a loop).
        if (token === sent && (refreshing || now() - lastRefreshAt >= minIntervalMs)) await (refreshing ?? refresh("refused"));
        if (token === sent || attempt >= 2) {
          const why =
            attempt >= 2 || token !== sent ? "again after a refresh" : commandFailure ? `and the token command failed (${commandFailure})` : "and the token command gave no other";
          authLost(`the deployment refused the token ${why}`);
          throw refused(error, "no token it accepts yet");
        }
      }
    }
  }

  return {
    query: (ref, args) => call(() => http.query(ref as FunctionReference<"query">, args)),
    mutation: (ref, args) => call(() => http.mutation(ref as FunctionReference<"mutation">, args)),
  };
}

/** Coded, so the runtime's retries and the outbox treat it as passing (nothing dropped). */
function refused(error: unknown, why: string) {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(codexError(ErrorCode.unauthenticated, `the deployment refused the token (${why}): ${message.split("\n")[0]!.slice(0, 300)}`), {
    cause: error,
  });
}
