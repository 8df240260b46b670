/**
 * `EVENT_DROPPED_KIND` records: the host's outbox could not store an event and sent this in
 * its place. The record is kept for a UI (`droppedEvents.list`); a lost turn end still ends
 * its turn (`failed`, saying why), so nothing waits on an event that will never come.
 */
import type { EventDropped } from "../validators.js";
import type { IngestBatch } from "./batch.js";
import { turnCompleted } from "./turns.js";

export async function recordDroppedEvent(batch: IngestBatch, dropped: EventDropped, at: number): Promise<void> {
  await batch.ctx.db.insert("dropped_events", {
    ...batch.owner,
    threadId: batch.threadId,
    ...(dropped.turnId ? { turnId: dropped.turnId } : {}),
    ...(dropped.itemId ? { itemId: dropped.itemId } : {}),
    dropped,
    createdAt: at,
  });
  if (dropped.kind === "turn/completed" && dropped.turnId) {
    const error = { message: `codex's end of this turn could not be stored (${dropped.code}): ${dropped.message}` };
    await turnCompleted(batch, dropped.turnId, { status: "failed", error, provisional: true }, at);
  }
}
