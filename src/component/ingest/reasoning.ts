/**
 * `reasoning_segments`: one row per (reasoning item, channel, index). A segment appears
 * when its part is announced or its first delta arrives, and gets its final text once,
 * from item/completed (or assembled from its stream when the turn ends early).
 */
import type { Doc } from "../_generated/dataModel.js";
import { ITEM_TEXT_MAX_BYTES, OPEN_WORK_MAX_ROWS, truncateUtf8 } from "../../contract/limits.js";
import type { MessageStatus } from "../validators.js";
import type { IngestBatch } from "./batch.js";
import { nextThreadOrder } from "./order.js";

type Channel = Doc<"reasoning_segments">["channel"];

export async function findSegment(batch: IngestBatch, turnId: string, itemId: string, channel: Channel, index: number) {
  return await batch.ctx.db
    .query("reasoning_segments")
    .withIndex("by_owner_turn_item", (q) =>
      q
        .eq("tenantId", batch.owner.tenantId)
        .eq("userId", batch.owner.userId)
        .eq("threadId", batch.threadId)
        .eq("turnId", turnId)
        .eq("itemId", itemId)
        .eq("channel", channel)
        .eq("index", index),
    )
    .unique();
}

export async function segmentsOfItem(batch: IngestBatch, turnId: string, itemId: string): Promise<Doc<"reasoning_segments">[]> {
  return await batch.ctx.db
    .query("reasoning_segments")
    .withIndex("by_owner_turn_item", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("turnId", turnId).eq("itemId", itemId),
    )
    .take(OPEN_WORK_MAX_ROWS);
}

type SegmentKey = { turnId: string; itemId: string; channel: Channel; index: number; at: number };

export async function upsertSegment(
  batch: IngestBatch,
  key: SegmentKey,
  fields: { status: MessageStatus; text?: string; streamId?: string },
): Promise<void> {
  const existing = await findSegment(batch, key.turnId, key.itemId, key.channel, key.index);
  const text = fields.text === undefined ? undefined : truncateUtf8(fields.text, ITEM_TEXT_MAX_BYTES).text;
  if (!existing) {
    await batch.ctx.db.insert("reasoning_segments", {
      ...batch.owner,
      threadId: batch.threadId,
      turnId: key.turnId,
      itemId: key.itemId,
      channel: key.channel,
      index: key.index,
      text: text ?? "",
      status: fields.status,
      streamId: fields.streamId,
      order: await nextThreadOrder(batch, "reasoning_segments", key.at),
      createdAt: key.at,
    });
    return;
  }
  const patch: Partial<Doc<"reasoning_segments">> = {};
  if (existing.status !== fields.status) patch.status = fields.status;
  if (text !== undefined && existing.text !== text) patch.text = text;
  if (fields.streamId !== undefined && existing.streamId !== fields.streamId) patch.streamId = fields.streamId;
  if (Object.keys(patch).length > 0) await batch.ctx.db.patch("reasoning_segments", existing._id, patch);
}

export async function linkReasoningStream(batch: IngestBatch, key: SegmentKey & { streamId: string }): Promise<void> {
  const existing = await findSegment(batch, key.turnId, key.itemId, key.channel, key.index);
  await upsertSegment(batch, key, { status: existing?.status ?? "streaming", streamId: key.streamId });
}
