// CodexLocalBridge against the REAL codex binary (scripted model on 127.0.0.1).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCommandExecutionApprovalResponse, buildThreadStartRequest, buildTurnStartTextRequest } from "../app-server/index.js";
import { prepareScriptedCodexHome, startScriptedModelServer, type CodexLaunch, type ScriptedModelServer } from "../scripted-model/index.js";
import { CodexLocalBridge, type BridgeEvent, type BridgeExit } from "./index.js";
import { RingLog } from "./ringLog.js";
import { SerialQueue } from "./serialQueue.js";
import { resolveCodexBinary } from "./codexBinary.js";

let model: ScriptedModelServer;
let launch: CodexLaunch;
let cwd: string;
beforeAll(async () => {
  model = await startScriptedModelServer();
  launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
  cwd = mkdtempSync(join(tmpdir(), "bridge-cwd-"));
});
afterAll(async () => {
  await model.close();
  launch.cleanup();
  rmSync(cwd, { recursive: true, force: true });
});

const config = () => ({ codexBin: launch.command, args: launch.args, env: launch.env, cwd });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 10_000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await sleep(10);
  }
}

describe("CodexLocalBridge", () => {
  test("by default spawns the installed @openai/codex native binary", () => {
    expect(resolveCodexBinary()).toMatch(/vendor\/[^/]+\/bin\/codex$/);
  });

  test("lines are handled strictly in order even when a handler is slow; server requests wait their turn", async () => {
    const seen: string[] = [];
    let inHandler = 0;
    let overlap = false;
    const exits: BridgeExit[] = [];
    const bridge = new CodexLocalBridge(config(), {
      onEvent: async (e: BridgeEvent) => {
        inHandler++;
        if (inHandler > 1) overlap = true;
        // A slow persistence write: the next line must wait for it.
        await sleep(e.event.type === "stream_delta" ? 15 : 2);
        seen.push(e.event.eventId);
        inHandler--;
      },
      onServerRequest: (request) => {
        // Its own event was handled first.
        seen.push(`answer:${String(request.id)}`);
        return buildCommandExecutionApprovalResponse("accept");
      },
      onProcessExit: (exit) => void exits.push(exit),
    });
    await bridge.start();
    const { thread } = await bridge.request(buildThreadStartRequest({ cwd, approvalPolicy: "untrusted" }));
    model.enqueue({ type: "command", command: "echo ordered", finalText: "Done in order." });
    const { turn } = await bridge.request(buildTurnStartTextRequest(thread.id, "run it"));
    await until(() => seen.includes(`${turn.id}/turn/completed`));
    expect(overlap).toBe(false);
    const requestEvent = seen.findIndex((id) => id === `${turn.id}/request/0`);
    expect(requestEvent).toBeGreaterThan(-1);
    expect(seen[requestEvent + 1]).toBe("answer:0");
    // Deltas of the final message arrive in cursor order.
    const cursors = seen.filter((id) => id.includes("/agentMessage@")).map((id) => Number(id.split("@")[1]));
    expect(cursors.length).toBeGreaterThan(1);
    expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
    expect(seen.at(-1)).toBe(`${turn.id}/turn/completed`);
    await bridge.stop();
    expect(exits).toHaveLength(1);
    expect(exits[0]).toMatchObject({ expected: true, willRestart: false });
    expect(bridge.isRunning).toBe(false);
  }, 30_000);

  test("a missing binary fails start() with a clear error and reports the exit", async () => {
    const exits: BridgeExit[] = [];
    const bridge = new CodexLocalBridge(
      { ...config(), codexBin: join(cwd, "no-such-codex"), restart: { maxRestarts: 3 } },
      { onProcessExit: (exit) => void exits.push(exit) },
    );
    await expect(bridge.start()).rejects.toThrow(/could not start codex app-server: .*ENOENT/);
    await until(() => exits.length === 1);
    expect(exits[0]).toMatchObject({ expected: false, willRestart: false });
    expect(exits[0]!.error?.message).toMatch(/ENOENT/);
  });

  test("codex dying is reported with its stderr tail, and the bridge restarts it", async () => {
    const exits: BridgeExit[] = [];
    let ready = 0;
    const bridge = new CodexLocalBridge(
      { ...config(), restart: { maxRestarts: 1, baseDelayMs: 5 } },
      { onProcessExit: (exit) => void exits.push(exit), onReady: () => void ready++ },
    );
    await bridge.start();
    const firstPid = bridge.child!.pid;
    bridge.child!.kill("SIGKILL");
    await until(() => exits.length === 1 && ready === 2 && bridge.isRunning);
    expect(exits[0]).toMatchObject({ signal: "SIGKILL", expected: false, willRestart: true });
    expect(bridge.child!.pid).not.toBe(firstPid);
    // What codex said on stderr before dying is kept for the report.
    expect(exits[0]!.stderrTail.join("\n")).toMatch(/helper binaries|bubblewrap/);
    // The restarted codex answers requests.
    const { thread } = await bridge.request(buildThreadStartRequest({ cwd }));
    expect(thread.id).toBeTruthy();
    await bridge.stop();
    expect(exits.at(-1)).toMatchObject({ expected: true });
  }, 30_000);
  test("a codex that stops answering (a request timed out) is killed as hung and restarted", async () => {
    const exits: BridgeExit[] = [];
    let ready = 0;
    const bridge = new CodexLocalBridge(
      // The native binary itself, so the stopped process is the bridge's child; no periodic probe here.
      { ...config(), codexBin: resolveCodexBinary(), restart: { maxRestarts: 1, baseDelayMs: 5 }, liveness: { intervalMs: 600_000, timeoutMs: 300 } },
      { onProcessExit: (exit) => void exits.push(exit), onReady: () => void ready++ },
    );
    await bridge.start();
    const hung = bridge.child!;
    hung.kill("SIGSTOP");
    await expect(bridge.request(buildThreadStartRequest({ cwd }), { timeoutMs: 200 })).rejects.toThrow(/timed out/);
    await until(() => exits.length === 1 && ready === 2 && bridge.isRunning);
    expect(exits[0]).toMatchObject({ signal: "SIGKILL", expected: false, willRestart: true, hung: true });
    expect(hung.exitCode !== null || hung.signalCode !== null).toBe(true);
    const { thread } = await bridge.request(buildThreadStartRequest({ cwd }));
    expect(thread.id).toBeTruthy();
    await bridge.stop();
  }, 30_000);
});

describe("building blocks", () => {
  test("the stderr ring keeps the last lines, each cut to size", () => {
    const ring = new RingLog(3, 5);
    for (const line of ["a", "b", "c", "d", "a very long line"]) ring.push(line);
    expect(ring.tail()).toEqual(["c", "d", "a ver…"]);
    expect(ring.droppedCount).toBe(2);
  });

  test("the serial queue runs async tasks one at a time, in order, past a failure", async () => {
    const errors: unknown[] = [];
    const queue = new SerialQueue((e) => errors.push(e));
    const log: string[] = [];
    void queue.push(async () => {
      await sleep(10);
      log.push("slow");
    });
    void queue.push(() => {
      throw new Error("boom");
    });
    void queue.push(() => void log.push("fast"));
    await queue.idle();
    expect(log).toEqual(["slow", "fast"]);
    expect(errors).toHaveLength(1);
  });
});
