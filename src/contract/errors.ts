/**
 * One error style everywhere: a `ConvexError` whose data is `{ code, message, ...details }`.
 * Codes are stable strings apps can switch on; `isCodexLocalError` is the guard.
 */
import { ConvexError, type Value } from "convex/values";

export const ErrorCode = {
  /** The thread does not exist for this owner (also what another user's thread looks like). */
  threadNotFound: "E_THREAD_NOT_FOUND",
  turnNotFound: "E_TURN_NOT_FOUND",
  noActiveTurn: "E_NO_ACTIVE_TURN",
  approvalNotFound: "E_APPROVAL_NOT_FOUND",
  approvalAlreadyDecided: "E_APPROVAL_ALREADY_DECIDED",
  serverRequestNotFound: "E_SERVER_REQUEST_NOT_FOUND",
  serverRequestAlreadyAnswered: "E_SERVER_REQUEST_ALREADY_ANSWERED",
  commandNotFound: "E_COMMAND_NOT_FOUND",
  commandNotClaimable: "E_COMMAND_NOT_CLAIMABLE",
  /** `complete` on a command that is not (or no longer) claimed by the calling session. */
  commandNotClaimedBySession: "E_COMMAND_NOT_CLAIMED_BY_SESSION",
  commandNotCancellable: "E_COMMAND_NOT_CANCELLABLE",
  /** The same idempotency key was sent again with a different input. */
  idempotencyKeyReused: "E_IDEMPOTENCY_KEY_REUSED",
  sessionNotFound: "E_SESSION_NOT_FOUND",
  /** The session went stale or was closed; the bridge must `open` it again. */
  sessionNotActive: "E_SESSION_NOT_ACTIVE",
  /** No signed-in user (raised by the app-side `actorFromAuth`). */
  unauthenticated: "E_UNAUTHENTICATED",
  /** The app's `authorize` refused the call (generated host API). */
  forbidden: "E_FORBIDDEN",
  /** A number that is NaN, ±Infinity or out of its range, a blank id, a malformed value. */
  invalidArgument: "E_INVALID_ARGUMENT",
  /** A string or list over its cap (`field`, `maxBytes` or `maxEntries` say which); nothing was written. */
  tooLarge: "E_TOO_LARGE",
  batchTooLarge: "E_BATCH_TOO_LARGE",
  /** Ingest rejections (reported per event, never thrown): */
  malformedEvent: "E_MALFORMED_EVENT",
  streamGap: "E_STREAM_GAP",
  streamClosed: "E_STREAM_CLOSED",
  /** A per-device call without `actor.deviceId`. */
  deviceRequired: "E_DEVICE_REQUIRED",
  /** The thread was deleted: ingest for it is refused (the host stops writing it), it cannot be created again. */
  threadDeleted: "E_THREAD_DELETED",
  /** Ingest rejection: an event of a deleted turn (reported per event, never thrown). */
  turnDeleted: "E_TURN_DELETED",
  /** A turn codex is still running cannot be deleted (interrupt it, or wait for it to end). */
  turnInProgress: "E_TURN_IN_PROGRESS",
  /** An immediate deletion larger than one transaction holds: schedule it instead (nothing was deleted). */
  deletionTooLarge: "E_DELETION_TOO_LARGE",
  deletionNotFound: "E_DELETION_NOT_FOUND",
  /** Only a deletion that has not started can be cancelled or forced. */
  deletionNotCancellable: "E_DELETION_NOT_CANCELLABLE",
  /** A host runtime in `codex-only` mode has no backend to import into. */
  persistenceDisabled: "E_PERSISTENCE_DISABLED",
  importNotFound: "E_IMPORT_NOT_FOUND",
  /** The import is not in the state the call needs (a chunk for a sealed import, a chunk out of order, …). */
  importState: "E_IMPORT_STATE",
  /**
   * A command's failure (in its `error` text, not thrown): codex would not load the thread to
   * run it — an archived thread it would not unarchive for a new turn, a history it cannot
   * resume. The text goes on with codex's own answers.
   */
  threadNotResumable: "E_THREAD_NOT_RESUMABLE",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type CodexLocalErrorData = { code: ErrorCode; message: string; [detail: string]: Value };

export function codexError(
  code: ErrorCode,
  message: string,
  details: Record<string, Value> = {},
): ConvexError<CodexLocalErrorData> {
  return new ConvexError({ ...details, code, message });
}

/** True for errors thrown by this component, on either side of the component boundary. */
export function isCodexLocalError(
  error: unknown,
  code?: ErrorCode,
): error is ConvexError<CodexLocalErrorData> {
  if (!(error instanceof ConvexError)) return false;
  const data = error.data as Partial<CodexLocalErrorData> | undefined;
  if (!data || typeof data !== "object" || typeof data.code !== "string") return false;
  return code === undefined || data.code === code;
}

/**
 * The code a coded error carries (`data.code`), read by shape: a `ConvexError` that crossed a
 * client (or another copy of `convex/values`) is not always `instanceof ConvexError`.
 */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { data?: { code?: unknown } } | null)?.data?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * A command's `error` is text (the host writes it): one whose cause has a code starts with it,
 * `E_THREAD_NOT_RESUMABLE: …`. `commandErrorCode` reads it back (undefined for uncoded text).
 */
export const codedCommandError = (code: ErrorCode, message: string): string => `${code}: ${message}`;

export function commandErrorCode(error: string | undefined): ErrorCode | undefined {
  const code = /^(E_[A-Z_]+): /.exec(error ?? "")?.[1];
  return code !== undefined && (Object.values(ErrorCode) as string[]).includes(code) ? (code as ErrorCode) : undefined;
}
