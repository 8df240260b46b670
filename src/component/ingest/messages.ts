/**
 * `messages` rows: a user message is complete when codex reports it; an assistant message
 * is `streaming` from item/started and gets its text ONCE, in the transaction that
 * finishes its stream (item/completed, or the turn's end for an interrupted reply).
 */
import type { Doc } from "../_generated/dataModel.js";
import { ITEM_TEXT_MAX_BYTES, OPEN_WORK_MAX_ROWS, truncateUtf8 } from "../../contract/limits.js";
import type { MessageStatus } from "../validators.js";
import { patchThread, type IngestBatch } from "./batch.js";
import { nextThreadOrder } from "./order.js";
import { threadPreview } from "./threadMeta.js";

export async function findMessage(batch: IngestBatch, turnId: string, itemId: string): Promise<Doc<"messages"> | null> {
  return await batch.ctx.db
    .query("messages")
    .withIndex("by_owner_turn_item", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("turnId", turnId).eq("itemId", itemId),
    )
    .unique();
}

type NewMessage = { turnId: string; itemId: string; role: Doc<"messages">["role"]; status: MessageStatus; text: string; startedAtMs: number; streamId?: string };

async function insertMessage(batch: IngestBatch, m: NewMessage): Promise<void> {
  await batch.ctx.db.insert("messages", {
    ...batch.owner,
    threadId: batch.threadId,
    turnId: m.turnId,
    itemId: m.itemId,
    role: m.role,
    status: m.status,
    text: truncateUtf8(m.text, ITEM_TEXT_MAX_BYTES).text,
    streamId: m.streamId,
    order: await nextThreadOrder(batch, "messages", m.startedAtMs),
    createdAt: m.startedAtMs,
    completedAt: m.status === "streaming" ? undefined : batch.now,
  });
  patchThread(batch, { messageCount: batch.thread.messageCount + 1 });
  if (m.role === "user" && !batch.thread.preview && m.text) patchThread(batch, { preview: threadPreview(m.text) });
}

export async function upsertUserMessage(batch: IngestBatch, turnId: string, itemId: string, text: string, startedAtMs: number): Promise<void> {
  const existing = await findMessage(batch, turnId, itemId);
  if (!existing) {
    await insertMessage(batch, { turnId, itemId, role: "user", status: "completed", text, startedAtMs });
  } else if (existing.text !== text || existing.status !== "completed") {
    await batch.ctx.db.patch("messages", existing._id, { text, status: "completed", completedAt: batch.now });
  }
}

export async function startAgentMessage(batch: IngestBatch, turnId: string, itemId: string, startedAtMs: number): Promise<void> {
  if (await findMessage(batch, turnId, itemId)) return;
  await insertMessage(batch, { turnId, itemId, role: "assistant", status: "streaming", text: "", startedAtMs });
}

/** Called when a stream for an agent message is created: link it (inserting the row if item/started was missed). */
export async function linkMessageStream(batch: IngestBatch, turnId: string, itemId: string, streamId: string, at: number): Promise<void> {
  const existing = await findMessage(batch, turnId, itemId);
  if (!existing) {
    await insertMessage(batch, { turnId, itemId, role: "assistant", status: "streaming", text: "", startedAtMs: at, streamId });
  } else if (existing.streamId !== streamId) {
    await batch.ctx.db.patch("messages", existing._id, { streamId });
  }
}

/** Writes the final text and status of an assistant message. */
export async function finishAgentMessage(
  batch: IngestBatch,
  turnId: string,
  itemId: string,
  text: string,
  status: Exclude<MessageStatus, "streaming">,
  startedAtMs: number,
): Promise<void> {
  const existing = await findMessage(batch, turnId, itemId);
  const stored = truncateUtf8(text, ITEM_TEXT_MAX_BYTES).text;
  if (!existing) {
    await insertMessage(batch, { turnId, itemId, role: "assistant", status, text: stored, startedAtMs });
    return;
  }
  if (existing.status === status && existing.text === stored) return;
  await batch.ctx.db.patch("messages", existing._id, { text: stored, status, completedAt: batch.now });
}

/** A turn's messages still streaming (no text yet, so small), oldest first; bounded. */
export async function streamingMessagesOfTurn(batch: IngestBatch, turnId: string): Promise<Doc<"messages">[]> {
  return await batch.ctx.db
    .query("messages")
    .withIndex("by_owner_turn_status", (q) =>
      q
        .eq("tenantId", batch.owner.tenantId)
        .eq("userId", batch.owner.userId)
        .eq("threadId", batch.threadId)
        .eq("turnId", turnId)
        .eq("status", "streaming"),
    )
    .take(OPEN_WORK_MAX_ROWS);
}
