/**
 * `messages` rows: a user message is complete when codex reports it; an assistant message
 * is `streaming` from item/started and gets its text ONCE, in the transaction that
 * finishes its stream (item/completed, or the turn's end for an interrupted reply). That
 * write also links the stream (`streamId`) and counts the message on its thread: a reply
 * costs no message or thread write between its start and its end (clients overlay a live
 * stream on its message by turn and item, not by `streamId`).
 */
import type { Doc } from "../_generated/dataModel.js";
import { ITEM_TEXT_MAX_BYTES, OPEN_WORK_MAX_ROWS, truncateUtf8 } from "../../contract/limits.js";
import { storedText } from "./durableText.js";
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

type NewMessage = {
  turnId: string;
  itemId: string;
  role: Doc<"messages">["role"];
  status: MessageStatus;
  text: string;
  truncated?: boolean;
  startedAtMs: number;
  streamId?: string;
};

async function insertMessage(batch: IngestBatch, m: NewMessage): Promise<void> {
  await batch.ctx.db.insert("messages", {
    ...batch.owner,
    threadId: batch.threadId,
    turnId: m.turnId,
    itemId: m.itemId,
    role: m.role,
    status: m.status,
    text: truncateUtf8(m.text, ITEM_TEXT_MAX_BYTES).text,
    ...(m.truncated ? { truncated: true } : {}),
    streamId: m.streamId,
    order: await nextThreadOrder(batch, "messages", m.startedAtMs),
    createdAt: m.startedAtMs,
    completedAt: m.status === "streaming" ? undefined : batch.now,
  });
  // A reply still streaming is counted when it ends (`finishAgentMessage`), in the thread
  // write that happens then anyway.
  if (m.status !== "streaming") countMessage(batch);
  if (m.role === "user" && !batch.thread.preview && m.text) patchThread(batch, { preview: threadPreview(m.text) });
}

function countMessage(batch: IngestBatch): void {
  patchThread(batch, { messageCount: batch.thread.messageCount + 1 });
}

export async function upsertUserMessage(batch: IngestBatch, turnId: string, itemId: string, text: string, startedAtMs: number): Promise<void> {
  const existing = await findMessage(batch, turnId, itemId);
  // Cut to the row's cap on every write, not only the first: a completion repeats the full text.
  const stored = storedText(text);
  if (!existing) {
    await insertMessage(batch, { turnId, itemId, role: "user", status: "completed", text: stored.text, truncated: stored.truncated, startedAtMs });
  } else if (existing.text !== stored.text || existing.status !== "completed" || !!existing.truncated !== stored.truncated) {
    await batch.ctx.db.patch("messages", existing._id, { text: stored.text, truncated: stored.truncated || undefined, status: "completed", completedAt: batch.now });
  }
}

export async function startAgentMessage(batch: IngestBatch, turnId: string, itemId: string, startedAtMs: number): Promise<void> {
  if (await findMessage(batch, turnId, itemId)) return;
  await insertMessage(batch, { turnId, itemId, role: "assistant", status: "streaming", text: "", startedAtMs });
}

/**
 * Called when a stream for an agent message is created: inserts the message when
 * item/started was missed. An existing message learns its `streamId` when it ends.
 */
export async function ensureStreamingMessage(batch: IngestBatch, turnId: string, itemId: string, streamId: string, at: number): Promise<void> {
  if (await findMessage(batch, turnId, itemId)) return;
  await insertMessage(batch, { turnId, itemId, role: "assistant", status: "streaming", text: "", startedAtMs: at, streamId });
}

/**
 * Writes the final text and status of an assistant message, and the stream it came from.
 * `complete` is false when the text is only the prefix of its stream that could be read
 * back. Returns whether the row keeps only a prefix (then the caller retains the stream,
 * which has the full text).
 */
export async function finishAgentMessage(
  batch: IngestBatch,
  turnId: string,
  itemId: string,
  final: { text: string; complete: boolean; streamId?: string },
  status: Exclude<MessageStatus, "streaming">,
  startedAtMs: number,
): Promise<boolean> {
  const existing = await findMessage(batch, turnId, itemId);
  const stored = storedText(final.text, final.complete);
  const { streamId } = final;
  if (!existing) {
    await insertMessage(batch, { turnId, itemId, role: "assistant", status, text: stored.text, truncated: stored.truncated, startedAtMs, streamId });
    return stored.truncated;
  }
  const linked = streamId === undefined || existing.streamId === streamId;
  if (existing.status === status && existing.text === stored.text && !!existing.truncated === stored.truncated && linked) return stored.truncated;
  await batch.ctx.db.patch("messages", existing._id, {
    text: stored.text,
    status,
    completedAt: batch.now,
    truncated: stored.truncated || undefined,
    ...(linked ? {} : { streamId }),
  });
  if (existing.status === "streaming") countMessage(batch);
  return stored.truncated;
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
