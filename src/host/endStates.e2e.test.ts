// End to end: every command, turn and request reaches an end state, and says plainly which.
// REAL codex, scripted model on 127.0.0.1, component in process; read back through the
// example app's queries.
import { afterEach, describe, expect, test } from "vitest";
import { buildThreadStartRequest, buildTurnStartTextRequest } from "../app-server/index.js";
import type { CodexPersistence } from "./persistence/port.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 100, cursor: null };
type Msg = { role: string; text: string; status: string; turnId: string };
type Turn = { turnId: string; status: string; commandId?: string };
type Command = { status: string; turnId?: string; steeredInto?: string; error?: string };

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
const state = async (h: Harness, threadId: string) =>
  (await h.device.query(chat.threadState, { threadId })) as { recentTurns: Turn[]; openCommands: unknown[] };
const command = async (h: Harness, commandId: string) => (await h.device.query(chat.commandStatus, { commandId })) as Command;

describe("end states", () => {
  test("a turn sent while one runs is folded by codex into it: its command says so, the abandoned reply is interrupted", async () => {
    const h = await harness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const send = async (inputText: string) =>
      ((await h.device.mutation(chat.registerTurnStart, { threadId, inputText, idempotencyKey: inputText, deviceId: "phone" })) as { commandId: string })
        .commandId;
    const first = await send("[slow]");
    await waitFor(
      async () => (await h.device.query(chat.streamSync, { threadId, streamCursorsById: [] })) as { streams: unknown[] },
      (r) => r.streams.length > 0,
    );
    const second = await send("and another thing");
    const done = await waitFor(() => state(h, threadId), (s) => s.recentTurns[0]?.status === "completed" && s.openCommands.length === 0, 20_000);

    // codex ran one turn: the second input steered it.
    expect(done.recentTurns).toHaveLength(1);
    const turnId = done.recentTurns[0]!.turnId;
    expect(done.recentTurns[0]!.commandId).toBe(first);
    expect(await command(h, first)).toMatchObject({ status: "done", turnId });
    expect(await command(h, second)).toMatchObject({ status: "done", turnId, steeredInto: turnId });
    const list = await messages(h, threadId);
    expect(list.map((m) => [m.role, m.status])).toEqual([
      ["user", "completed"],
      ["assistant", "interrupted"],
      ["user", "completed"],
      ["assistant", "completed"],
    ]);
    expect(list[1]!.text).toMatch(/^(still going… )+/);
    expect(list[3]!.text).toBe("You said: and another thing");
  }, 40_000);

  test("a thread this runtime did not open is not persisted (no ghost thread); it is reported", async () => {
    const reported: string[] = [];
    const h = await harness({ runtime: { onError: (error, context) => void reported.push(`${context}: ${(error as Error).message}`) } });
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    // Someone drives codex past the runtime, through the raw bridge.
    const { thread } = await h.runtime.bridge.request(buildThreadStartRequest({ cwd: h.cwd }));
    await h.runtime.bridge.request(buildTurnStartTextRequest(thread.id, "behind the runtime's back"));
    const { turnId } = await h.runtime.sendTurn("through the runtime");
    await waitFor(() => state(h, threadId), (s) => s.recentTurns.find((t) => t.turnId === turnId)?.status === "completed");
    await h.runtime.flush();

    const threads = (await h.device.query(chat.listThreads, { paginationOpts: { numItems: 10, cursor: null } })) as { page: Array<{ threadId: string }> };
    expect(threads.page.map((t) => t.threadId)).toEqual([threadId]);
    expect(reported.filter((r) => r.includes(thread.id))).toEqual([expect.stringMatching(/did not open; not persisted/)]);
  }, 40_000);

  test("stop() is bounded when the backend's calls never settle (a WebSocket client holding them), and says what was lost", async () => {
    // From the moment a device's command is claimed, the backend is gone: every call is held, never answered.
    let hang = false;
    const never = new Promise<never>(() => undefined);
    const holding = (port: CodexPersistence): CodexPersistence => {
      const held = Object.fromEntries(
        Object.entries(port).map(([name, call]) => [
          name,
          name === "watchPendingCommands" ? call : (...args: unknown[]) => (hang ? never : (call as (...a: unknown[]) => unknown)(...args)),
        ]),
      ) as CodexPersistence;
      return {
        ...held,
        claimCommand: async (args) => {
          await port.claimCommand(args);
          hang = true;
        },
      };
    };
    const reported: string[] = [];
    const h = await harness({
      wrapPersistence: holding,
      runtime: { flushTimeoutMs: 500, onError: (error, context) => void reported.push(`${context}: ${(error as Error).message}`) },
    });
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("before the backend went away");
    await waitFor(() => state(h, threadId), (s) => s.recentTurns.find((t) => t.turnId === turnId)?.status === "completed");
    await h.device.mutation(chat.registerTurnStart, { threadId, inputText: "[slow]", idempotencyKey: "slow", deviceId: "phone" });
    await waitFor(async () => h.runtime.getLifecycleState(), (s) => hang && s.turnId !== undefined);
    const started = Date.now();
    await h.runtime.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(h.runtime.getLifecycleState().phase).toBe("stopped");
    const lost = reported.find((r) => r.startsWith("stopping:"));
    expect(lost).toMatch(/did not answer within 500 ms: /);
    expect(lost).toMatch(/\d+ events of session .* were not persisted/);
    expect(lost).toMatch(/the outcome of startTurn \S+ was not recorded/);
    expect(lost).toMatch(/session .* was not closed/);
  }, 30_000);

  test("after codex died and came back, the lifecycle is running again with no stale lastError", async () => {
    const h = await harness();
    const runtime = h.newRuntime({ bridge: { ...h.bridgeConfig, restart: { baseDelayMs: 10 } } });
    await runtime.connect();
    const { threadId } = await runtime.openThread({ mode: "start" });
    const before = await runtime.sendTurn("before the crash"); // codex keeps a thread once it has a turn
    await waitFor(() => state(h, threadId), (s) => s.recentTurns.find((t) => t.turnId === before.turnId)?.status === "completed");
    const first = runtime.sessionId;
    const seen: Array<{ phase: string; lastError?: string }> = [];
    runtime.subscribeLifecycle((s) => void seen.push({ phase: s.phase, lastError: s.lastError }));
    runtime.bridge.child!.kill("SIGKILL");
    await waitFor(async () => runtime.getLifecycleState(), (s) => s.phase === "running" && runtime.sessionId !== first);
    expect(seen.find((s) => s.phase === "error")?.lastError).toMatch(/exited/);
    expect(runtime.getLifecycleState().lastError).toBeUndefined();
    // The thread was resumed: the next turn works.
    const { turnId } = await runtime.sendTurn("after the restart");
    await waitFor(() => state(h, threadId), (s) => s.recentTurns.find((t) => t.turnId === turnId)?.status === "completed");
  }, 40_000);
});
