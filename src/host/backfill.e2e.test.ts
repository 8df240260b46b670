// End to end: the HOST dies (runtime + its codex) with events still in its outbox. REAL
// codex, scripted model on 127.0.0.1, component in process. A new runtime on the same
// CODEX_HOME resumes the thread and backfills what codex recorded but Convex never got.
import { afterEach, describe, expect, test } from "vitest";
import type { InboundEvent, IngestResult } from "../contract/events.js";
import type { CodexPersistence } from "./persistence/port.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 100, cursor: null };
type Msg = { role: string; text: string; status: string; turnId: string };
type Item = { itemId: string; turnId: string; status: string; details: Record<string, unknown> & { type: string } };
type Turn = { turnId: string; status: string; error?: { message: string } };

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const messages = async (h: Harness, threadId: string) =>
  [...((await h.device.query(chat.threadMessages, { threadId, paginationOpts: page })) as { page: Msg[] }).page].reverse();
const items = async (h: Harness, threadId: string) => (await h.device.query(chat.threadItems, { threadId })) as Item[];
const turns = async (h: Harness, threadId: string) =>
  ((await h.device.query(chat.threadState, { threadId })) as { recentTurns: Turn[] }).recentTurns;
/** Everything a device sees of the thread, rows whole (ids, creation times, every field). */
const snapshot = async (h: Harness, threadId: string) => ({
  messages: await messages(h, threadId),
  items: await items(h, threadId),
  state: (await h.device.query(chat.threadState, { threadId })) as { recentTurns: Turn[] },
});

const BACKFILL_KINDS = new Set(["turn/started", "item/completed", "turn/completed"]);
const isBackfillKind = (e: InboundEvent) => e.type === "lifecycle_event" && BACKFILL_KINDS.has(e.kind);

/**
 * The port a host sees until it "dies": from `dieAfterFirstDelta()` on, the next batch is cut
 * right after its first text delta and everything after it vanishes — silently, as events in
 * the memory of a killed process do; a dead host closes no session either. Every batch that
 * does reach the backend is logged.
 */
function mortal(port: CodexPersistence) {
  const state = { armed: false, dead: false };
  const delivered: { events: InboundEvent[]; result: IngestResult }[] = [];
  const wrapped: CodexPersistence = {
    ...port,
    async ingest(args) {
      let events = args.events;
      if (state.dead) events = [];
      else if (state.armed) {
        const cut = events.findIndex((e) => e.type === "stream_delta");
        if (cut >= 0) {
          events = events.slice(0, cut + 1);
          state.dead = true;
        }
      }
      if (events.length === 0) return { accepted: 0, duplicates: 0, rejected: [], streamCursors: [] };
      const result = await port.ingest({ ...args, events });
      delivered.push({ events, result });
      return result;
    },
    async closeSession(args) {
      if (!state.dead) await port.closeSession(args);
    },
  };
  return {
    wrapped,
    delivered,
    dieAfterFirstDelta: () => (state.armed = true),
    revive: () => Object.assign(state, { armed: false, dead: false }),
  };
}

async function setup() {
  let port!: ReturnType<typeof mortal>;
  const h = await startHarness({ wrapPersistence: (base) => (port = mortal(base)).wrapped });
  open.push(h);
  // codex asks before running a command; the host says yes.
  const newRuntime = (overrides: Parameters<Harness["newRuntime"]>[0] = {}) => h.newRuntime({ onServerRequest: () => ({ decision: "accept" }), ...overrides });
  return { h, port, newRuntime };
}

const LONG_REPLY = "This reply was streamed in many pieces, and the host died before most of them were sent.";

describe("backfill from codex's history after the host died", () => {
  test("a new runtime resuming the thread lands the lost end of a reply, a whole lost turn, and their ends", async () => {
    const { h, port, newRuntime } = await setup();
    const first = newRuntime();
    await first.connect();
    const { threadId } = await first.openThread({ mode: "start" });
    const kept = await first.sendTurn("before the crash");
    await waitFor(() => turns(h, threadId), (l) => l.find((t) => t.turnId === kept.turnId)?.status === "completed");
    await first.flush();

    // The host dies mid-reply: only the reply's first piece reached the backend.
    port.dieAfterFirstDelta();
    h.model.enqueue({ type: "text", text: LONG_REPLY, chunks: 12 });
    const cut = await first.sendTurn("a long one");
    await waitFor(async () => first.getLifecycleState(), (s) => s.turnId === undefined);
    // A turn that the backend never hears of at all: a command and a reply.
    const lost = await first.sendTurn("[command] echo backfilled");
    await waitFor(async () => first.getLifecycleState(), (s) => s.turnId === undefined, 20_000);
    await first.stop(); // whatever it still flushes vanishes too

    const before = await messages(h, threadId);
    const partial = before.find((m) => m.turnId === cut.turnId && m.role === "assistant");
    expect(partial?.status).toBe("streaming");
    expect(LONG_REPLY.startsWith(partial!.text) && partial!.text.length < LONG_REPLY.length).toBe(true);
    expect(before.some((m) => m.turnId === lost.turnId)).toBe(false);
    expect((await turns(h, threadId)).find((t) => t.turnId === cut.turnId)?.status).toBe("inProgress");

    // The machine comes back: a new runtime, same CODEX_HOME, same backend.
    port.revive();
    const second = newRuntime();
    await second.connect();
    await second.openThread({ mode: "resume", threadId });
    await second.flush();

    expect((await messages(h, threadId)).map((m) => [m.turnId, m.role, m.text, m.status])).toEqual([
      [kept.turnId, "user", "before the crash", "completed"],
      [kept.turnId, "assistant", "You said: before the crash", "completed"],
      [cut.turnId, "user", "a long one", "completed"],
      [cut.turnId, "assistant", LONG_REPLY, "completed"],
      [lost.turnId, "user", "[command] echo backfilled", "completed"],
      [lost.turnId, "assistant", "The command finished.", "completed"],
    ]);
    const state = (await h.device.query(chat.threadState, { threadId })) as { recentTurns: Turn[]; thread: { activeTurnId?: string } };
    expect(state.recentTurns.map((t) => [t.turnId, t.status])).toEqual([
      [lost.turnId, "completed"],
      [cut.turnId, "completed"],
      [kept.turnId, "completed"],
    ]);
    expect(state.thread.activeTurnId).toBeUndefined();
    const all = await items(h, threadId);
    expect(all.every((i) => i.status === "completed")).toBe(true);
    expect(all.find((i) => i.details.type === "commandExecution")).toMatchObject({
      turnId: lost.turnId,
      details: { type: "commandExecution", exitCode: 0 },
    });

    // Backfilling again changes nothing: every event is a duplicate, every row as it was.
    const settled = await snapshot(h, threadId);
    const sentBefore = port.delivered.length;
    const { events } = await second.backfillThread(threadId);
    await second.flush();
    const again = port.delivered.slice(sentBefore);
    expect(again.reduce((n, b) => n + b.result.duplicates, 0)).toBe(events);
    expect(again.reduce((n, b) => n + b.result.accepted, 0)).toBe(0);
    expect(await snapshot(h, threadId)).toEqual(settled);
  }, 60_000);

  test("a host that died mid-turn: the resumed thread records the turn interrupted, as codex does, keeping the text that arrived", async () => {
    const { h, port, newRuntime } = await setup();
    // The whole machine goes down: nothing restarts its codex.
    const first = newRuntime({ bridge: { ...h.bridgeConfig, restart: false } });
    await first.connect();
    const { threadId } = await first.openThread({ mode: "start" });
    port.dieAfterFirstDelta();
    const { turnId } = await first.sendTurn("[slow]");
    await waitFor(async () => port.delivered.some((b) => b.events.some((e) => e.type === "stream_delta")), Boolean);
    // The whole machine goes down: codex with it, and the runtime's own "failed" record is lost too.
    first.bridge.child!.kill("SIGKILL");
    await waitFor(async () => first.getLifecycleState(), (s) => s.phase === "error");
    // What reached the backend of the reply: its first delta (a streaming message keeps its text in its stream).
    const arrived = port.delivered.flatMap((b) => b.events).find((e) => e.type === "stream_delta" && e.channel === "agentMessage");
    expect(arrived?.type === "stream_delta" && arrived.turnId).toBe(turnId);
    expect((await turns(h, threadId))[0]).toMatchObject({ turnId, status: "inProgress" });

    port.revive();
    const second = newRuntime();
    await second.connect();
    await second.openThread({ mode: "resume", threadId });
    await second.flush();
    expect((await turns(h, threadId))[0]).toMatchObject({ turnId, status: "interrupted" });
    const message = (await messages(h, threadId)).find((m) => m.turnId === turnId && m.role === "assistant");
    expect(message).toMatchObject({ status: "interrupted", text: arrived?.type === "stream_delta" ? arrived.delta : "" });
    expect(message!.text).toMatch(/^still going/);
  }, 60_000);

  test("when nothing was lost, the backfill on resume is all duplicates and changes no row", async () => {
    const { h, port, newRuntime } = await setup();
    const first = newRuntime();
    await first.connect();
    const { threadId } = await first.openThread({ mode: "start" });
    const one = await first.sendTurn("[reasoning] think first");
    await waitFor(() => turns(h, threadId), (l) => l.find((t) => t.turnId === one.turnId)?.status === "completed");
    const two = await first.sendTurn("[command] echo kept");
    await waitFor(() => turns(h, threadId), (l) => l.find((t) => t.turnId === two.turnId)?.status === "completed", 20_000);
    await first.stop();
    const settled = await snapshot(h, threadId);

    const sentBefore = port.delivered.length;
    const second = newRuntime();
    await second.connect();
    await second.openThread({ mode: "resume", threadId });
    await second.flush();
    const after = port.delivered.slice(sentBefore);
    const backfill = after.flatMap((b) => b.events.filter(isBackfillKind));
    // Two turns: turn/started + turn/completed each, and their items.
    expect(backfill.length).toBeGreaterThanOrEqual(2 * 2 + 4);
    // The resume also brings codex's own fresh notifications (thread status …) in the same
    // batches; those may be new, every backfilled event is a duplicate.
    expect(after.flatMap((b) => b.result.rejected)).toEqual([]);
    expect(after.reduce((n, b) => n + b.result.duplicates, 0)).toBeGreaterThanOrEqual(backfill.length);
    const now = await snapshot(h, threadId);
    expect([now.messages, now.items, now.state.recentTurns]).toEqual([settled.messages, settled.items, settled.state.recentTurns]);
  }, 60_000);
});
