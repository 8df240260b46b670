/**
 * The per-thread `order` of messages and reasoning segments: the row's start time in
 * microseconds, bumped past the newest existing row so equal or skewed clocks keep
 * insertion order and the order never goes backwards.
 */
import type { IngestBatch } from "./batch.js";

export async function nextThreadOrder(batch: IngestBatch, table: "messages" | "reasoning_segments", atMs: number): Promise<number> {
  const last = await batch.ctx.db
    .query(table)
    .withIndex("by_owner_thread_order", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId),
    )
    .order("desc")
    .first();
  return Math.max(atMs * 1000, last ? last.order + 1 : 0);
}
