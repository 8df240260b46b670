/**
 * thread/tokenUsage/updated → one `token_usage` row per turn, overwritten by each update.
 * The figures are codex's `total` breakdown: the thread's running total as of that turn
 * (the difference between two turns' rows is what the later turn cost).
 */
import type { IngestBatch } from "./batch.js";

export type TokenBreakdown = {
  totalTokens: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
};

export async function recordTokenUsage(
  batch: IngestBatch,
  turnId: string,
  total: TokenBreakdown,
  modelContextWindow: number | null | undefined,
  last?: TokenBreakdown | null,
): Promise<void> {
  const fields = {
    contextTokens: last?.totalTokens,
    inputTokens: total.inputTokens,
    cachedInputTokens: total.cachedInputTokens,
    outputTokens: total.outputTokens,
    reasoningOutputTokens: total.reasoningOutputTokens,
    totalTokens: total.totalTokens,
    modelContextWindow: modelContextWindow ?? undefined,
    updatedAt: batch.now,
  };
  const existing = await batch.ctx.db
    .query("token_usage")
    .withIndex("by_owner_turn", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("turnId", turnId),
    )
    .unique();
  if (existing) await batch.ctx.db.patch("token_usage", existing._id, fields);
  else await batch.ctx.db.insert("token_usage", { ...batch.owner, threadId: batch.threadId, turnId, ...fields });
}
