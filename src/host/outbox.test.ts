import { describe, expect, test } from "vitest";
import { batchBytes } from "../contract/limits.js";
import type { InboundEvent, IngestResult, StreamDeltaEvent } from "../contract/events.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { EVENT_DROPPED_KIND } from "../contract/events.js";
import { IngestOutbox, classifySendFailure, type OutboxBatch } from "./outbox.js";

const ok = (events: InboundEvent[]): IngestResult => ({ accepted: events.length, duplicates: 0, rejected: [], streamCursors: [] });

function delta(streamId: string, cursorStart: number, text: string): StreamDeltaEvent {
  return {
    type: "stream_delta",
    eventId: `${streamId}@${cursorStart}`,
    turnId: streamId.split("/")[0]!,
    itemId: streamId.split("/")[1]!,
    streamId,
    channel: "agentMessage",
    delta: text,
    cursorStart,
    cursorEnd: cursorStart + text.length,
    createdAt: 1,
  };
}
const lifecycle = (kind: string, turnId = "t1", itemId?: string): InboundEvent => ({
  type: "lifecycle_event",
  eventId: `${turnId}/${itemId ?? ""}/${kind}`,
  turnId,
  ...(itemId ? { itemId } : {}),
  kind,
  payloadJson: "{}",
  createdAt: 1,
});

function recorder(answer: (batch: OutboxBatch, n: number) => Promise<IngestResult> = async (b) => ok(b.events)) {
  const sent: OutboxBatch[] = [];
  let n = 0;
  return {
    sent,
    send: async (batch: OutboxBatch) => {
      sent.push({ threadId: batch.threadId, events: [...batch.events] });
      return await answer(batch, ++n);
    },
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("ingest outbox", () => {
  test("adjacent deltas of one stream are merged; the id is recomputed from the first cursor", async () => {
    const r = recorder();
    const outbox = new IngestOutbox({ send: r.send, flushIntervalMs: 1_000 });
    const s = "t1/i1/agentMessage";
    outbox.push("th", lifecycle("item/started", "t1", "i1"));
    outbox.push("th", delta(s, 0, "Hel"));
    outbox.push("th", delta(s, 3, "lo "));
    outbox.push("th", delta(s, 6, "you"));
    outbox.push("th", delta("t1/i2/agentMessage", 0, "x"));
    await outbox.flush();
    expect(r.sent).toHaveLength(1);
    const [started, merged, other] = r.sent[0]!.events;
    expect(started?.type).toBe("lifecycle_event");
    expect(merged).toMatchObject({ eventId: `${s}@0`, delta: "Hello you", cursorStart: 0, cursorEnd: 9 });
    expect(other).toMatchObject({ streamId: "t1/i2/agentMessage", delta: "x" });
  });

  test("a batch leaves on the timer without any further event, and at once at turn end", async () => {
    const r = recorder();
    const outbox = new IngestOutbox({ send: r.send, flushIntervalMs: 40 });
    outbox.push("th", delta("t1/i1/agentMessage", 0, "a"));
    await sleep(10);
    expect(r.sent).toHaveLength(0);
    await sleep(80);
    expect(r.sent).toHaveLength(1);

    const slow = new IngestOutbox({ send: r.send, flushIntervalMs: 60_000 });
    slow.push("th", delta("t2/i1/agentMessage", 0, "b"));
    slow.push("th", lifecycle("turn/completed", "t2"));
    await sleep(5);
    expect(r.sent).toHaveLength(2);
    expect(r.sent[1]!.events.map((e) => e.type)).toEqual(["stream_delta", "lifecycle_event"]);
  });

  test("events arriving while a batch is in flight get their own window (a slow backend does not shrink batches)", async () => {
    const r = recorder(async (batch) => {
      await sleep(30);
      return ok(batch.events);
    });
    const outbox = new IngestOutbox({ send: r.send, flushIntervalMs: 100 });
    outbox.push("th", delta("t1/i1/agentMessage", 0, "a"));
    await sleep(110); // the first batch is now in flight
    expect(r.sent).toHaveLength(1);
    outbox.push("th", delta("t1/i1/agentMessage", 1, "b"));
    outbox.push("th", delta("t1/i1/agentMessage", 2, "c"));
    await sleep(50); // the first batch was answered; "bc" waits for its own window
    expect(r.sent).toHaveLength(1);
    await sleep(100);
    expect(r.sent.map((b) => b.events.map((e) => (e as StreamDeltaEvent).delta))).toEqual([["a"], ["bc"]]);
  });

  test("batches respect the event and byte caps; a delta too long for one batch is cut", async () => {
    const r = recorder();
    const outbox = new IngestOutbox({ send: r.send, maxEvents: 3, maxBytes: 400 });
    for (let i = 0; i < 7; i++) outbox.push("th", lifecycle(`k${i}`));
    outbox.push("th", delta("t1/i9/agentMessage", 0, "z".repeat(1_000)));
    await outbox.flush();
    for (const batch of r.sent) {
      expect(batch.events.length).toBeLessThanOrEqual(3);
      expect(batchBytes(batch.events)).toBeLessThanOrEqual(400);
    }
    const pieces = r.sent.flatMap((b) => b.events).filter((e): e is StreamDeltaEvent => e.type === "stream_delta");
    expect(pieces.map((p) => p.delta).join("")).toBe("z".repeat(1_000));
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.cursorStart).toBe(pieces[i - 1]!.cursorEnd);
    expect(pieces.every((p) => p.eventId === `${p.streamId}@${p.cursorStart}`)).toBe(true);
  });

  test("a failed batch is retried before anything queued after it; order is kept across threads", async () => {
    const r = recorder(async (batch, n) => {
      if (n <= 3) throw new Error("backend down");
      return ok(batch.events);
    });
    const errors: number[] = [];
    const outbox = new IngestOutbox({
      send: r.send,
      flushIntervalMs: 1,
      maxEvents: 2,
      retry: { baseDelayMs: 2, maxDelayMs: 5 },
      onSendError: (_e, info) => errors.push(info.attempt),
    });
    outbox.push("a", lifecycle("k1"));
    outbox.push("a", lifecycle("k2"));
    outbox.push("b", lifecycle("k3"));
    outbox.push("a", lifecycle("k4"));
    await outbox.flush();
    expect(errors).toEqual([1, 2, 3]);
    const delivered = r.sent.slice(3).map((b) => [b.threadId, b.events.map((e) => (e as { kind: string }).kind)]);
    expect(delivered).toEqual([
      ["a", ["k1", "k2"]],
      ["b", ["k3"]],
      ["a", ["k4"]],
    ]);
    expect(r.sent.slice(0, 3).every((b) => b.threadId === "a" && b.events.length === 2)).toBe(true);
  });

  test("E_STREAM_GAP: the stream is re-sent from the cursor the backend holds", async () => {
    const s = "t1/i1/agentMessage";
    const stored: string[] = [];
    const r = recorder(async (batch, n) => {
      // The backend lost the first batch and holds nothing of the stream (cursor 0).
      const d = batch.events.find((e): e is StreamDeltaEvent => e.type === "stream_delta")!;
      if (n === 2) {
        return { accepted: 0, duplicates: 0, rejected: [{ eventId: d.eventId, code: "E_STREAM_GAP", message: "gap" }], streamCursors: [{ streamId: s, cursor: 0 }] };
      }
      if (n > 2) stored.push(d.delta);
      return ok(batch.events);
    });
    const outbox = new IngestOutbox({ send: r.send, flushIntervalMs: 1 });
    outbox.push("th", delta(s, 0, "first "));
    await outbox.flush();
    outbox.push("th", delta(s, 6, "second"));
    await outbox.flush();
    expect(r.sent[2]!.events[0]).toMatchObject({ eventId: `${s}@0`, delta: "first second", cursorStart: 0, cursorEnd: 12 });
    expect(stored).toEqual(["first second"]);
  });
});

describe("ingest outbox on the real component (in process)", () => {
  test("a batch the backend never got is healed from E_STREAM_GAP: the stored message is whole", async () => {
    const { startDevBackend } = await import("../../apps/dev-backend/src/index.js");
    const { createConvexPersistence } = await import("./persistence/convexPersistence.js");
    const { chat, inProcessCaller } = await import("./testing/harness.js");
    const backend = await startDevBackend();
    try {
      const port = createConvexPersistence({ client: inProcessCaller(backend, "u") });
      await port.openSession({ sessionId: "s" });
      let calls = 0;
      const outbox = new IngestOutbox({
        flushIntervalMs: 1,
        // The first batch vanishes on the way (answered, never applied): the backend sees a gap.
        send: async (batch) => (++calls === 1 ? ok(batch.events) : await port.ingest({ sessionId: "s", ...batch })),
      });
      const s = "t1/i1/agentMessage";
      const item = (kind: string): InboundEvent => ({
        type: "lifecycle_event",
        eventId: `t1/i1/${kind}`,
        turnId: "t1",
        itemId: "i1",
        kind,
        payloadJson: JSON.stringify({ threadId: "th", turnId: "t1", item: { type: "agentMessage", id: "i1", text: "" } }),
        createdAt: 1,
      });
      await port.ingest({ sessionId: "s", threadId: "th", events: [item("item/started")] });
      outbox.push("th", delta(s, 0, "Lost on "));
      await outbox.flush();
      outbox.push("th", delta(s, 8, "the way, then healed."));
      await outbox.flush();
      const replay = (await inProcessCaller(backend, "u").query(chat.streamSync, { threadId: "th", streamCursorsById: [{ streamId: s, cursor: 0 }] })) as {
        deltas: Array<{ text: string }>;
      };
      expect(replay.deltas.map((d) => d.text).join("")).toBe("Lost on the way, then healed.");
    } finally {
      await backend.stop();
    }
  });
});

describe("ingest outbox, refused content", () => {
  test("a batch the backend refuses for its content is narrowed to the one bad event; the rest lands in order", async () => {
    const delivered: string[] = [];
    const r = recorder(async (batch) => {
      if (batch.events.some((e) => e.type === "lifecycle_event" && e.kind === "poison")) {
        throw new Error("ArgumentValidationError: Value does not match validator.");
      }
      for (const e of batch.events) delivered.push((e as { kind: string }).kind);
      return ok(batch.events);
    });
    const rejected: string[] = [];
    const outbox = new IngestOutbox({
      send: r.send,
      flushIntervalMs: 1,
      onRejected: (list) => rejected.push(...list.map((x) => x.eventId)),
    });
    for (const kind of ["k1", "k2", "k3", "poison", "k5", "k6"]) outbox.push("th", lifecycle(kind));
    await outbox.flush();
    // In the poison's place: the record of why it was dropped, then everything after it.
    expect(delivered).toEqual(["k1", "k2", "k3", EVENT_DROPPED_KIND, "k5", "k6"]);
    expect(rejected).toEqual(["t1//poison"]);
  });

  test.each([
    ["Value is too large (1.05 MiB > maximum size 1 MiB)", "permanent"],
    ["Too many writes in a single function execution (limit: 16000)", "permanent"],
    ["Too many bytes read in a single function execution (limit: 16777216 bytes).", "permanent"],
    ["ArgumentValidationError: Object is missing the required field `kind`.", "permanent"],
    ["Array length is too long (8988 > maximum length 8192)", "permanent"],
    ["Could not find public function for 'codex:ingestBatch'. Did you forget to run `npx convex dev`?", "transient"],
    ["TypeError: fetch failed", "transient"],
    ["connect ECONNREFUSED 127.0.0.1:3210", "transient"],
    ["[Request ID: 1f] Server Error: 503 Service Unavailable", "transient"],
    ["Documents read from or written to the table changed while this mutation was being run (OptimisticConcurrencyControlFailure)", "transient"],
    ['{"code":"Unauthenticated","message":"Could not verify OIDC token claim. Check that the token signature is valid and the token hasn\'t expired."}', "transient"],
    ["[Request ID: 8e] Server Error", "unexplained"],
  ])("classifySendFailure(%j) is %s", (message, kind) => {
    expect(classifySendFailure(new Error(message))).toBe(kind);
  });

  test("coded refusals are permanent, except those a renewed session or sign-in fixes", () => {
    expect(classifySendFailure(codexError(ErrorCode.tooLarge, "threadId is too large"))).toBe("permanent");
    expect(classifySendFailure(codexError(ErrorCode.invalidArgument, "createdAt is NaN"))).toBe("permanent");
    expect(classifySendFailure(codexError(ErrorCode.sessionNotActive, "stale"))).toBe("transient");
    expect(classifySendFailure(codexError(ErrorCode.unauthenticated, "signed out"))).toBe("transient");
  });

  test("a transient failure is retried as is until it passes; nothing is dropped", async () => {
    const r = recorder(async (batch, n) => {
      if (n <= 4) throw new Error("TypeError: fetch failed");
      return ok(batch.events);
    });
    const rejected: unknown[] = [];
    const outbox = new IngestOutbox({ send: r.send, flushIntervalMs: 1, retry: { baseDelayMs: 1, maxDelayMs: 2 }, onRejected: (l) => rejected.push(...l) });
    for (const kind of ["k1", "k2", "k3"]) outbox.push("th", lifecycle(kind));
    await outbox.flush();
    expect(r.sent.map((b) => b.events.length)).toEqual([3, 3, 3, 3, 3]);
    expect(rejected).toEqual([]);
  });

  test("an unexplained failure that keeps coming back is searched for its event after a few tries", async () => {
    const r = recorder(async (batch) => {
      if (batch.events.some((e) => e.type === "lifecycle_event" && e.kind === "poison")) throw new Error("[Request ID: 8e] Server Error");
      return ok(batch.events);
    });
    const outbox = new IngestOutbox({ send: r.send, flushIntervalMs: 1, retry: { baseDelayMs: 1, maxDelayMs: 2, unexplainedAttempts: 3 } });
    for (const kind of ["k1", "poison", "k3", "k4"]) outbox.push("th", lifecycle(kind));
    await outbox.flush();
    const landed = r.sent.at(-1)!.events.map((e) => (e as { kind: string }).kind);
    expect(landed).toContain("k4");
    const dropped = r.sent.flatMap((b) => b.events).find((e) => e.type === "lifecycle_event" && e.kind === EVENT_DROPPED_KIND);
    expect(JSON.parse((dropped as { payloadJson: string }).payloadJson)).toMatchObject({ eventId: "t1//poison", kind: "poison", code: "E_REFUSED" });
    // Three tries of the whole batch, then the search: not one retry per event.
    expect(r.sent.length).toBeLessThan(12);
  });

  test("a refused delta drops the rest of its stream (no gap to heal forever); other streams flow", async () => {
    const r = recorder(async (batch) => {
      if (batch.events.some((e) => e.type === "stream_delta" && e.delta.includes("☠"))) throw new Error("Value is too large (1.2 MiB > maximum size 1 MiB)");
      return ok(batch.events);
    });
    const outbox = new IngestOutbox({ send: r.send, flushIntervalMs: 1 });
    const bad = "t1/i1/agentMessage";
    outbox.push("th", delta(bad, 0, "☠"));
    await outbox.flush();
    outbox.push("th", delta(bad, 1, "later"));
    outbox.push("th", delta("t1/i2/agentMessage", 0, "fine"));
    await outbox.flush();
    const sent = r.sent.flatMap((b) => b.events);
    expect(sent.filter((e) => e.type === "stream_delta" && e.streamId === bad && !e.delta.includes("☠"))).toEqual([]);
    expect(sent.some((e) => e.type === "stream_delta" && e.delta === "fine")).toBe(true);
    expect(sent.filter((e) => e.type === "lifecycle_event" && e.kind === EVENT_DROPPED_KIND)).toHaveLength(1);
  });

  test("a deleted thread: one refused batch drops everything of it at once, later events of it are not sent; other threads flow", async () => {
    const deleted: string[] = [];
    const r = recorder(async (b) => {
      if (b.threadId === "gone") throw codexError(ErrorCode.threadDeleted, "thread gone was deleted");
      return ok(b.events);
    });
    const outbox = new IngestOutbox({ send: r.send, flushIntervalMs: 1_000, maxEvents: 2, onThreadDeleted: (threadId) => deleted.push(threadId) });
    for (const kind of ["a", "b", "c", "d", "e"]) outbox.push("gone", lifecycle(kind));
    outbox.push("kept", lifecycle("x"));
    await outbox.flush();
    outbox.push("gone", lifecycle("f"));
    outbox.push("kept", lifecycle("y"));
    await outbox.flush();
    // One try for the deleted thread, no search through its events, nothing after it.
    expect(r.sent.map((b) => [b.threadId, b.events.length])).toEqual([["gone", 2], ["kept", 1], ["kept", 1]]);
    expect(deleted).toEqual(["gone"]);
    expect(outbox.pending).toBe(0);
  });
});
