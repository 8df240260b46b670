/**
 * Size and time limits of the data plane, in one pure module both sides import: the
 * component enforces them, the protocol/outbox side (`src/protocol`) uses them to size
 * batches and pre-truncate huge payloads before they reach a mutation.
 *
 * Why these numbers (Convex limits: 1 MiB per document, 16 MiB of arguments per call,
 * 16 MiB / 16,000 documents written and 32,000 scanned per transaction; strings are
 * stored as UTF-8, up to 3 bytes per UTF-16 code unit):
 * - a batch is at most 2 Mi code units (≤ 6 MiB as UTF-8), so one ingest writes well
 *   under 8 MiB even if every character lands once;
 * - a stored delta row holds at most 64 Ki code units (≤ 192 KiB);
 * - typed text on an item (command output, diffs) is cut at 256 Ki code units with a
 *   marker, so an item row stays under 1 MiB; the full output stays in the stream's rows.
 *
 * The rule for oversize output: the outbox sends command output as `commandOutput`
 * stream deltas split over as many batches as it takes (each ≤ INGEST_MAX_BATCH_CHARS);
 * the final `item/completed` payload, if larger than EVENT_PAYLOAD_MAX_CHARS, is passed
 * through `capPayloadJson` by the protocol side (long strings cut, with
 * TRUNCATION_MARKER). The component truncates again whatever still exceeds its own
 * per-row limits, and flags `outputTruncated` / `changesTruncated` on the item.
 */

/** Events per `sync.ingest` call. */
import type { InboundEvent } from "./events.js";

export const INGEST_MAX_EVENTS = 1000;
/** Sum of every string in a batch (delta text, payloadJson, paramsJson, ids), in UTF-16 code units. */
export const INGEST_MAX_BATCH_CHARS = 2 * 1024 * 1024;
/** One event's payload above this should be pre-truncated by the sender (`capPayloadJson`). */
export const EVENT_PAYLOAD_MAX_CHARS = 512 * 1024;

/** A stored `stream_deltas` row; longer merged text is split across rows. */
export const STREAM_DELTA_ROW_MAX_CHARS = 64 * 1024;
/** Command output / diffs / message text kept on a typed row. */
export const ITEM_TEXT_MAX_CHARS = 256 * 1024;
/**
 * The raw ThreadItem JSON kept on `items.payloadJson` and `lifecycle_events.payloadJson`
 * (long strings cut first). Small on purpose: the typed rows hold the full text, and
 * every raw copy of a reply would be bytes written again.
 */
export const RAW_PAYLOAD_MAX_CHARS = 8 * 1024;
/**
 * Preview of a reply / reasoning kept on the item for lists; the full text has its own row
 * (message, reasoning segment), so this is all of the reply the item stores.
 */
export const ITEM_TEXT_PREVIEW_CHARS = 256;

/**
 * Ingest refreshes the session's heartbeat at most this often: a bridge sending a batch
 * every 250 ms would otherwise rewrite its session row four times a second. Well below
 * the session staleness window (60 s).
 */
export const SESSION_HEARTBEAT_WRITE_MS = 10 * 1000;

/**
 * A live stream's row is rewritten (cursor, lastDeltaAt) at most this often: the heartbeat
 * idle detection reads. Every other batch writes only its delta row.
 */
export const STREAM_HEARTBEAT_MS = 60 * 1000;
/**
 * Reading a stream's text back to finish its durable row (an interrupted reply, a reply
 * whose item/completed had no text), per transaction over all streams it finishes. Past
 * it the row keeps the prefix read (`truncated`) and the stream keeps the full text.
 */
export const STREAM_TEXT_READ_MAX_ROWS = 8000;
export const STREAM_TEXT_READ_MAX_BYTES = 4 * 1024 * 1024;
/** A stream with no delta for this long, in a turn that is not progressing, is aborted. */
export const STREAM_IDLE_ABORT_MS = 10 * 60 * 1000;
/** Finished/aborted streams keep their deltas this long (replay of a recent turn), then they are deleted. */
export const STREAM_DELTA_TTL_MS = 60 * 60 * 1000;
/** Delay between background sweeps while there is anything to sweep. */
export const SWEEP_INTERVAL_MS = 60 * 1000;
/**
 * Per sweep transaction: delta rows deleted, UTF-8 bytes read, streams examined. Checked
 * row by row, so one huge stream is deleted over several runs and never fails a sweep.
 */
export const CLEANUP_MAX_DELTA_ROWS = 1000;
export const CLEANUP_MAX_BYTES = 4 * 1024 * 1024;
export const CLEANUP_MAX_STREAMS = 100;

/** One replay read: delta rows and characters returned (then `hasMore`). */
export const REPLAY_MAX_ROWS = 200;
export const REPLAY_MAX_CHARS = 256 * 1024;
/** Finished and aborted streams a replay lists besides the live ones (each). */
export const REPLAY_RECENT_FINISHED = 10;

/** Appended to any text this package cut short. */
export const TRUNCATION_MARKER = "\n…[truncated by codex-local-component]";

/** Cuts `text` to at most `max` code units (marker included), never inside a surrogate pair. */
export function truncateText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let end = Math.max(0, max - TRUNCATION_MARKER.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return { text: text.slice(0, end) + TRUNCATION_MARKER, truncated: true };
}

export function isTruncated(text: string | null | undefined): boolean {
  return typeof text === "string" && text.endsWith(TRUNCATION_MARKER);
}

/** UTF-8 length of a string, as Convex stores and counts it. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code) && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Shrinks a JSON document to at most `maxChars` by cutting its longest strings (each
 * marked with TRUNCATION_MARKER); structure and short fields (ids, types, statuses) stay.
 * Returns the input unchanged when it already fits or is not JSON.
 */
export function capPayloadJson(json: string, maxChars: number): string {
  if (json.length <= maxChars) return json;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  for (let limit = Math.floor(maxChars / 2); limit >= 64; limit = Math.floor(limit / 4)) {
    const capped = JSON.stringify(capStrings(value, limit));
    if (capped.length <= maxChars) return capped;
  }
  return JSON.stringify({ truncated: true, originalChars: json.length });
}

function capStrings(value: unknown, limit: number): unknown {
  if (typeof value === "string") return truncateText(value, limit).text;
  if (Array.isArray(value)) return value.map((v) => capStrings(v, limit));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capStrings(v, limit)]));
  }
  return value;
}

/** Characters of one event as batch caps count them; the outbox sizes batches with the same measure. */
export function eventChars(ev: InboundEvent): number {
  if (ev.type === "stream_delta") return ev.eventId.length + ev.delta.length + ev.streamId.length;
  if (ev.type === "lifecycle_event") return ev.eventId.length + ev.payloadJson.length + ev.kind.length;
  return ev.eventId.length + ev.paramsJson.length + ev.method.length;
}

export function batchChars(events: InboundEvent[]): number {
  let total = 0;
  for (const ev of events) total += eventChars(ev);
  return total;
}
