/**
 * The shapes we project, checked with zod before anything is written: a payload that
 * does not match is rejected (E_MALFORMED_EVENT) and the rest of the batch still lands.
 * Objects are loose — codex adds fields between versions and we keep the raw JSON.
 */
import { z } from "zod";
import { ID_MAX_BYTES, TIMESTAMP_MAX_MS, utf8Bytes } from "../../contract/limits.js";

/** An id codex names a turn, item or request by: non-blank and within its cap (an id cannot be cut). */
const zId = z.string().refine((s) => s.trim() !== "" && utf8Bytes(s) <= ID_MAX_BYTES, {
  message: `must be a non-blank id of at most ${ID_MAX_BYTES} bytes`,
});
/**
 * A time codex reports: out of range (negative, past 2100) it is dropped, not stored, so
 * the event's own time is used instead: a 1e308 start would make every later order Infinity.
 */
const zTime = z
  .number()
  .nullish()
  .transform((t) => (typeof t === "number" && t >= 0 && t <= TIMESTAMP_MAX_MS ? t : undefined));
const zNum = z.number().nullish();

const zItem = z.looseObject({ type: z.string(), id: zId });

/** A raw item's own time field (`startedAtMs`, `completedAtMs`) when it is a usable time. */
export function itemTime(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= TIMESTAMP_MAX_MS ? value : undefined;
}

export const zItemNotification = z.looseObject({ item: zItem, turnId: zId.optional(), completedAtMs: zTime, startedAtMs: zTime });

const zTurnError = z.looseObject({ message: z.string(), codexErrorInfo: z.unknown().optional() });

export const zTurnNotification = z.looseObject({
  turn: z.looseObject({
    id: zId,
    status: z.enum(["inProgress", "completed", "interrupted", "failed"]),
    error: zTurnError.nullish(),
    /** Seconds. */
    startedAt: z
      .number()
      .nullish()
      .transform((t) => (typeof t === "number" && t >= 0 && t * 1000 <= TIMESTAMP_MAX_MS ? t : undefined)),
    durationMs: zNum,
  }),
});

export const zErrorNotification = z.looseObject({ error: zTurnError, turnId: zId, willRetry: z.boolean().optional() });

export const zDiffNotification = z.looseObject({ turnId: zId, diff: z.string() });

const zBreakdown = z.looseObject({
  totalTokens: z.number(),
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  outputTokens: z.number(),
  reasoningOutputTokens: z.number(),
});
export const zTokenUsageNotification = z.looseObject({
  turnId: zId,
  tokenUsage: z.looseObject({ total: zBreakdown, last: zBreakdown.nullish(), modelContextWindow: zNum }),
});

export const zTurnPlanUpdated = z.looseObject({
  turnId: zId,
  explanation: z.string().nullish(),
  plan: z.array(z.looseObject({ step: z.string(), status: z.enum(["pending", "inProgress", "completed"]) })),
});

export const zThreadStarted = z.looseObject({
  thread: z.looseObject({
    id: z.string(),
    name: z.string().nullish(),
    preview: z.string().nullish(),
    model: z.string().nullish(),
    cwd: z.string().nullish(),
    forkedFromId: z.string().nullish(),
  }),
});

export const zThreadNameUpdated = z.looseObject({ threadName: z.string().nullish() });

export const zServerRequestResolved = z.looseObject({ requestId: z.union([zId, z.number()]) });

export const zReasoningPartAdded = z.looseObject({ turnId: zId, itemId: zId, summaryIndex: z.number().int().nonnegative() });

/** codexErrorInfo is a string or a tagged object in codex; we keep it as text. */
export function errorInfoText(info: unknown): string | undefined {
  if (info === undefined || info === null) return undefined;
  return typeof info === "string" ? info : JSON.stringify(info);
}
