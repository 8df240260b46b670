/**
 * The shapes we project, checked with zod before anything is written: a payload that
 * does not match is rejected (E_MALFORMED_EVENT) and the rest of the batch still lands.
 * Objects are loose — codex adds fields between versions and we keep the raw JSON.
 */
import { z } from "zod";

const zItem = z.looseObject({ type: z.string(), id: z.string() });
const zNum = z.number().nullish();

export const zItemNotification = z.looseObject({ item: zItem, turnId: z.string().optional(), completedAtMs: zNum, startedAtMs: zNum });

const zTurnError = z.looseObject({ message: z.string(), codexErrorInfo: z.unknown().optional() });

export const zTurnNotification = z.looseObject({
  turn: z.looseObject({
    id: z.string(),
    status: z.enum(["inProgress", "completed", "interrupted", "failed"]),
    error: zTurnError.nullish(),
    startedAt: zNum,
    durationMs: zNum,
  }),
});

export const zErrorNotification = z.looseObject({ error: zTurnError, turnId: z.string(), willRetry: z.boolean().optional() });

export const zDiffNotification = z.looseObject({ turnId: z.string(), diff: z.string() });

const zBreakdown = z.looseObject({
  totalTokens: z.number(),
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  outputTokens: z.number(),
  reasoningOutputTokens: z.number(),
});
export const zTokenUsageNotification = z.looseObject({
  turnId: z.string(),
  tokenUsage: z.looseObject({ total: zBreakdown, last: zBreakdown.nullish(), modelContextWindow: zNum }),
});

export const zTurnPlanUpdated = z.looseObject({
  turnId: z.string(),
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
  }),
});

export const zThreadNameUpdated = z.looseObject({ threadName: z.string().nullish() });

export const zServerRequestResolved = z.looseObject({ requestId: z.union([z.string(), z.number()]) });

export const zReasoningPartAdded = z.looseObject({ turnId: z.string(), itemId: z.string(), summaryIndex: z.number() });

/** codexErrorInfo is a string or a tagged object in codex; we keep it as text. */
export function errorInfoText(info: unknown): string | undefined {
  if (info === undefined || info === null) return undefined;
  return typeof info === "string" ? info : JSON.stringify(info);
}
