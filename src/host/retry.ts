/**
 * Calls to the backend that must land: retried with exponential backoff (and jitter) until the
 * backend answers — with the result, or with a refusal retrying cannot change — or until the
 * caller gives up (the runtime is stopping, the session is gone).
 */
import { errorCodeOf } from "../contract/errors.js";

export type BackoffOptions = { baseDelayMs?: number; maxDelayMs?: number };

/** The pause before retry number `attempt` (from 1): doubling up to the ceiling, half of it random. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const ceiling = Math.min(options.maxDelayMs ?? 5_000, (options.baseDelayMs ?? 100) * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

/** Refused for a sign-in that lapsed: the client refreshes its token and the same call then lands. */
const REFUSED_UNTIL_SIGNED_IN = "E_UNAUTHENTICATED";

/**
 * Refused for auth: the app's `E_UNAUTHENTICATED`, or Convex's HTTP 401 (a token it could not
 * verify, or an expired one) — a `ConvexHttpClient` throws its body as the message. Calls
 * refused so ran nothing; the same call lands once the client has a token it accepts.
 */
export function isAuthRefusal(error: unknown): boolean {
  if (errorCodeOf(error) === REFUSED_UNTIL_SIGNED_IN) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /"code"\s*:\s*"(?:Unauthenticated|InvalidAuthHeader|NoAuthProvider|AuthError)"/.test(message);
}

/**
 * The backend answered with a coded refusal (a `ConvexError` of ours; not a lapsed sign-in),
 * refused the arguments, or has no such function (the app lacks a wrapper): asking again
 * changes nothing.
 */
export function isBackendRefusal(error: unknown): boolean {
  if (isAuthRefusal(error)) return false;
  if (errorCodeOf(error) !== undefined) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /ArgumentValidationError|Validator error|Could not find public function/.test(message);
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown; gaveUp: boolean };

export type RetryOptions = BackoffOptions & {
  /** Checked before every attempt and after every pause: true ends the retries (`gaveUp`). */
  giveUp: () => boolean;
  /** A transient failure; the next attempt follows after `delayMs`. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Failures that are final. Default: `isBackendRefusal`. */
  isFinal?: (error: unknown) => boolean;
};

export async function untilSettled<T>(call: () => Promise<T>, options: RetryOptions): Promise<Settled<T>> {
  const isFinal = options.isFinal ?? isBackendRefusal;
  let lastError: unknown = new Error("gave up before the first attempt");
  for (let attempt = 1; !options.giveUp(); attempt++) {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      if (isFinal(error)) return { ok: false, error, gaveUp: false };
      lastError = error;
      const delayMs = backoffDelay(attempt, options);
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
  return { ok: false, error: lastError, gaveUp: true };
}

/** A pause that does not keep the process alive by itself. */
export const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
