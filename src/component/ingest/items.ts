/**
 * item/started and item/completed: the typed `items` row, then the family's own rows
 * (messages, reasoning segments) and the item's streams, all closed in this transaction.
 */
import type { Doc } from "../_generated/dataModel.js";
import { ITEM_TEXT_MAX_BYTES, RAW_PAYLOAD_MAX_BYTES, capPayloadJson } from "../../contract/limits.js";
import type { IngestBatch, OpenStream } from "./batch.js";
import { itemDetails, itemStatus, userMessageText, withoutProjectedText, type RawItem } from "./itemDetails.js";
import type { ItemDetails } from "../validators.js";
import { itemTime } from "./payloads.js";
import { finishAgentMessage, startAgentMessage, upsertUserMessage } from "./messages.js";
import { findSegment, segmentsOfItem, upsertSegment } from "./reasoning.js";
import { finishStream, retainStream, streamText, streamsOfItem } from "./streamStore.js";

export async function findItem(batch: IngestBatch, turnId: string, itemId: string): Promise<Doc<"items"> | null> {
  return await batch.ctx.db
    .query("items")
    .withIndex("by_owner_turn_item", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("turnId", turnId).eq("itemId", itemId),
    )
    .unique();
}

export async function applyItem(
  batch: IngestBatch,
  turnId: string,
  item: RawItem,
  completed: boolean,
  atMs: number,
  /** The item's row as the caller already read it (null: none yet); read here when not given. */
  row?: Doc<"items"> | null,
): Promise<void> {
  const startedAtMs = itemTime(item.startedAtMs) ?? atMs;
  const details = itemDetails(item);
  const existing = row === undefined ? await findItem(batch, turnId, item.id) : row;
  await upsertItemRow(batch, turnId, item, details, completed, startedAtMs, existing);
  switch (item.type) {
    case "userMessage":
      await upsertUserMessage(batch, turnId, item.id, userMessageText(item), startedAtMs);
      return;
    case "agentMessage":
      if (!completed) return startAgentMessage(batch, turnId, item.id, startedAtMs);
      return completeAgentMessage(batch, turnId, item, startedAtMs);
    case "reasoning":
      if (completed) await completeReasoning(batch, turnId, item, startedAtMs);
      return;
    default:
      if (completed) await completeOutputItem(batch, turnId, item.id, details);
  }
}

/** Command output / file-change output: when the item kept only part of it, its stream keeps the whole. */
async function completeOutputItem(batch: IngestBatch, turnId: string, itemId: string, details: ItemDetails) {
  const streams = await finishItemStreams(batch, turnId, itemId);
  const cut = ("outputTruncated" in details && details.outputTruncated) || ("changesTruncated" in details && details.changesTruncated);
  if (cut) for (const s of streams) if (s.cursor > 0) retainStream(s);
}

async function upsertItemRow(
  batch: IngestBatch,
  turnId: string,
  item: RawItem,
  details: ItemDetails,
  completed: boolean,
  startedAtMs: number,
  existing: Doc<"items"> | null,
) {
  const fields = {
    status: itemStatus(item, completed),
    details,
    payloadJson: capPayloadJson(JSON.stringify(withoutProjectedText(item)), RAW_PAYLOAD_MAX_BYTES),
    // codex's own completion replaces a close its turn's end made.
    ...(completed ? { completedAt: itemTime(item.completedAtMs) ?? batch.now, provisionalEnd: undefined } : {}),
  };
  if (existing) {
    await batch.ctx.db.patch("items", existing._id, fields);
  } else {
    await batch.ctx.db.insert("items", { ...batch.owner, threadId: batch.threadId, turnId, itemId: item.id, startedAt: startedAtMs, ...fields });
  }
}

async function finishItemStreams(batch: IngestBatch, turnId: string, itemId: string) {
  const streams = await streamsOfItem(batch, turnId, itemId);
  for (const s of streams) finishStream(batch, s, "finished");
  return streams;
}

/** The final text comes from item/completed; only when it is empty do we fall back to the stored deltas. */
async function completeAgentMessage(batch: IngestBatch, turnId: string, item: RawItem, startedAtMs: number) {
  const streams = await finishItemStreams(batch, turnId, item.id);
  const stream = streams.find((s) => s.fields.channel === "agentMessage");
  let final = { text: typeof item.text === "string" ? item.text : "", complete: true };
  if (!final.text && stream) final = await streamText(batch, stream, ITEM_TEXT_MAX_BYTES);
  const truncated = await finishAgentMessage(batch, turnId, item.id, { ...final, streamId: stream?.fields.streamId }, "completed", startedAtMs);
  if (truncated && stream) retainStream(stream);
}

async function completeReasoning(batch: IngestBatch, turnId: string, item: RawItem, at: number) {
  const streams = await finishItemStreams(batch, turnId, item.id);
  const byId = new Map<string | undefined, OpenStream>(streams.map((s) => [s.fields.streamId, s]));
  const lists = { summary: item.summary, raw: item.content };
  for (const channel of ["summary", "raw"] as const) {
    const texts = Array.isArray(lists[channel]) ? (lists[channel] as unknown[]) : [];
    for (let index = 0; index < texts.length; index++) {
      const text = typeof texts[index] === "string" ? (texts[index] as string) : "";
      const truncated = await upsertSegment(batch, { turnId, itemId: item.id, channel, index, at }, { status: "completed", text });
      if (truncated) retainSegmentStream(byId, await findSegment(batch, turnId, item.id, channel, index));
    }
  }
  // Segments announced or streamed but absent from the final item keep their streamed text.
  for (const seg of await segmentsOfItem(batch, turnId, item.id)) {
    if (seg.status !== "streaming") continue;
    const stream = byId.get(seg.streamId);
    const final = stream ? await streamText(batch, stream, ITEM_TEXT_MAX_BYTES) : { text: seg.text, complete: true };
    const key = { turnId, itemId: item.id, channel: seg.channel, index: seg.index, at };
    if (await upsertSegment(batch, key, { status: "completed", ...final })) retainSegmentStream(byId, seg);
  }
}

function retainSegmentStream(byId: Map<string | undefined, OpenStream>, seg: { streamId?: string } | null) {
  const stream = seg ? byId.get(seg.streamId) : undefined;
  if (stream) retainStream(stream);
}

/** item/reasoning/summaryPartAdded: the segment exists (streaming) before its first delta. */
export async function announceReasoningPart(batch: IngestBatch, turnId: string, itemId: string, index: number, at: number) {
  if (await findSegment(batch, turnId, itemId, "summary", index)) return;
  await upsertSegment(batch, { turnId, itemId, channel: "summary", index, at }, { status: "streaming" });
}
