/**
 * thread/tokenUsage/updated → one `token_usage` row per turn, overwritten by each update.
 * The figures are codex's `total` breakdown: the thread's running total as of that turn.
 * `turn` is what the turn itself cost: the total minus the thread's total before the turn
 * (the previous turn's row when the turn first reports, kept as the baseline after).
 */
import type { Doc } from "../_generated/dataModel.js";
import type { TokenBreakdown } from "../validators.js";
import type { IngestBatch } from "./batch.js";

export type { TokenBreakdown };

const FIELDS = ["totalTokens", "inputTokens", "cachedInputTokens", "outputTokens", "reasoningOutputTokens"] as const;
const ZERO: TokenBreakdown = { totalTokens: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0 };
/** Turns looked back at for the thread's total before a turn that reports for the first time. */
const RECENT_TURNS = 5;

const pick = (b: TokenBreakdown): TokenBreakdown => Object.fromEntries(FIELDS.map((f) => [f, b[f]])) as TokenBreakdown;
const minus = (a: TokenBreakdown, b: TokenBreakdown) => Object.fromEntries(FIELDS.map((f) => [f, a[f] - b[f]])) as TokenBreakdown;

export async function recordTokenUsage(
  batch: IngestBatch,
  turnId: string,
  total: TokenBreakdown,
  modelContextWindow: number | null | undefined,
  last?: TokenBreakdown | null,
): Promise<void> {
  const existing = await usageOf(batch, turnId);
  const baseline = existing ? minus(pick(existing), existing.turn ?? ZERO) : await totalBefore(batch, turnId);
  // A total below the baseline (codex counted afresh, e.g. in a new process): the turn is all of it.
  const turn = FIELDS.every((f) => total[f] >= baseline[f]) ? minus(pick(total), baseline) : pick(total);
  const fields = {
    contextTokens: last?.totalTokens,
    ...pick(total),
    modelContextWindow: modelContextWindow ?? undefined,
    turn,
    updatedAt: batch.now,
  };
  if (existing) await batch.ctx.db.patch("token_usage", existing._id, fields);
  else await batch.ctx.db.insert("token_usage", { ...batch.owner, threadId: batch.threadId, turnId, ...fields });
}

async function usageOf(batch: IngestBatch, turnId: string): Promise<Doc<"token_usage"> | null> {
  return await batch.ctx.db
    .query("token_usage")
    .withIndex("by_owner_turn", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("turnId", turnId),
    )
    .unique();
}

/** The thread's running total before `turnId`: the newest other row among its latest reports. */
async function totalBefore(batch: IngestBatch, turnId: string): Promise<TokenBreakdown> {
  const recent = await batch.ctx.db
    .query("token_usage")
    .withIndex("by_owner_thread_updated", (q) => q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId))
    .order("desc")
    .take(RECENT_TURNS);
  const previous = recent.find((row) => row.turnId !== turnId);
  return previous ? pick(previous) : ZERO;
}
