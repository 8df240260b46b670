// codex-only mode, lifecycle push + snapshot, and the conversation controls — against the
// REAL codex binary and the scripted model on 127.0.0.1. No backend at all.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCommandExecutionApprovalResponse } from "../app-server/index.js";
import type { BridgeEvent } from "../bridge/index.js";
import { prepareScriptedCodexHome, startScriptedModelServer, type CodexLaunch, type ScriptedModelServer } from "../scripted-model/index.js";
import type { LifecycleState } from "./lifecycle.js";
import { createCodexHostRuntime, type CodexHostRuntime } from "./runtime.js";

let model: ScriptedModelServer;
let launch: CodexLaunch;
let cwd: string;
let runtime: CodexHostRuntime;
const events: BridgeEvent[] = [];
const globals: string[] = [];
const phases: string[] = [];

beforeAll(async () => {
  model = await startScriptedModelServer();
  launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
  cwd = mkdtempSync(join(tmpdir(), "codex-only-"));
  runtime = createCodexHostRuntime({
    mode: "codex-only",
    bridge: { codexBin: launch.command, args: launch.args, env: launch.env, cwd },
    thread: { cwd, approvalPolicy: "untrusted" },
    onEvent: (e) => void events.push(e),
    onGlobalMessage: (m) => void globals.push(m.kind === "notification" ? m.method : m.kind),
  });
  runtime.subscribeLifecycle((s) => void phases.push(s.phase));
});
afterAll(async () => {
  await runtime.stop();
  await model.close();
  launch.cleanup();
  rmSync(cwd, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
});

async function until<T>(read: () => T, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
const turnDone = (turnId: string) => () => events.some((e) => e.event.eventId === `${turnId}/turn/completed`);

describe("codex-only runtime", () => {
  test("refuses to run without connect/openThread, with a clear error", async () => {
    expect(runtime.getLifecycleState()).toMatchObject({ phase: "idle", running: false });
    await expect(runtime.sendTurn("hi")).rejects.toThrow(/not connected/);
    expect(() => createCodexHostRuntime({ mode: "codex+replica" })).toThrow(/persistence/);
  });

  test("lifecycle: snapshot and push follow connect, turns and their end", async () => {
    const seen: LifecycleState[] = [];
    const unsubscribe = runtime.subscribeLifecycle((s) => void seen.push(s));
    await runtime.connect();
    const { threadId } = await runtime.openThread({ mode: "start" });
    expect(runtime.getLifecycleState()).toMatchObject({ running: true, phase: "running", threadId, turnId: undefined });
    const { turnId } = await runtime.sendTurn("hello");
    expect(runtime.getLifecycleState().turnId).toBe(turnId);
    await until(() => runtime.getLifecycleState().turnId, (t) => t === undefined);
    unsubscribe();
    expect(phases.slice(0, 2)).toEqual(["starting", "running"]);
    expect(seen.some((s) => s.turnId === turnId && s.source !== "process_exit")).toBe(true);
    expect(seen.at(-1)).toMatchObject({ turnId: undefined, source: "bridge_event" });
    // codex's start-up warning belongs to no thread: it went to onGlobalMessage, not onEvent.
    expect(globals).toContain("configWarning");
    // Events reached onEvent with codex's own ids.
    expect(events.some((e) => e.event.type === "stream_delta" && e.threadId === threadId)).toBe(true);
  }, 20_000);

  test("a server request waits for respondToServerRequest", async () => {
    const { turnId } = await runtime.sendTurn("[command] echo answered-locally");
    const [request] = await until(() => runtime.listPendingServerRequests(), (l) => l.length === 1);
    expect(request?.method).toBe("item/commandExecution/requestApproval");
    runtime.respondToServerRequest(request!.id, buildCommandExecutionApprovalResponse("accept"));
    await until(turnDone(turnId), Boolean);
    const output = events.find(
      (e) => e.event.type === "lifecycle_event" && e.event.kind === "item/completed" && e.event.payloadJson.includes("answered-locally\\n"),
    );
    expect(output).toBeDefined();
    expect(runtime.listPendingServerRequests()).toEqual([]);
  }, 20_000);

  test("conversation controls: rename, read, list (with message counts), rollback, fork, archive", async () => {
    const threadId = runtime.threadId!;
    await runtime.setThreadName("Demo thread");
    await until(() => events.some((e) => e.message.kind === "notification" && e.message.method === "thread/name/updated"), Boolean);

    const read = await runtime.readThread();
    expect(read.thread.name).toBe("Demo thread");
    const turnIds = read.thread.turns.map((t) => t.id);
    expect(turnIds).toHaveLength(2);

    const listed = await runtime.listThreads({ limit: 10 });
    const mine = listed.data.find((t) => t.threadId === threadId);
    // Two turns, each a user message and an agent reply.
    expect(mine).toMatchObject({ threadId, messageCount: 4 });
    expect(typeof mine!.updatedAt).toBe("number");
    expect(listed).toHaveProperty("nextCursor");

    // Rolling back to before the second turn leaves the first.
    await runtime.rollbackThread(turnIds[1]!);
    expect((await runtime.readThread()).thread.turns.map((t) => t.id)).toEqual([turnIds[0]]);

    const { threadId: forkId } = await runtime.openThread({ mode: "fork", threadId });
    expect(forkId).not.toBe(threadId);
    expect(runtime.getLifecycleState().threadId).toBe(forkId);
    await runtime.archiveThread(forkId);
    const afterArchive = await runtime.listThreads({ limit: 10 });
    expect(afterArchive.data.map((t) => t.threadId)).not.toContain(forkId);
    await runtime.unarchiveThread(forkId);
    await expect(runtime.openThread({ mode: "resume", threadId: "  " })).rejects.toThrow(/non-empty threadId/);
  }, 20_000);

  test("stop: codex exits, lifecycle ends stopped", async () => {
    await runtime.stop();
    expect(runtime.getLifecycleState()).toMatchObject({ phase: "stopped", running: false });
    expect(runtime.bridge.isRunning).toBe(false);
  });
});
