/**
 * Size and time limits of the data plane, in one pure module both sides import: the
 * component enforces them, the protocol/outbox side (`src/protocol`, `src/host`) uses them
 * to size batches and pre-truncate huge payloads before they reach a mutation.
 *
 * Sizes are UTF-8 bytes, as Convex stores and counts them (a CJK character is 3 bytes, an
 * emoji 4): Convex refuses a document over 1 MiB, arguments over 16 MiB, and a transaction
 * that writes more than 16 MiB / 16,000 documents or reads more than 16 MiB / 32,000.
 * Every stored string has a cap below, so every row is bounded below 1 MiB by construction
 * (`src/component/rowSizes.test.ts` writes each table's largest row and prints its size).
 *
 * Two rules for what is over a cap:
 * - client input (a device's or app's argument: names, reasons, keys, turn input, answers)
 *   is refused with `E_TOO_LARGE`, naming the field and its cap; nothing is written;
 * - codex output (replies, command lines and output, diffs, payloads) is cut at the cap with
 *   TRUNCATION_MARKER, and the typed row says so (`outputTruncated`, `textTruncated`, …).
 */
import { EVENT_DROPPED_KIND, type EventDropped, type InboundEvent, type LifecycleEvent } from "./events.js";

/** Convex's limit for one stored document (Convex measures it like `getDocumentSize`). */
export const DOCUMENT_MAX_BYTES = 1024 * 1024;

/** Events per `sync.ingest` call. */
export const INGEST_MAX_EVENTS = 1000;
/**
 * Bytes of every string in a batch (`batchBytes`). Ingest stores each byte about once in a
 * typed row or a delta row, so one batch writes well under Convex's 16 MiB per transaction.
 */
export const INGEST_MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** One event's payload above this is pre-truncated by the sender (`capPayloadJson`). */
export const EVENT_PAYLOAD_MAX_BYTES = 1024 * 1024;

/** A stored `stream_deltas` row (in UTF-16 code units: at most 192 KiB); longer merged text is split across rows. */
export const STREAM_DELTA_ROW_MAX_CHARS = 64 * 1024;
/** Reply / reasoning / user text, command output, diffs and plans kept on one typed row. */
export const ITEM_TEXT_MAX_BYTES = 256 * 1024;
/**
 * The raw ThreadItem JSON kept on `items.payloadJson`, and the raw payload of a projected
 * event kept in `lifecycle_events` (long strings cut first). Small on purpose: the typed rows hold the full text, and
 * every raw copy of a reply would be bytes written again.
 */
export const RAW_PAYLOAD_MAX_BYTES = 8 * 1024;
/**
 * Preview of a reply / reasoning part kept on the item (for lists: the full text has its own
 * row, so this is all of the reply the item stores), and a thread's preview.
 */
export const ITEM_TEXT_PREVIEW_BYTES = 256;

/** Ids: owner, device, thread, turn, item, session, request ids and idempotency keys (a UUID is 36). */
export const ID_MAX_BYTES = 256;
/** Ids built from several others (`streamId`, `eventId`). */
export const DERIVED_ID_MAX_BYTES = 1024;
/** Names: thread name, model, codex method, tool, server, phase, decision names. */
export const NAME_MAX_BYTES = 512;
/** File system paths (cwd, changed files, images). */
export const PATH_MAX_BYTES = 4 * 1024;
/** Free text that is not a reply: reasons, error messages, search queries, prompts. */
export const NOTE_MAX_BYTES = 16 * 1024;
/** A command line codex runs (a heredoc can make it long; its output streams separately). */
export const COMMAND_MAX_BYTES = 16 * 1024;
/** All parts of one turn's input together (text, image URLs, paths). */
export const TURN_INPUT_MAX_BYTES = 256 * 1024;
/** Parts of one turn's input. */
export const TURN_INPUT_MAX_PARTS = 32;
/** A raw answer to a codex server request. */
export const RESPONSE_JSON_MAX_BYTES = 64 * 1024;
/** Entries of a list on a typed item (command actions, receivers, decisions, reasoning parts, file changes). */
export const ITEM_LIST_MAX_ENTRIES = 64;

/**
 * Pages: `numItems` above PAGE_MAX_ITEMS returns PAGE_MAX_ITEMS rows (`isDone` false). A page
 * whose end is pinned (`endCursor`) grows with inserts; past PAGE_MAX_ROWS_READ rows or
 * PAGE_MAX_BYTES_READ bytes it answers `SplitRequired` and the hooks split it in two.
 */
export const PAGE_MAX_ITEMS = 200;
export const PAGE_MAX_ROWS_READ = 1000;
export const PAGE_MAX_BYTES_READ = 8 * 1024 * 1024;

/**
 * Rows one transaction reads of a turn's or session's open work (streaming messages and
 * segments, items in progress, pending requests, a session's claims): a turn or session
 * with more is settled over several transactions or left to the backstops (stream cleanup).
 */
export const OPEN_WORK_MAX_ROWS = 500;

/** Numbers: times are epoch milliseconds up to 2100-01-01 (so `order`, in µs, stays an exact integer). */
export const TIMESTAMP_MAX_MS = Date.UTC(2100, 0, 1);
/** Stream cursors, counts and indexes: non-negative integers JavaScript represents exactly. */
export const COUNT_MAX = Number.MAX_SAFE_INTEGER;

/**
 * Ingest refreshes the session's heartbeat at most this often: a bridge sending a batch
 * every 250 ms would otherwise rewrite its session row four times a second. Well below
 * the session staleness window (60 s).
 */
export const SESSION_HEARTBEAT_WRITE_MS = 10 * 1000;
/**
 * A thread's `updatedAt` alone (no other field of the row changed) is rewritten at most this
 * often: a running turn's item events do not each rewrite the row. Far below
 * STREAM_IDLE_ABORT_MS, which reads it to tell a moving turn from a stuck one.
 */
export const THREAD_TOUCH_MS = 10 * 1000;

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

/**
 * One chunk of an import (`imports.appendChunk`): its events' bytes (`batchBytes`), its
 * events, and the messages it lists for verification — a chunk row stays well under 1 MiB.
 * The host cuts one event's payload to IMPORT_EVENT_MAX_BYTES first.
 */
export const IMPORT_CHUNK_MAX_BYTES = 384 * 1024;
export const IMPORT_EVENT_MAX_BYTES = 320 * 1024;
export const IMPORT_CHUNK_MAX_EVENTS = 500;
export const IMPORT_CHUNK_MAX_MESSAGES = 256;
export const IMPORT_CHUNK_MAX_TURNS = 256;
/** An import still collecting that hears nothing from its host for this long fails (importing again starts over). */
export const IMPORT_COLLECT_IDLE_MS = 10 * 60 * 1000;

/** Appended to any text this package cut short. */
export const TRUNCATION_MARKER = "\n…[truncated by codex-local-component]";

/** UTF-8 bytes of `text`, as Convex counts a stored string (a lone surrogate counts as U+FFFD). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The longest prefix of `text` (from code unit `start`) with at most `maxBytes` UTF-8
 * bytes, never ending inside a surrogate pair: returns its end, in code units.
 */
export function utf8PrefixEnd(text: string, maxBytes: number, start = 0): number {
  let bytes = 0;
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const pair = isHighSurrogate(code) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1));
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return i;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (marker included), never inside a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Most text is far below its cap: 3 bytes per code unit is the most a UTF-16 unit can take.
  if (text.length * 3 <= maxBytes || utf8Bytes(text) <= maxBytes) return { text, truncated: false };
  const room = Math.max(0, maxBytes - utf8Bytes(TRUNCATION_MARKER));
  return { text: text.slice(0, utf8PrefixEnd(text, room)) + TRUNCATION_MARKER, truncated: true };
}

/** `truncateUtf8(...).text`, and `undefined` stays `undefined`. */
export function capText<T extends string | undefined>(text: T, maxBytes: number): T {
  return (text === undefined ? text : truncateUtf8(text, maxBytes).text) as T;
}

export function isTruncated(text: string | null | undefined): boolean {
  return typeof text === "string" && text.endsWith(TRUNCATION_MARKER);
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Shrinks a JSON document to at most `maxBytes` by cutting its longest strings (each
 * marked with TRUNCATION_MARKER); structure and short fields (ids, types, statuses) stay.
 * Returns the input unchanged when it already fits; a non-JSON input is cut as text.
 */
export function capPayloadJson(json: string, maxBytes: number): string {
  if (json.length * 3 <= maxBytes || utf8Bytes(json) <= maxBytes) return json;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return truncateUtf8(json, maxBytes).text;
  }
  for (let limit = Math.floor(maxBytes / 2); limit >= 64; limit = Math.floor(limit / 4)) {
    const capped = JSON.stringify(capStrings(value, limit));
    if (utf8Bytes(capped) <= maxBytes) return capped;
  }
  return JSON.stringify({ truncated: true, originalBytes: utf8Bytes(json) });
}

function capStrings(value: unknown, limit: number): unknown {
  if (typeof value === "string") return truncateUtf8(value, limit).text;
  if (Array.isArray(value)) return value.map((v) => capStrings(v, limit));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capStrings(v, limit)]));
  }
  return value;
}

/** Bytes of one event as batch caps count them; the outbox sizes batches with the same measure. */
export function eventBytes(ev: InboundEvent): number {
  const ids = utf8Bytes(ev.eventId) + utf8Bytes(ev.turnId ?? "") + utf8Bytes(ev.itemId ?? "");
  if (ev.type === "stream_delta") return ids + utf8Bytes(ev.delta) + utf8Bytes(ev.streamId);
  if (ev.type === "lifecycle_event") return ids + utf8Bytes(ev.payloadJson) + utf8Bytes(ev.kind);
  return ids + utf8Bytes(ev.paramsJson) + utf8Bytes(ev.method);
}

export function batchBytes(events: readonly InboundEvent[]): number {
  let total = 0;
  for (const ev of events) total += eventBytes(ev);
  return total;
}

/** Why-text kept on an `EVENT_DROPPED_KIND` record (ids are cut to their caps too). */
const DROPPED_MESSAGE_MAX_BYTES = 1024;

/** The record that stands in for `event` once the backend refused it for good (see `vEventDropped`). */
export function eventDroppedRecord(event: InboundEvent, why: { code: string; message: string }): LifecycleEvent {
  const id = (value: string | undefined, max: number) => (value === undefined ? undefined : truncateUtf8(value, max).text);
  const payload: EventDropped = {
    eventId: truncateUtf8(event.eventId, DERIVED_ID_MAX_BYTES - 16).text,
    eventType: event.type,
    kind: event.type === "lifecycle_event" ? id(event.kind, NAME_MAX_BYTES) : event.type === "server_request" ? id(event.method, NAME_MAX_BYTES) : undefined,
    turnId: id(event.turnId, ID_MAX_BYTES),
    itemId: id(event.itemId, ID_MAX_BYTES),
    streamId: event.type === "stream_delta" ? id(event.streamId, DERIVED_ID_MAX_BYTES) : undefined,
    code: truncateUtf8(why.code, NAME_MAX_BYTES).text,
    message: truncateUtf8(why.message, DROPPED_MESSAGE_MAX_BYTES).text,
    bytes: eventBytes(event),
  };
  return {
    type: "lifecycle_event",
    eventId: `${payload.eventId}/dropped`,
    ...(payload.turnId !== undefined && payload.turnId.trim() !== "" ? { turnId: payload.turnId } : {}),
    ...(payload.itemId !== undefined && payload.itemId.trim() !== "" ? { itemId: payload.itemId } : {}),
    kind: EVENT_DROPPED_KIND,
    payloadJson: JSON.stringify(payload),
    createdAt: Date.now(),
  };
}
