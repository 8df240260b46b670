/**
 * The ingest outbox: codex events on their way to `sync.ingest`, in order.
 *
 * - Batched: an event leaves at the latest `flushIntervalMs` after it arrived (on a timer,
 *   never only when the next event happens to arrive), and everything queued leaves at once
 *   when a turn ends (`turn/completed`) or codex asks something (a server request).
 * - Merged: adjacent text deltas of one stream become one delta (cursorStart of the first,
 *   cursorEnd of the last, eventId `${streamId}@${cursorStart}`), so a reply streamed in
 *   300 pieces is a handful of rows.
 * - Sized: each batch stays within INGEST_MAX_EVENTS and INGEST_MAX_BATCH_BYTES (UTF-8 bytes,
 *   measured as ingest measures them); a delta too long for one batch is cut into several.
 * - Kept in order through failures: one batch is in flight at a time; a batch that failed
 *   for a passing reason (network, timeout, 5xx, a write conflict, a retired session) is
 *   retried (exponential backoff) before anything after it. Event ids are deterministic, so a
 *   batch that reached the backend before the failure is a no-op when sent again.
 * - Poison-proof: a failure that sending again cannot fix (`classifySendFailure`: a document
 *   or argument too large, too many reads or writes, a validator error, a coded refusal; or a
 *   failure with no reason given that keeps coming back) halves the batch until the one event
 *   at fault is found. That event is replaced by a small `EVENT_DROPPED_KIND` record saying
 *   why (the backend keeps it, a UI can list it), reported, and everything after it lands in
 *   order. A dropped delta drops the rest of its stream too (its item's final text still
 *   lands with item/completed).
 * - Gap-healing: on E_STREAM_GAP the stream is re-sent from the cursor the backend holds
 *   (the outbox keeps each open stream's text until its item or turn completes).
 * - A deleted thread is let go: when the backend refuses a batch because its thread was
 *   deleted (E_THREAD_DELETED), everything queued for that thread is dropped at once — no
 *   event-by-event search, no retry — and whatever is pushed for it later too.
 */
import { performance } from "node:perf_hooks";
import {
  EVENT_PAYLOAD_MAX_BYTES,
  INGEST_MAX_BATCH_BYTES,
  INGEST_MAX_EVENTS,
  capPayloadJson,
  eventBytes,
  eventDroppedRecord,
  utf8Bytes,
  utf8PrefixEnd,
} from "../contract/limits.js";
import { EVENT_DROPPED_KIND, deltaEventId, streamOfDeltaEventId, type InboundEvent, type IngestResult, type StreamDeltaEvent } from "../contract/events.js";
import { errorCodeOf } from "../contract/errors.js";
import { isAuthRefusal } from "./retry.js";

export type OutboxBatch = { threadId: string; events: InboundEvent[] };

export type SentBatchInfo = OutboxBatch & {
  /** `performance.now()` per event when its line was read (merged events: every line's time). */
  receivedAt: number[][];
  /** When the flush that sent it was due (timer fired, turn end, explicit flush). */
  dueAt: number;
  /** When the batch was handed to the persistence port. */
  sentAt: number;
  attempt: number;
};

export type IngestOutboxOptions = {
  send: (batch: OutboxBatch) => Promise<IngestResult>;
  /** Longest an event waits for company. Default 250 ms. */
  flushIntervalMs?: number;
  maxEvents?: number;
  /** UTF-8 bytes per batch (`batchBytes`). Default INGEST_MAX_BATCH_BYTES. */
  maxBytes?: number;
  /**
   * `baseDelayMs`/`maxDelayMs`: the backoff. `unexplainedAttempts`: how often a failure with
   * no reason given (a deployment's bare "Server Error") is retried as is before the batch is
   * searched for an event at fault. Default 5.
   */
  retry?: { baseDelayMs?: number; maxDelayMs?: number; unexplainedAttempts?: number };
  /** A send failed and will be retried after `delayMs`. */
  onSendError?: (error: unknown, info: { attempt: number; delayMs: number; batch: OutboxBatch }) => void;
  /** Events the backend rejected or refused for good (other than gaps the outbox heals itself). */
  onRejected?: (rejected: IngestResult["rejected"], batch: OutboxBatch) => void;
  /** Every batch as it leaves (for latency figures). */
  onBatchSent?: (info: SentBatchInfo) => void;
  /** The backend deleted this thread: its events were dropped, and later ones are too. */
  onThreadDeleted?: (threadId: string, error: unknown) => void;
  now?: () => number;
};

/** `due`: when this event must leave at the latest (its window's end, or now when urgent); `bytes`: `eventBytes(event)`. */
type Entry = { threadId: string; event: InboundEvent; receivedAt: number[]; due: number; bytes: number };
type RetainedStream = { threadId: string; base: number; text: string; template: StreamDeltaEvent };

const STREAM_GAP = "E_STREAM_GAP";
const STREAM_CLOSED = "E_STREAM_CLOSED";
const THREAD_DELETED = "E_THREAD_DELETED";

/** Coded refusals that pass: the session is renewed, the sign-in refreshed, and the same batch then lands. */
const PASSING_CODES = new Set(["E_SESSION_NOT_ACTIVE", "E_SESSION_NOT_FOUND", "E_UNAUTHENTICATED"]);
/** Convex's words for what no retry fixes: sizes, transaction limits, validation. */
const PERMANENT =
  /Value is too large|too large \(|are too large|is too large|Array length is too long|too many fields|too deeply nested|in a single function execution \(limit|ArgumentValidationError|ReturnsValidationError|Validator error|Value does not match validator/i;
/**
 * What passes: no answer (network, timeouts), an overloaded or restarting backend, write
 * conflicts, and a wrapper not deployed yet (every event would fail alike: none is dropped).
 */
const PASSING =
  /Could not find public function|fetch failed|network|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up|timed? ?out|disconnected|connection (lost|closed)|OptimisticConcurrency|conflict|overloaded|Too Many Requests|\b429\b|\b5\d\d\b|Service Unavailable|Bad Gateway/i;

/**
 * What sending the same batch again would do: `transient` failures pass (retried as is,
 * forever: a backend down for an hour loses nothing), `permanent` ones never do (the batch
 * is searched for the event at fault), `unexplained` ones (a deployment hides an uncaught
 * error's message behind "Server Error") are retried a few times, then treated as permanent.
 */
export function classifySendFailure(error: unknown): "transient" | "permanent" | "unexplained" {
  // A token refused (over HTTP, a 401): every event would fail alike until the client signs in again.
  if (isAuthRefusal(error)) return "transient";
  const code = errorCodeOf(error);
  if (code !== undefined) return PASSING_CODES.has(code) ? "transient" : "permanent";
  const message = error instanceof Error ? error.message : String(error);
  if (PERMANENT.test(message)) return "permanent";
  if (PASSING.test(message)) return "transient";
  return "unexplained";
}

export class IngestOutbox {
  private readonly queue: Entry[] = [];
  private readonly retained = new Map<string, RetainedStream>();
  private readonly interval: number;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  /** Merged deltas stop growing here, leaving room in a batch for the events around them. */
  private readonly maxDeltaBytes: number;
  /** Streams one of whose deltas was dropped: their later deltas could only leave gaps. */
  private readonly poisoned = new Set<string>();
  /** Threads the backend deleted: nothing is queued for them any more. */
  private readonly deletedThreads = new Set<string>();
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pumping = false;
  private closed = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: IngestOutboxOptions) {
    this.interval = options.flushIntervalMs ?? 250;
    this.maxEvents = options.maxEvents ?? INGEST_MAX_EVENTS;
    this.maxBytes = options.maxBytes ?? INGEST_MAX_BATCH_BYTES;
    this.maxDeltaBytes = Math.max(4, Math.floor(this.maxBytes / 4));
    this.now = options.now ?? (() => performance.now());
  }

  /** Events not yet acknowledged by the backend. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues one event. `receivedAt`: when its stdout line was read (default now). */
  push(threadId: string, event: InboundEvent, receivedAt = this.now()): void {
    if (this.closed) throw new Error("the outbox is closed");
    if (this.deletedThreads.has(threadId)) return;
    const now = this.now();
    const urgent =
      event.type === "server_request" || (event.type === "lifecycle_event" && event.kind === "turn/completed");
    const due = urgent ? now : now + this.interval;
    if (event.type === "stream_delta") {
      if (this.poisoned.has(event.streamId)) return;
      this.retain(threadId, event);
      for (const piece of this.cut(event)) this.enqueueDelta(threadId, piece, receivedAt, due);
    } else {
      this.queue.push(entry(threadId, this.fit(event), [receivedAt], due));
    }
    // A turn end or a question for a person takes everything before it along, at once.
    if (urgent) this.makeDue(now);
    this.arm();
  }

  /** Sends everything queued now and resolves once the backend has acknowledged it all. */
  flush(): Promise<void> {
    this.makeDue(this.now());
    this.arm();
    if (this.queue.length === 0 && !this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Flushes, then refuses new events. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.timer);
  }

  /** Drops everything queued (a runtime shutting down without a backend). */
  discard(): void {
    this.queue.length = 0;
    this.closed = true;
    clearTimeout(this.timer);
    this.settleWaiters();
  }

  private enqueueDelta(threadId: string, delta: StreamDeltaEvent, receivedAt: number, due: number) {
    const last = this.queue.at(-1);
    const prev = last?.event;
    if (
      last &&
      prev?.type === "stream_delta" &&
      last.threadId === threadId &&
      prev.streamId === delta.streamId &&
      prev.cursorEnd === delta.cursorStart &&
      last.bytes + utf8Bytes(delta.delta) <= this.maxDeltaBytes &&
      !this.inFlight.has(last)
    ) {
      last.event = { ...prev, delta: prev.delta + delta.delta, cursorEnd: delta.cursorEnd, eventId: deltaEventId(prev.streamId, prev.cursorStart) };
      // Counted piece by piece: re-measuring the merged text would cost its length per delta.
      last.bytes += utf8Bytes(delta.delta);
      last.receivedAt.push(receivedAt);
      return;
    }
    this.queue.push(entry(threadId, delta, [receivedAt], due));
  }

  /** A delta longer than one merged delta may be is cut (by bytes, never inside a character). */
  private cut(delta: StreamDeltaEvent): StreamDeltaEvent[] {
    if (delta.delta.length * 3 <= this.maxDeltaBytes || utf8Bytes(delta.delta) <= this.maxDeltaBytes) return [delta];
    const out: StreamDeltaEvent[] = [];
    let at = 0;
    while (at < delta.delta.length) {
      const end = Math.max(at + 1, utf8PrefixEnd(delta.delta, this.maxDeltaBytes, at));
      const cursorStart = delta.cursorStart + at;
      out.push({
        ...delta,
        delta: delta.delta.slice(at, end),
        cursorStart,
        cursorEnd: delta.cursorStart + end,
        eventId: deltaEventId(delta.streamId, cursorStart),
      });
      at = end;
    }
    return out;
  }

  /** Lifecycle/server-request payloads the normalizer did not cap already are capped to fit a batch. */
  private fit(event: InboundEvent): InboundEvent {
    const budget = Math.min(EVENT_PAYLOAD_MAX_BYTES, Math.floor(this.maxBytes / 2));
    if (eventBytes(event) <= budget) return event;
    if (event.type === "lifecycle_event") return { ...event, payloadJson: capPayloadJson(event.payloadJson, budget) };
    if (event.type === "server_request") return { ...event, paramsJson: capPayloadJson(event.paramsJson, budget) };
    return event;
  }

  private retain(threadId: string, delta: StreamDeltaEvent) {
    const kept = this.retained.get(delta.streamId);
    if (!kept) {
      this.retained.set(delta.streamId, { threadId, base: delta.cursorStart, text: delta.delta, template: delta });
    } else if (kept.base + kept.text.length === delta.cursorStart) {
      kept.text += delta.delta;
    }
  }

  /** Sends nothing more of a stream: its queued and later deltas are dropped, its kept text too. */
  private mute(streamId: string) {
    this.poisoned.add(streamId);
    this.retained.delete(streamId);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const queued = this.queue[i]!.event;
      if (queued.type === "stream_delta" && queued.streamId === streamId) this.queue.splice(i, 1);
    }
  }

  /** An item or turn the backend has acknowledged as completed needs no healing any more. */
  private release(event: InboundEvent) {
    if (event.type !== "lifecycle_event" || !event.turnId) return;
    const prefix =
      event.kind === "turn/completed" ? `${event.turnId}/` : event.kind === "item/completed" && event.itemId ? `${event.turnId}/${event.itemId}/` : undefined;
    if (!prefix) return;
    for (const streamId of this.retained.keys()) if (streamId.startsWith(prefix)) this.retained.delete(streamId);
    for (const streamId of this.poisoned) if (streamId.startsWith(prefix)) this.poisoned.delete(streamId);
  }

  private makeDue(at: number) {
    for (const entry of this.queue) if (entry.due > at) entry.due = at;
  }

  /**
   * Sets the timer for the head of the queue (the earliest due: windows are pushed in order,
   * and an urgent event makes everything before it due). A running pump re-arms when done.
   */
  private arm() {
    clearTimeout(this.timer);
    const head = this.queue[0];
    if (this.closed || this.pumping || !head) return;
    const wait = Math.max(0, head.due - this.now());
    if (wait === 0) queueMicrotask(() => void this.pump());
    else this.timer = setTimeout(() => void this.pump(), wait);
  }

  private readonly inFlight = new Set<Entry>();
  /** While isolating an event the backend refuses, batches are cut to this many events… */
  private narrowTo: number | undefined;
  /** …until this many events of the batch that failed have left the queue. */
  private isolating = 0;

  private takeBatch(): Entry[] {
    const head = this.queue[0];
    if (!head) return [];
    const batch: Entry[] = [];
    let bytes = 0;
    for (const entry of this.queue) {
      if (entry.threadId !== head.threadId || batch.length >= Math.min(this.maxEvents, this.narrowTo ?? Infinity)) break;
      if (batch.length > 0 && bytes + entry.bytes > this.maxBytes) break;
      batch.push(entry);
      bytes += entry.bytes;
    }
    return batch;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let attempt = 0;
      while (this.queue.length > 0 && this.queue[0]!.due <= this.now()) {
        const dueAt = this.queue[0]!.due;
        const entries = this.takeBatch();
        for (const entry of entries) this.inFlight.add(entry);
        const batch: OutboxBatch = { threadId: entries[0]!.threadId, events: entries.map((e) => e.event) };
        try {
          attempt++;
          this.options.onBatchSent?.({ ...batch, receivedAt: entries.map((e) => e.receivedAt), dueAt, sentAt: this.now(), attempt });
          const result = await this.options.send(batch);
          this.queue.splice(0, entries.length);
          attempt = 0;
          this.settled(entries.length);
          this.afterAck(batch, result);
        } catch (error) {
          if (errorCodeOf(error) === THREAD_DELETED) {
            attempt = 0;
            this.dropThread(batch.threadId, error);
            continue;
          }
          const retry = this.options.retry ?? {};
          const kind = classifySendFailure(error);
          const hopeless =
            kind === "permanent" || (kind === "unexplained" && (this.isolating > 0 || attempt >= (retry.unexplainedAttempts ?? 5)));
          if (hopeless) {
            // The same batch would fail forever: narrow it down to the event at fault,
            // deliver everything else in order, and leave a record of that one event.
            if (this.isolating <= 0) this.isolating = entries.length;
            if (entries.length > 1) {
              this.narrowTo = Math.ceil(entries.length / 2);
              continue;
            }
            attempt = 0;
            this.drop(entries[0]!, error, batch);
            this.settled(1);
            continue;
          }
          const ceiling = Math.min(retry.maxDelayMs ?? 5_000, (retry.baseDelayMs ?? 100) * 2 ** (attempt - 1));
          const delayMs = ceiling / 2 + (Math.random() * ceiling) / 2;
          this.options.onSendError?.(error, { attempt, delayMs, batch });
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        } finally {
          for (const entry of entries) this.inFlight.delete(entry);
        }
      }
    } finally {
      this.pumping = false;
    }
    if (this.queue.length === 0) this.settleWaiters();
    else this.arm();
  }

  /** The thread was deleted: its queued events, kept stream text and any search for a bad event of it go. */
  private dropThread(threadId: string, error: unknown) {
    this.deletedThreads.add(threadId);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.threadId === threadId) this.queue.splice(i, 1);
    for (const [streamId, kept] of this.retained) if (kept.threadId === threadId) this.retained.delete(streamId);
    // Batches hold one thread's events: a search under way was for this thread's batch.
    this.isolating = 0;
    this.narrowTo = undefined;
    this.options.onThreadDeleted?.(threadId, error);
  }

  /** Events of the batch being searched for an event at fault that have left the queue. */
  private settled(count: number) {
    if (this.isolating <= 0) return;
    this.isolating -= count;
    if (this.isolating <= 0) this.narrowTo = undefined;
  }

  /**
   * Takes the event at fault (the head of the queue) out and puts the record of why in its
   * place; a dropped delta takes its stream's other queued deltas with it.
   */
  private drop(head: Entry, error: unknown, batch: OutboxBatch) {
    this.queue.shift();
    const { event } = head;
    const why = { code: errorCodeOf(error) ?? "E_REFUSED", message: error instanceof Error ? error.message : String(error) };
    this.options.onRejected?.([{ eventId: event.eventId, ...why }], batch);
    if (event.type === "stream_delta") this.mute(event.streamId);
    // A record the backend refuses too is only reported.
    if (event.type === "lifecycle_event" && event.kind === EVENT_DROPPED_KIND) return;
    this.queue.unshift(entry(head.threadId, eventDroppedRecord(event, why), [], this.now()));
  }

  private afterAck(batch: OutboxBatch, result: IngestResult) {
    const gaps = result.rejected.filter((r) => r.code === STREAM_GAP);
    const others = result.rejected.filter((r) => r.code !== STREAM_GAP);
    if (others.length > 0) this.options.onRejected?.(others, batch);
    // A stream the backend closed (its turn ended) never takes text again: codex may go on
    // streaming a command it left running past an interrupt; its later deltas stay here, and
    // the refusal is said once, not once a batch.
    for (const r of others) if (r.code === STREAM_CLOSED) this.mute(streamOfDeltaEventId(r.eventId));
    if (gaps.length > 0) this.heal(batch, result, gaps);
    for (const event of batch.events) this.release(event);
  }

  /** Re-sends each gapped stream from the backend's cursor up to what this batch carried. */
  private heal(batch: OutboxBatch, result: IngestResult, gaps: IngestResult["rejected"]) {
    const gapped = new Set(gaps.map((g) => streamOfDeltaEventId(g.eventId)));
    const refill: Entry[] = [];
    const unhealable: IngestResult["rejected"] = [];
    for (const streamId of gapped) {
      const kept = this.retained.get(streamId);
      const server = result.streamCursors.find((c) => c.streamId === streamId)?.cursor;
      const sentUpTo = Math.max(
        ...batch.events.flatMap((e) => (e.type === "stream_delta" && e.streamId === streamId ? [e.cursorEnd] : [0])),
      );
      if (!kept || server === undefined || server < kept.base) {
        unhealable.push(...gaps.filter((g) => g.eventId.startsWith(`${streamId}@`)));
        continue;
      }
      const text = kept.text.slice(server - kept.base, sentUpTo - kept.base);
      if (text.length === 0) continue;
      const delta: StreamDeltaEvent = {
        ...kept.template,
        delta: text,
        cursorStart: server,
        cursorEnd: server + text.length,
        eventId: deltaEventId(streamId, server),
      };
      for (const piece of this.cut(delta)) refill.push(entry(kept.threadId, piece, [], this.now()));
    }
    if (unhealable.length > 0) this.options.onRejected?.(unhealable, batch);
    if (refill.length > 0) this.queue.unshift(...refill);
  }

  private settleWaiters() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

function entry(threadId: string, event: InboundEvent, receivedAt: number[], due: number): Entry {
  return { threadId, event, receivedAt, due, bytes: eventBytes(event) };
}
