/**
 * The ingest outbox: codex events on their way to `sync.ingest`, in order.
 *
 * - Batched: an event leaves at the latest `flushIntervalMs` after it arrived (on a timer,
 *   never only when the next event happens to arrive), and everything queued leaves at once
 *   when a turn ends (`turn/completed`) or codex asks something (a server request).
 * - Merged: adjacent text deltas of one stream become one delta (cursorStart of the first,
 *   cursorEnd of the last, eventId `${streamId}@${cursorStart}`), so a reply streamed in
 *   300 pieces is a handful of rows.
 * - Sized: each batch stays within INGEST_MAX_EVENTS and INGEST_MAX_BATCH_CHARS, measured as
 *   ingest measures it; a delta too long for one batch is cut into several.
 * - Kept in order through failures: one batch is in flight at a time; a failed batch is
 *   retried (exponential backoff) before anything after it. Event ids are deterministic, so a
 *   batch that reached the backend before the failure is a no-op when sent again.
 * - Poison-proof: a batch the backend refuses for its content (argument validation, caps) is
 *   halved until the one event at fault is found; that event is reported and skipped, the
 *   rest still lands in order.
 * - Gap-healing: on E_STREAM_GAP the stream is re-sent from the cursor the backend holds
 *   (the outbox keeps each open stream's text until its item or turn completes).
 */
import { performance } from "node:perf_hooks";
import {
  EVENT_PAYLOAD_MAX_CHARS,
  INGEST_MAX_BATCH_CHARS,
  INGEST_MAX_EVENTS,
  capPayloadJson,
  eventChars,
  isHighSurrogate,
} from "../contract/limits.js";
import type { InboundEvent, IngestResult, StreamDeltaEvent } from "../contract/events.js";

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
  maxChars?: number;
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
  /** A send failed and will be retried after `delayMs`. */
  onSendError?: (error: unknown, info: { attempt: number; delayMs: number; batch: OutboxBatch }) => void;
  /** Events the backend rejected (other than gaps the outbox heals itself). */
  onRejected?: (rejected: IngestResult["rejected"], batch: OutboxBatch) => void;
  /** Every batch as it leaves (for latency figures). */
  onBatchSent?: (info: SentBatchInfo) => void;
  now?: () => number;
};

/** `due`: when this event must leave at the latest (its window's end, or now when urgent). */
type Entry = { threadId: string; event: InboundEvent; receivedAt: number[]; due: number };
type RetainedStream = { threadId: string; base: number; text: string; template: StreamDeltaEvent };

const STREAM_GAP = "E_STREAM_GAP";

/**
 * Failures that sending the same batch again cannot fix: the backend refused its content
 * (coded size/argument errors, Convex argument validation). Anything else (network, auth
 * refresh, a backend hiccup) is retried as is.
 */
export function isDeterministicFailure(error: unknown): boolean {
  const code = (error as { data?: { code?: unknown } } | null)?.data?.code;
  if (code === "E_BATCH_TOO_LARGE" || code === "E_INVALID_ARGUMENT") return true;
  const message = error instanceof Error ? error.message : String(error);
  return /ArgumentValidationError|Validator error/.test(message);
}

export class IngestOutbox {
  private readonly queue: Entry[] = [];
  private readonly retained = new Map<string, RetainedStream>();
  private readonly interval: number;
  private readonly maxEvents: number;
  private readonly maxChars: number;
  /** Merged deltas stop growing here, leaving room in a batch for the events around them. */
  private readonly maxDeltaChars: number;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pumping = false;
  private closed = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: IngestOutboxOptions) {
    this.interval = options.flushIntervalMs ?? 250;
    this.maxEvents = options.maxEvents ?? INGEST_MAX_EVENTS;
    this.maxChars = options.maxChars ?? INGEST_MAX_BATCH_CHARS;
    this.maxDeltaChars = Math.max(1, Math.floor(this.maxChars / 4));
    this.now = options.now ?? (() => performance.now());
  }

  /** Events not yet acknowledged by the backend. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues one event. `receivedAt`: when its stdout line was read (default now). */
  push(threadId: string, event: InboundEvent, receivedAt = this.now()): void {
    if (this.closed) throw new Error("the outbox is closed");
    const now = this.now();
    const urgent =
      event.type === "server_request" || (event.type === "lifecycle_event" && event.kind === "turn/completed");
    const due = urgent ? now : now + this.interval;
    if (event.type === "stream_delta") {
      this.retain(threadId, event);
      for (const piece of this.cut(event)) this.enqueueDelta(threadId, piece, receivedAt, due);
    } else {
      this.queue.push({ threadId, event: this.fit(event), receivedAt: [receivedAt], due });
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
      prev.delta.length + delta.delta.length <= this.maxDeltaChars &&
      !this.inFlight.has(last)
    ) {
      last.event = { ...prev, delta: prev.delta + delta.delta, cursorEnd: delta.cursorEnd, eventId: `${prev.streamId}@${prev.cursorStart}` };
      last.receivedAt.push(receivedAt);
      return;
    }
    this.queue.push({ threadId, event: delta, receivedAt: [receivedAt], due });
  }

  /** A delta longer than one merged delta may be is cut (never inside a surrogate pair). */
  private cut(delta: StreamDeltaEvent): StreamDeltaEvent[] {
    if (delta.delta.length <= this.maxDeltaChars) return [delta];
    const out: StreamDeltaEvent[] = [];
    let at = 0;
    while (at < delta.delta.length) {
      let end = Math.min(delta.delta.length, at + this.maxDeltaChars);
      if (end < delta.delta.length && isHighSurrogate(delta.delta.charCodeAt(end - 1))) end--;
      const cursorStart = delta.cursorStart + at;
      out.push({
        ...delta,
        delta: delta.delta.slice(at, end),
        cursorStart,
        cursorEnd: delta.cursorStart + end,
        eventId: `${delta.streamId}@${cursorStart}`,
      });
      at = end;
    }
    return out;
  }

  /** Lifecycle/server-request payloads the normalizer did not cap already are capped to fit a batch. */
  private fit(event: InboundEvent): InboundEvent {
    const budget = Math.min(EVENT_PAYLOAD_MAX_CHARS, Math.floor(this.maxChars / 2));
    if (eventChars(event) <= budget) return event;
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

  /** An item or turn the backend has acknowledged as completed needs no healing any more. */
  private release(event: InboundEvent) {
    if (event.type !== "lifecycle_event" || !event.turnId) return;
    const prefix =
      event.kind === "turn/completed" ? `${event.turnId}/` : event.kind === "item/completed" && event.itemId ? `${event.turnId}/${event.itemId}/` : undefined;
    if (!prefix) return;
    for (const streamId of this.retained.keys()) if (streamId.startsWith(prefix)) this.retained.delete(streamId);
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
  /** While isolating an event the backend refuses, batches are cut to this many events. */
  private narrowTo: number | undefined;

  private takeBatch(): Entry[] {
    const head = this.queue[0];
    if (!head) return [];
    const batch: Entry[] = [];
    let chars = 0;
    for (const entry of this.queue) {
      if (entry.threadId !== head.threadId || batch.length >= Math.min(this.maxEvents, this.narrowTo ?? Infinity)) break;
      const size = eventChars(entry.event);
      if (batch.length > 0 && chars + size > this.maxChars) break;
      batch.push(entry);
      chars += size;
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
          this.narrowTo = undefined;
          this.afterAck(batch, result);
        } catch (error) {
          if (isDeterministicFailure(error)) {
            // The same batch would fail forever: narrow it down to the event at fault,
            // deliver everything else in order, and report that one event.
            if (entries.length > 1) {
              this.narrowTo = Math.ceil(entries.length / 2);
              continue;
            }
            this.queue.splice(0, 1);
            attempt = 0;
            const code = (error as { data?: { code?: string } }).data?.code ?? "E_INVALID_ARGUMENT";
            this.options.onRejected?.([{ eventId: batch.events[0]!.eventId, code, message: (error as Error).message }], batch);
            continue;
          }
          const retry = this.options.retry ?? {};
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

  private afterAck(batch: OutboxBatch, result: IngestResult) {
    const gaps = result.rejected.filter((r) => r.code === STREAM_GAP);
    const others = result.rejected.filter((r) => r.code !== STREAM_GAP);
    if (others.length > 0) this.options.onRejected?.(others, batch);
    if (gaps.length > 0) this.heal(batch, result, gaps);
    for (const event of batch.events) this.release(event);
  }

  /** Re-sends each gapped stream from the backend's cursor up to what this batch carried. */
  private heal(batch: OutboxBatch, result: IngestResult, gaps: IngestResult["rejected"]) {
    const gapped = new Set(gaps.map((g) => g.eventId.slice(0, g.eventId.lastIndexOf("@"))));
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
        eventId: `${streamId}@${server}`,
      };
      for (const piece of this.cut(delta)) refill.push({ threadId: kept.threadId, event: piece, receivedAt: [], due: this.now() });
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
