/**
 * `stream_delta` events. Dedupe is by cursor, not by event id: a delta ending at or before
 * the stored cursor is a duplicate, a partial overlap keeps only its new tail, and a delta
 * starting past the cursor (a gap) is rejected so the sender re-sends from the cursor.
 */
import { ErrorCode } from "../../contract/errors.js";
import type { StreamDeltaEvent } from "../validators.js";
import type { IngestBatch, OpenStream } from "./batch.js";
import { linkReasoningStream } from "./reasoning.js";
import { ensureStreamingMessage } from "./messages.js";
import type { EventOutcome } from "./outcome.js";
import { appendText, draftStream, loadStream } from "./streamStore.js";
import { findTurn } from "./turns.js";

export async function applyStreamDelta(batch: IngestBatch, ev: StreamDeltaEvent): Promise<EventOutcome> {
  if (ev.cursorStart < 0 || ev.cursorEnd - ev.cursorStart !== ev.delta.length) {
    return reject(ErrorCode.malformedEvent, `delta length ${ev.delta.length} does not match cursors ${ev.cursorStart}..${ev.cursorEnd}`);
  }
  let stream = await loadStream(batch, ev.streamId);
  if (stream && (stream.fields.turnId !== ev.turnId || stream.fields.itemId !== ev.itemId || stream.fields.channel !== ev.channel)) {
    return reject(ErrorCode.malformedEvent, `stream ${ev.streamId} belongs to another turn, item or channel`);
  }
  const cursor = stream?.cursor ?? 0;
  // An empty delta carries nothing to store; treat it like one already stored.
  if (ev.cursorEnd <= cursor || ev.delta.length === 0) return { kind: "duplicate" };
  if (ev.cursorStart > cursor) {
    return reject(ErrorCode.streamGap, `stream ${ev.streamId} is at ${cursor}; delta starts at ${ev.cursorStart}`);
  }
  if (stream && stream.fields.status !== "streaming") {
    return reject(ErrorCode.streamClosed, `stream ${ev.streamId} is ${stream.fields.status}`);
  }
  if (!stream) {
    // A turn that ended takes no new stream: its end closed what it had (and dropped a reply
    // that said nothing), and nothing would close one opened now.
    const turn = await findTurn(batch, ev.turnId);
    if (turn && turn.status !== "inProgress") return reject(ErrorCode.streamClosed, `turn ${ev.turnId} is ${turn.status}`);
    stream = await createStream(batch, ev);
  }
  appendText(batch, stream, ev.delta.slice(cursor - ev.cursorStart), ev.cursorEnd);
  return { kind: "accepted" };
}

async function createStream(batch: IngestBatch, ev: StreamDeltaEvent): Promise<OpenStream> {
  const stream = await draftStream(batch, {
    turnId: ev.turnId,
    itemId: ev.itemId,
    streamId: ev.streamId,
    channel: ev.channel,
    status: "streaming",
    lastDeltaAt: batch.now,
  });
  // A reply's message exists from its first delta on (it learns the stream id when it ends);
  // a reasoning part's segment learns its stream id now, since segments meet streams by it.
  if (ev.channel === "agentMessage") await ensureStreamingMessage(batch, ev.turnId, ev.itemId, ev.streamId, ev.createdAt);
  if (ev.channel === "reasoningSummary" || ev.channel === "reasoningContent") {
    await linkReasoningStream(batch, {
      turnId: ev.turnId,
      itemId: ev.itemId,
      channel: ev.channel === "reasoningSummary" ? "summary" : "raw",
      index: ev.index ?? indexFromStreamId(ev.streamId),
      streamId: ev.streamId,
      at: ev.createdAt,
    });
  }
  return stream;
}

/**
 * Senders that do not set `index` still name one stream per reasoning part, conventionally
 * ending in the part's number (`…/reasoningSummary/1`); without one it is part 0.
 */
export function indexFromStreamId(streamId: string): number {
  const match = /[/:#](\d+)$/.exec(streamId);
  return match ? Number(match[1]) : 0;
}

function reject(code: string, message: string): EventOutcome {
  return { kind: "rejected", code, message };
}
