/**
 * The one argument check of the component, run before every function's handler (see
 * `functions.ts`): Convex's validators say "a number" and "a string"; this says which.
 * - Every number, at any depth, is finite; fields with a known meaning (cursors, indexes,
 *   times, page sizes) are also in their range. NaN, ±Infinity and 1e308 are refused.
 * - Ids (`threadId`, `turnId`, `sessionId`, …) are non-blank and within their byte cap.
 * Refusals are `E_INVALID_ARGUMENT` (or `E_TOO_LARGE` for an id over its cap) naming the
 * field by its path, e.g. `events[3].createdAt`; nothing is written.
 *
 * Free text a client sends (names, reasons, turn input, answers) is checked by the function
 * that stores it with `requireFits`; text from codex is cut where it is stored.
 */
import { ErrorCode, codexError } from "../../contract/errors.js";
import { COUNT_MAX, DERIVED_ID_MAX_BYTES, ID_MAX_BYTES, TIMESTAMP_MAX_MS, utf8Bytes } from "../../contract/limits.js";

type NumberRule = { min: number; max: number; integer: boolean };

const count: NumberRule = { min: 0, max: COUNT_MAX, integer: true };
const time: NumberRule = { min: 0, max: TIMESTAMP_MAX_MS, integer: false };
/** Any other number: finite and no larger than a count. */
const anyNumber: NumberRule = { min: -COUNT_MAX, max: COUNT_MAX, integer: false };

const numberRules: Record<string, NumberRule> = {
  cursor: count,
  cursorStart: count,
  cursorEnd: count,
  fromCursor: count,
  index: count,
  numItems: count,
  maximumRowsRead: count,
  maximumBytesRead: count,
  limit: count,
  requestId: { min: -COUNT_MAX, max: COUNT_MAX, integer: true },
  createdAt: time,
  now: time,
  staleAfterMs: count,
  ttlMs: count,
  idleMs: count,
  maxDeltaRows: count,
  maxBytes: count,
  delayMs: count,
  pageRows: { min: 1, max: 16_000, integer: true },
  seq: count,
  bytes: count,
  chunkCount: count,
};

/** Fields that name something: never blank, never longer than their cap. */
const idRules: Record<string, number> = {
  tenantId: ID_MAX_BYTES,
  userId: ID_MAX_BYTES,
  threadId: ID_MAX_BYTES,
  turnId: ID_MAX_BYTES,
  itemId: ID_MAX_BYTES,
  sessionId: ID_MAX_BYTES,
  idempotencyKey: ID_MAX_BYTES,
  requestId: ID_MAX_BYTES,
  streamId: DERIVED_ID_MAX_BYTES,
  eventId: DERIVED_ID_MAX_BYTES,
  /** An import chunk's turns. */
  turnIds: ID_MAX_BYTES,
};
/** Named, within a cap, but may be empty (an app may pass `deviceId: ""` for "no device"). */
const optionalIdRules: Record<string, number> = { deviceId: ID_MAX_BYTES };

export function checkArgs(args: unknown): void {
  walk(args, "", "");
}

function walk(value: unknown, path: string, key: string): void {
  if (typeof value === "number") checkNumber(path, key, value);
  else if (typeof value === "string") checkString(path, key, value);
  else if (Array.isArray(value)) value.forEach((element, i) => walk(element, `${path}[${i}]`, key));
  else if (value !== null && typeof value === "object" && !(value instanceof ArrayBuffer)) {
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, k);
  }
}

function checkNumber(path: string, key: string, value: number): void {
  const rule = numberRules[key] ?? anyNumber;
  const ok = Number.isFinite(value) && value >= rule.min && value <= rule.max && (!rule.integer || Number.isInteger(value));
  if (!ok) {
    const what = rule.integer ? "an integer" : "a finite number";
    throw codexError(ErrorCode.invalidArgument, `${path} must be ${what} from ${rule.min} to ${rule.max}, got ${value}`, {
      field: path,
      min: rule.min,
      max: rule.max,
    });
  }
}

function checkString(path: string, key: string, value: string): void {
  const required = idRules[key];
  const maxBytes = required ?? optionalIdRules[key];
  if (maxBytes === undefined) return;
  if (required !== undefined && value.trim() === "") {
    throw codexError(ErrorCode.invalidArgument, `${path} must be a non-empty string`, { field: path });
  }
  requireFits(path, value, maxBytes);
}

/** Client text over its cap is refused (E_TOO_LARGE, naming the field and the cap); returns the text. */
export function requireFits(field: string, value: string, maxBytes: number): string {
  // No UTF-16 unit takes more than 3 bytes: most values need no count at all.
  if (value.length * 3 <= maxBytes) return value;
  const bytes = utf8Bytes(value);
  if (bytes > maxBytes) {
    throw codexError(ErrorCode.tooLarge, `${field} is ${bytes} bytes; at most ${maxBytes} bytes are stored`, {
      field,
      maxBytes,
      bytes,
    });
  }
  return value;
}
