/**
 * Turning classified codex messages into the component's `InboundEvent`s (the shape is
 * defined once, in `src/contract/events.ts`). Stateful because a delta's cursor is its
 * position in its stream; every id is derived from positions and codex ids, never random,
 * so normalizing the same lines again yields the same ids and a re-sent batch is a no-op.
 *
 *   stream delta     `${turnId}/${itemId}/${channel}[/${index}]@${cursorStart}`
 *   item lifecycle   `${turnId}/${itemId}/item/started|item/completed`
 *   turn lifecycle   `${turnId}/turn/started|turn/completed`
 *   other, in turn   `${turnId}/${method}#${n}`  (n-th of that method in that turn, from 1)
 *   thread-level     `${threadId}/${method}@${emittedAtMs}#${n}`  (n-th with that timestamp)
 *   server request   `${turnId ?? threadId}/request/${requestId}`
 *
 * Item ids are codex's, which are the model's: some providers number items afresh in every
 * response, so one turn (several responses: before and after a tool call, or a reply
 * abandoned when a second input was folded in) can start two items under one id. Every
 * `item/started` is a new item, so the k-th one under an id already started in the turn is
 * named `${itemId}#${k}` (k ≥ 2); everything after it that names the id (deltas, completion,
 * approvals) belongs to that latest one. The first keeps codex's id, so ids are unchanged for
 * providers that never reuse them, and `backfill.ts` (which sees codex's history, where the
 * repeats are merged into one item at the first's place) agrees with the live ids.
 */
import { z } from "zod";
import {
  deltaEventId,
  type InboundEvent,
  type LifecycleEvent,
  type ServerRequestEvent,
  type StreamChannel,
  type StreamDeltaEvent,
} from "../contract/events.js";
import { EVENT_PAYLOAD_MAX_BYTES, capPayloadJson } from "../contract/limits.js";
import type { ClassifiedMessage, NotificationMessage, ServerRequestMessage } from "./classify.js";
import { describeIssue, protocolError, type ProtocolError } from "./errors.js";

/** An event for `sync.ingest`, with the thread it belongs to (ingest takes it separately). */
export type NormalizedEvent = { threadId: string; event: InboundEvent };

/** `event` is null for messages that are not thread events (responses, global notifications). */
export type NormalizeResult = { ok: true; event: NormalizedEvent | null } | { ok: false; error: ProtocolError };

export type EventNormalizerOptions = {
  /** Clock for `createdAt` when codex gave no `emittedAtMs` (server requests). Default `Date.now`. */
  now?: () => number;
};

export type EventNormalizer = {
  normalize(message: ClassifiedMessage): NormalizeResult;
  /** Where the next delta of a stream starts (0 for a stream not seen yet). */
  streamCursor(streamId: string): number;
  /**
   * Starts a stream at a known cursor, e.g. after a restart mid-turn when the backend already
   * holds the stream up to `cursor`.
   */
  seedStream(streamId: string, cursor: number): void;
};

type StreamSpec = { channel: StreamChannel; index?: "summaryIndex" | "contentIndex" };

/** The delta notifications that become stream deltas, and the channel each feeds. */
export const STREAM_DELTA_METHODS: Readonly<Record<string, StreamSpec>> = {
  "item/agentMessage/delta": { channel: "agentMessage" },
  "item/reasoning/summaryTextDelta": { channel: "reasoningSummary", index: "summaryIndex" },
  "item/reasoning/textDelta": { channel: "reasoningContent", index: "contentIndex" },
  "item/commandExecution/outputDelta": { channel: "commandOutput" },
  "item/fileChange/outputDelta": { channel: "fileChangeOutput" },
  "item/plan/delta": { channel: "plan" },
};

const zDelta = z.object({ threadId: z.string(), turnId: z.string(), itemId: z.string(), delta: z.string() });
const zIndex = z.number().int().nonnegative();
const zSummaryDelta = zDelta.extend({ summaryIndex: zIndex });
const zContentDelta = zDelta.extend({ contentIndex: zIndex });
const zItemLifecycle = z.looseObject({
  threadId: z.string(),
  turnId: z.string(),
  item: z.looseObject({ id: z.string(), type: z.string() }),
});
const zTurnLifecycle = z.looseObject({ threadId: z.string(), turn: z.looseObject({ id: z.string() }) });
const zThreadScoped = z.looseObject({
  threadId: z.string(),
  turnId: z.string().nullish(),
  itemId: z.string().nullish(),
});
const zThreadStarted = z.looseObject({ thread: z.looseObject({ id: z.string() }) });

const ITEM_LIFECYCLE = new Set(["item/started", "item/completed"]);
const TURN_LIFECYCLE = new Set(["turn/started", "turn/completed"]);

/**
 * The event id of an item's lifecycle notification. Shared with whatever else reports the same
 * fact (the backfill from `thread/read`), so the backend sees one event, not two.
 */
export function itemEventId(turnId: string, itemId: string, method: "item/started" | "item/completed"): string {
  return `${turnId}/${itemId}/${method}`;
}

/** The stored id of the n-th item codex started under `itemId` in one turn (see the header). */
export function occurrenceId(itemId: string, n: number): string {
  return n === 1 ? itemId : `${itemId}#${n}`;
}

/** The event id of a turn's lifecycle notification (see `itemEventId`). */
export function turnEventId(turnId: string, method: "turn/started" | "turn/completed"): string {
  return `${turnId}/${method}`;
}

/** Methods that always belong to a thread: without a threadId they are malformed, not global. */
function isThreadOnlyMethod(method: string): boolean {
  return method in STREAM_DELTA_METHODS || ITEM_LIFECYCLE.has(method) || TURN_LIFECYCLE.has(method);
}

export function createEventNormalizer(options: EventNormalizerOptions = {}): EventNormalizer {
  const now = options.now ?? Date.now;
  /** streamId → next cursor. */
  const cursors = new Map<string, number>();
  /** turnId → (method → occurrences so far). Dropped when the turn completes. */
  const turnCounts = new Map<string, Map<string, number>>();
  /** turnId → its streamIds, so a completed turn's cursors can be dropped too. */
  const turnStreams = new Map<string, string[]>();
  /** `${threadId}\n${method}` → last emittedAtMs and how many had it (bounded: one per key). */
  const threadCounts = new Map<string, { at: string; n: number }>();
  /** turnId → (codex item id → its latest occurrence). Dropped when the turn completes. */
  const turnItems = new Map<string, Map<string, { n: number; started: boolean }>>();

  /** The id an item is stored under (see the header); `started`: this is its item/started. */
  function itemIdOf(turnId: string, rawId: string, started = false): string {
    let items = turnItems.get(turnId);
    if (!items) turnItems.set(turnId, (items = new Map()));
    let occurrence = items.get(rawId);
    if (!occurrence) items.set(rawId, (occurrence = { n: 1, started: false }));
    else if (started && occurrence.started) occurrence.n++;
    if (started) occurrence.started = true;
    return occurrenceId(rawId, occurrence.n);
  }

  function streamDelta(message: NotificationMessage, spec: StreamSpec): NormalizeResult {
    const schema = spec.index === "summaryIndex" ? zSummaryDelta : spec.index === "contentIndex" ? zContentDelta : zDelta;
    const parsed = schema.safeParse(message.params);
    if (!parsed.success) return invalid(message.method, parsed.error.issues);
    const p = parsed.data as z.infer<typeof zDelta> & { summaryIndex?: number; contentIndex?: number };
    const itemId = itemIdOf(p.turnId, p.itemId);
    const base = `${p.turnId}/${itemId}/${spec.channel}`;
    const streamId = spec.index ? `${base}/${p[spec.index]}` : base;
    let cursorStart = cursors.get(streamId);
    if (cursorStart === undefined) {
      cursorStart = 0;
      const list = turnStreams.get(p.turnId);
      if (list) list.push(streamId);
      else turnStreams.set(p.turnId, [streamId]);
    }
    const cursorEnd = cursorStart + p.delta.length;
    cursors.set(streamId, cursorEnd);
    const event: StreamDeltaEvent = {
      type: "stream_delta",
      eventId: deltaEventId(streamId, cursorStart),
      turnId: p.turnId,
      itemId,
      streamId,
      channel: spec.channel,
      delta: p.delta,
      cursorStart,
      cursorEnd,
      createdAt: message.emittedAtMs ?? now(),
    };
    if (spec.index) event.index = p[spec.index];
    return { ok: true, event: { threadId: p.threadId, event } };
  }

  function nextTurnCount(turnId: string, method: string): number {
    let counts = turnCounts.get(turnId);
    if (!counts) turnCounts.set(turnId, (counts = new Map()));
    const n = (counts.get(method) ?? 0) + 1;
    counts.set(method, n);
    return n;
  }

  function nextThreadCount(threadId: string, method: string, at: string): number {
    const key = `${threadId}\n${method}`;
    const last = threadCounts.get(key);
    const n = last && last.at === at ? last.n + 1 : 1;
    threadCounts.set(key, { at, n });
    return n;
  }

  function forgetTurn(turnId: string) {
    turnCounts.delete(turnId);
    turnItems.delete(turnId);
    for (const streamId of turnStreams.get(turnId) ?? []) cursors.delete(streamId);
    turnStreams.delete(turnId);
  }

  function lifecycle(message: NotificationMessage): NormalizeResult {
    const { method, params } = message;
    let threadId: string;
    let turnId: string | undefined;
    let itemId: string | undefined;
    let eventId: string;
    if (ITEM_LIFECYCLE.has(method)) {
      const parsed = zItemLifecycle.safeParse(params);
      if (!parsed.success) return invalid(method, parsed.error.issues);
      ({ threadId, turnId } = parsed.data);
      itemId = itemIdOf(turnId, parsed.data.item.id, method === "item/started");
      eventId = itemEventId(turnId, itemId, method as "item/started" | "item/completed");
    } else if (TURN_LIFECYCLE.has(method)) {
      const parsed = zTurnLifecycle.safeParse(params);
      if (!parsed.success) return invalid(method, parsed.error.issues);
      threadId = parsed.data.threadId;
      turnId = parsed.data.turn.id;
      eventId = turnEventId(turnId, method as "turn/started" | "turn/completed");
    } else {
      const parsed = method === "thread/started" ? zThreadStarted.safeParse(params) : zThreadScoped.safeParse(params);
      if (!parsed.success) return invalid(method, parsed.error.issues);
      const data = parsed.data as { threadId?: string; turnId?: string | null; itemId?: string | null; thread?: { id: string } };
      threadId = data.threadId ?? data.thread!.id;
      // An empty id names nothing: the event is thread-scoped (ingest refuses blank ids).
      turnId = data.turnId || undefined;
      itemId = data.itemId || undefined;
      if (turnId !== undefined && itemId !== undefined) itemId = itemIdOf(turnId, itemId);
      eventId =
        turnId !== undefined
          ? `${turnId}/${method}#${nextTurnCount(turnId, method)}`
          : `${threadId}/${method}@${message.emittedAtMs ?? "-"}#${nextThreadCount(threadId, method, String(message.emittedAtMs ?? "-"))}`;
    }
    const event: LifecycleEvent = {
      type: "lifecycle_event",
      eventId,
      kind: method,
      // A huge item (a command's whole output) is cut here, before it can overflow a batch;
      // the full text still reaches the backend as stream deltas.
      payloadJson: capPayloadJson(JSON.stringify(params), EVENT_PAYLOAD_MAX_BYTES),
      createdAt: message.emittedAtMs ?? now(),
    };
    if (turnId !== undefined) event.turnId = turnId;
    if (itemId !== undefined) event.itemId = itemId;
    if (method === "turn/completed" && turnId !== undefined) forgetTurn(turnId);
    return { ok: true, event: { threadId, event } };
  }

  function serverRequest(message: ServerRequestMessage): NormalizeResult {
    const parsed = zThreadScoped.safeParse(message.params);
    if (!parsed.success) return invalid(message.method, parsed.error.issues);
    const { threadId } = parsed.data;
    const turnId = parsed.data.turnId || undefined;
    const rawItemId = parsed.data.itemId || undefined;
    const itemId = turnId !== undefined && rawItemId !== undefined ? itemIdOf(turnId, rawItemId) : rawItemId;
    const event: ServerRequestEvent = {
      type: "server_request",
      eventId: `${turnId ?? threadId}/request/${message.id}`,
      requestId: message.id,
      method: message.method,
      paramsJson: capPayloadJson(JSON.stringify(message.params), EVENT_PAYLOAD_MAX_BYTES),
      createdAt: now(),
    };
    if (turnId !== undefined) event.turnId = turnId;
    if (itemId !== undefined) event.itemId = itemId;
    return { ok: true, event: { threadId, event } };
  }

  return {
    normalize(message) {
      if (message.kind === "response" || message.kind === "error") return NOT_AN_EVENT;
      if (message.scope !== "thread") {
        // A threadId of the wrong type must not pass as "global": that would drop a thread event.
        const threadId = (message.params as Record<string, unknown>).threadId;
        if (threadId !== undefined && threadId !== null) {
          return invalid(message.method, [{ path: ["threadId"], message: "expected a non-empty string" }]);
        }
        if (message.kind === "notification" && isThreadOnlyMethod(message.method)) {
          return invalid(message.method, [{ path: ["threadId"], message: "required" }]);
        }
        return NOT_AN_EVENT;
      }
      if (message.kind === "server_request") return serverRequest(message);
      const spec = STREAM_DELTA_METHODS[message.method];
      return spec ? streamDelta(message, spec) : lifecycle(message);
    },
    streamCursor: (streamId) => cursors.get(streamId) ?? 0,
    seedStream(streamId, cursor) {
      const turnId = streamId.split("/")[0] ?? "";
      if (!cursors.has(streamId)) {
        const list = turnStreams.get(turnId);
        if (list) list.push(streamId);
        else turnStreams.set(turnId, [streamId]);
      }
      cursors.set(streamId, cursor);
    },
  };
}

/** Normalizes one message with a normalizer from `createEventNormalizer()`. */
export function normalizeEvent(normalizer: EventNormalizer, message: ClassifiedMessage): NormalizeResult {
  return normalizer.normalize(message);
}

const NOT_AN_EVENT: NormalizeResult = Object.freeze({ ok: true, event: null }) as NormalizeResult;

function invalid(
  method: string,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): NormalizeResult {
  const { path, message } = describeIssue(issues, "params");
  return { ok: false, error: protocolError("invalid_params", `${method}: ${message}`, { method, path }) };
}
