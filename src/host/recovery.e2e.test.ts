// End to end, when things break: codex dies mid-turn, and the backend refuses writes for a
// while. REAL codex, scripted model on 127.0.0.1, component in process; read back through
// the example's queries.
import { afterEach, describe, expect, test } from "vitest";
import type { CodexPersistence } from "./persistence/port.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 100, cursor: null };
type Msg = { role: string; text: string; status: string; turnId: string };
type Item = { itemId: string; status: string; details: Record<string, unknown> & { type: string } };
type Turn = { turnId: string; status: string; error?: { message: string } };

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});
async function harness(options?: Parameters<typeof startHarness>[0]) {
  const h = await startHarness(options);
  open.push(h);
  return h;
}

const messages = async (h: Harness, threadId: string) =>
  [...((await h.device.query(chat.threadMessages, { threadId, paginationOpts: page })) as { page: Msg[] }).page].reverse();
const items = async (h: Harness, threadId: string) => (await h.device.query(chat.threadItems, { threadId })) as Item[];
const turns = async (h: Harness, threadId: string) =>
  ((await h.device.query(chat.threadState, { threadId })) as { recentTurns: Turn[] }).recentTurns;

describe("recovery against the real codex", () => {
  test("codex killed mid-turn: the turn is recorded failed, a new process resumes the thread, the next turn works", async () => {
    const h = await harness();
    const runtime = h.newRuntime({ bridge: { ...h.bridgeConfig, restart: { maxRestarts: 1, baseDelayMs: 10 } } });
    await runtime.connect();
    const { threadId } = await runtime.openThread({ mode: "start" });
    const firstSession = runtime.sessionId;
    const { turnId } = await runtime.sendTurn("[slow]");
    await waitFor(
      // A stream row exists once its first delta is stored.
      async () => (await h.device.query(chat.streamSync, { threadId, streamCursorsById: [] })) as { streams: unknown[] },
      (r) => r.streams.length > 0,
    );
    runtime.bridge.child!.kill("SIGKILL");

    const failed = await waitFor(() => turns(h, threadId), (list) => list.find((t) => t.turnId === turnId)?.status === "failed");
    expect(failed.find((t) => t.turnId === turnId)?.error?.message).toMatch(/exited/);
    const partial = (await messages(h, threadId)).find((m) => m.turnId === turnId && m.role === "assistant");
    expect(partial?.status).toBe("interrupted");
    expect(partial?.text).toMatch(/^(still going… )+/);

    // The bridge restarts codex; the runtime opens a new session and resumes the thread.
    await waitFor(async () => runtime.getLifecycleState(), (s) => s.phase === "running" && runtime.sessionId !== firstSession);
    const next = await runtime.sendTurn("after the crash");
    await waitFor(() => turns(h, threadId), (list) => list.find((t) => t.turnId === next.turnId)?.status === "completed");
    expect((await messages(h, threadId)).at(-1)).toMatchObject({ role: "assistant", text: "You said: after the crash", status: "completed" });
    // codex really resumed the thread: the model saw the first turn's input in the history.
    const lastRequest = h.model.requests.at(-1)!;
    expect(JSON.stringify(lastRequest.body.input)).toContain("[slow]");
  }, 40_000);

  test("a restart resumes only the threads the lost codex had loaded, the most recent first and bounded; another thread resumes on demand", async () => {
    const h = await harness();
    const errors: string[] = [];
    const runtime = h.newRuntime({
      bridge: { ...h.bridgeConfig, restart: { maxRestarts: 1, baseDelayMs: 10 } },
      resumeOnRestart: 1,
      onError: (_error, context) => errors.push(context),
    });
    await runtime.connect();
    const done = (threadId: string, turnId: string, status = "completed") =>
      waitFor(() => turns(h, threadId), (list) => list.find((t) => t.turnId === turnId)?.status === status);
    const stored: string[] = [];
    for (const text of ["first", "second", "archived"]) {
      const { threadId } = await runtime.openThread({ mode: "start" });
      await done(threadId, (await runtime.sendTurn(text, threadId)).turnId);
      stored.push(threadId);
    }
    const [oldest, recent, archived] = stored as [string, string, string];
    // Archived: codex unloaded it, so the codex that dies does not have it loaded.
    await runtime.archiveThread(archived);
    const { threadId: running } = await runtime.openThread({ mode: "start" });
    const { turnId } = await runtime.sendTurn("[slow]", running);
    await waitFor(
      async () => (await h.device.query(chat.streamSync, { threadId: running, streamCursorsById: [] })) as { streams: unknown[] },
      (r) => r.streams.length > 0,
    );
    const firstSession = runtime.sessionId;
    runtime.bridge.child!.kill("SIGKILL");

    await done(running, turnId, "failed");
    await waitFor(async () => runtime.getLifecycleState(), (s) => s.phase === "running" && runtime.sessionId !== firstSession);
    // Loaded in the new codex: the thread whose turn the crash cut, and the most recent other (the bound is 1).
    expect((await runtime.listLoadedThreads()).data.sort()).toEqual([recent, running].sort());
    expect(errors.filter((context) => /resuming thread/.test(context))).toEqual([]);

    // A device's turn for a thread not resumed: the runtime resumes it for the command.
    await h.device.mutation(chat.registerTurnStart, { threadId: oldest, inputText: "later", idempotencyKey: "later-1", deviceId: "phone" });
    await waitFor(() => turns(h, oldest), (list) => list.length === 2 && list.every((t) => t.status === "completed"));
    expect(JSON.stringify(h.model.requests.at(-1)!.body.input)).toContain("first");
    expect((await runtime.listLoadedThreads()).data).toContain(oldest);
  }, 60_000);

  test("backend writes failing for a while: nothing is lost or doubled once they succeed", async () => {
    const scenario = async (h: Harness) => {
      await h.runtime.connect();
      const { threadId } = await h.runtime.openThread({ mode: "start" });
      h.model.enqueue({ type: "text", text: "Streamed through a flaky backend: one, two, three.", chunks: 9 });
      const first = await h.runtime.sendTurn("first");
      await waitFor(() => turns(h, threadId), (l) => l.find((t) => t.turnId === first.turnId)?.status === "completed");
      const second = await h.runtime.sendTurn("[reasoning] second");
      await waitFor(() => turns(h, threadId), (l) => l.find((t) => t.turnId === second.turnId)?.status === "completed");
      await h.runtime.flush();
      const msgs = (await messages(h, threadId)).map((m) => [m.role, m.text, m.status]);
      const its = (await items(h, threadId)).map((i) => [i.details.type, i.status]);
      // Newest first, even for turns started within the same second.
      expect((await turns(h, threadId)).map((t) => t.turnId)).toEqual([second.turnId, first.turnId]);
      return { msgs, its };
    };

    const clean = await scenario(await harness());

    // Ingest calls 1–6 fail: odd ones before reaching the backend, even ones after it
    // committed (the answer was lost), so re-sends hit rows that are already there.
    let calls = 0;
    let failures = 0;
    const flaky = (port: CodexPersistence): CodexPersistence => ({
      ...port,
      async ingest(args) {
        calls++;
        if (calls <= 6) {
          failures++;
          if (calls % 2 === 1) throw new Error("network down");
          await port.ingest(args);
          throw new Error("connection reset after commit");
        }
        return await port.ingest(args);
      },
    });
    const h = await harness({ wrapPersistence: flaky });
    const withFailures = await scenario(h);
    expect(failures).toBe(6);
    expect(withFailures).toEqual(clean);
    expect(clean.msgs).toEqual([
      ["user", "first", "completed"],
      ["assistant", "Streamed through a flaky backend: one, two, three.", "completed"],
      ["user", "[reasoning] second", "completed"],
      ["assistant", "second", "completed"],
    ]);
  }, 40_000);

  test("a backend that stays down does not hold stop() forever; the loss is reported", async () => {
    const down = (port: CodexPersistence): CodexPersistence => ({
      ...port,
      ingest: async () => {
        throw new Error("backend unreachable");
      },
    });
    const h = await harness({ wrapPersistence: down });
    const errors: string[] = [];
    const runtime = h.newRuntime({ flushTimeoutMs: 300, onError: (e, context) => void errors.push(`${context}: ${(e as Error).message}`) });
    await runtime.connect();
    await runtime.openThread({ mode: "start" });
    await runtime.sendTurn("nobody will store this");
    await waitFor(async () => runtime.getLifecycleState(), (s) => s.turnId === undefined);
    // Without the grace period this would hang past the test's timeout.
    await runtime.stop();
    expect(errors.some((e) => /events of session .* were not persisted/.test(e))).toBe(true);
    expect(runtime.getLifecycleState().phase).toBe("stopped");
  }, 30_000);

  test("connect with the backend unreachable fails clearly and leaves no codex running", async () => {
    const h = await harness({
      wrapPersistence: (port) => ({
        ...port,
        openSession: async () => {
          throw new Error("fetch failed");
        },
      }),
    });
    const runtime = h.newRuntime();
    await expect(runtime.connect()).rejects.toThrow(/codex started, but no backend session could be opened: fetch failed/);
    expect(runtime.bridge.isRunning).toBe(false);
    expect(runtime.getLifecycleState()).toMatchObject({ phase: "error", running: false });
  }, 30_000);

  test("a turn queued while no runtime ran is picked up by the next one, which resumes the thread", async () => {
    const h = await harness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const first = await h.runtime.sendTurn("before the laptop slept");
    await waitFor(() => turns(h, threadId), (l) => l.find((t) => t.turnId === first.turnId)?.status === "completed");
    await h.runtime.stop();

    await h.device.mutation(chat.registerTurnStart, {
      threadId,
      inputText: "queued while away",
      idempotencyKey: "away-1",
      deviceId: "phone",
    });
    // A fresh runtime opens no thread itself: the queued command is its only cue.
    const next = h.newRuntime();
    await next.connect();
    const list = await waitFor(() => turns(h, threadId), (l) => l.length === 2 && l.every((t) => t.status === "completed"));
    expect(list).toHaveLength(2);
    expect((await messages(h, threadId)).map((m) => m.text)).toEqual([
      "before the laptop slept",
      "You said: before the laptop slept",
      "queued while away",
      "You said: queued while away",
    ]);
    // codex resumed the thread: the model saw the earlier turn in the history.
    expect(JSON.stringify(h.model.requests.at(-1)!.body.input)).toContain("before the laptop slept");
  }, 30_000);
});
