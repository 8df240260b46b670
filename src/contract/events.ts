/**
 * The event contract between the machine side and Convex: what the host's outbox sends to
 * `sync.ingest` (inbound events, produced by `./protocol`'s normalizer), what ingest answers,
 * and what a device asks a turn to carry. The component validates with these; the protocol,
 * host and hooks type themselves with them. Pure: `convex/values` only.
 */
import { v, type Infer } from "convex/values";

/** What a stream carries; one stream per (turn, item, channel[, index]). */
export const vStreamChannel = v.union(
  v.literal("agentMessage"),
  v.literal("reasoningSummary"),
  v.literal("reasoningContent"),
  v.literal("commandOutput"),
  v.literal("fileChangeOutput"),
  v.literal("plan"),
);
export type StreamChannel = Infer<typeof vStreamChannel>;

/**
 * Inbound events: what the bridge's outbox sends to `sync.ingest`, produced by
 * `normalizeEvent` in `./protocol`. Ids are deterministic, so a re-sent batch is a no-op.
 */
export const vStreamDeltaEvent = v.object({
  type: v.literal("stream_delta"),
  /** `deltaEventId(streamId, cursorStart)`: a delta is identified by where it sits in its stream. */
  eventId: v.string(),
  turnId: v.string(),
  itemId: v.string(),
  streamId: v.string(),
  channel: vStreamChannel,
  delta: v.string(),
  /** UTF-16 code-unit offsets of `delta` within the stream. */
  cursorStart: v.number(),
  cursorEnd: v.number(),
  /** Reasoning channels: codex's `summaryIndex` / `contentIndex` (one stream per index). */
  index: v.optional(v.number()),
  createdAt: v.number(),
});
export type StreamDeltaEvent = Infer<typeof vStreamDeltaEvent>;

/** A delta's event id: where it sits in its stream. */
export const deltaEventId = (streamId: string, cursorStart: number) => `${streamId}@${cursorStart}`;
/** The stream a delta's event id names (`deltaEventId`'s inverse). */
export const streamOfDeltaEventId = (eventId: string) => eventId.slice(0, eventId.lastIndexOf("@"));

export const vLifecycleEvent = v.object({
  type: v.literal("lifecycle_event"),
  eventId: v.string(),
  turnId: v.optional(v.string()),
  itemId: v.optional(v.string()),
  /** The codex notification method, e.g. `turn/started`, `item/completed`. */
  kind: v.string(),
  /** The notification's params, verbatim JSON. */
  payloadJson: v.string(),
  createdAt: v.number(),
});
export type LifecycleEvent = Infer<typeof vLifecycleEvent>;

/** A JSON-RPC id; codex's server-request ids are integers starting at 0. */
export const vRequestId = v.union(v.string(), v.number());
export type RequestId = Infer<typeof vRequestId>;

export const vServerRequestEvent = v.object({
  type: v.literal("server_request"),
  eventId: v.string(),
  turnId: v.optional(v.string()),
  itemId: v.optional(v.string()),
  requestId: vRequestId,
  /** The codex server-request method, e.g. `item/commandExecution/requestApproval`. */
  method: v.string(),
  paramsJson: v.string(),
  createdAt: v.number(),
});
export type ServerRequestEvent = Infer<typeof vServerRequestEvent>;

export const vInboundEvent = v.union(vStreamDeltaEvent, vLifecycleEvent, vServerRequestEvent);
export type InboundEvent = Infer<typeof vInboundEvent>;

/** The input of a turn; text today, with room for images and mentions. */
export const vTurnInput = v.union(
  v.object({ type: v.literal("text"), text: v.string() }),
  v.object({ type: v.literal("image"), url: v.string() }),
  v.object({ type: v.literal("localImage"), path: v.string() }),
  v.object({ type: v.literal("mention"), name: v.string(), path: v.string() }),
);
export type TurnInput = Infer<typeof vTurnInput>;

export const vStreamCursor = v.object({ streamId: v.string(), cursor: v.number() });
export type StreamCursor = Infer<typeof vStreamCursor>;

/** What `sync.ingest` answers: per-event outcome counts, rejections, and each stream's stored cursor. */
export const vIngestRejection = v.object({ eventId: v.string(), code: v.string(), message: v.string() });
export type IngestRejection = Infer<typeof vIngestRejection>;
export const vIngestResult = v.object({
  accepted: v.number(),
  duplicates: v.number(),
  rejected: v.array(vIngestRejection),
  streamCursors: v.array(vStreamCursor),
});
export type IngestResult = Infer<typeof vIngestResult>;

/**
 * An event the backend refused for good (too large, invalid, a coded refusal) is not retried
 * forever: the outbox sends this small record in its place, as a `lifecycle_event` of kind
 * EVENT_DROPPED_KIND with `vEventDropped` as its payload, and everything after it flows on.
 * The component stores it (`droppedEvents.list` reads it back for a UI) and, when the lost
 * event was a turn's end, ends that turn as `failed` so nothing waits on it.
 */
export const EVENT_DROPPED_KIND = "codexLocal/eventDropped";
export const vEventDropped = v.object({
  /** The lost event's id, type and (lifecycle) method or (server request) method. */
  eventId: v.string(),
  eventType: v.union(v.literal("stream_delta"), v.literal("lifecycle_event"), v.literal("server_request")),
  kind: v.optional(v.string()),
  turnId: v.optional(v.string()),
  itemId: v.optional(v.string()),
  streamId: v.optional(v.string()),
  /** Why: the refusal's code (`E_TOO_LARGE`, …, or `E_REFUSED` when it had none) and message. */
  code: v.string(),
  message: v.string(),
  /** Size of the lost event as batches count it (`eventBytes`). */
  bytes: v.number(),
});
export type EventDropped = Infer<typeof vEventDropped>;

/**
 * codex dropped turns from a thread's history (`thread/revert`, from this host or any other
 * client of its codex): the host sends this after codex's own `thread/reverted`, saying which
 * turn codex kept last, and the backend deletes the turns it stored after that one (and
 * started before `createdAt`, so turns begun since are kept). A `lifecycle_event` of kind
 * THREAD_ROLLED_BACK_KIND with `vThreadRolledBack` as its payload.
 */
export const THREAD_ROLLED_BACK_KIND = "codexLocal/threadRolledBack";
export const vThreadRolledBack = v.object({
  /** The last turn codex kept; absent when it kept none. */
  keptTurnId: v.optional(v.string()),
  /** When that turn ended, as codex recorded it (ms): the cut, should the backend not have that turn. */
  keptUntilMs: v.optional(v.number()),
});
export type ThreadRolledBack = Infer<typeof vThreadRolledBack>;

/** A message codex reports, as the host read it: what an import's `verifying` checks the stored row against. */
export const vExpectedMessage = v.object({
  turnId: v.string(),
  itemId: v.string(),
  role: v.union(v.literal("user"), v.literal("assistant")),
  /** SHA-256 of the message's text (UTF-8), lowercase hex. */
  sha256: v.string(),
  /** UTF-8 bytes of the text: a row keeps at most ITEM_TEXT_MAX_BYTES of it. */
  bytes: v.number(),
});
export type ExpectedMessage = Infer<typeof vExpectedMessage>;

