/**
 * One end-to-end setup: the scripted model on 127.0.0.1, a private CODEX_HOME pointing the
 * REAL codex binary at it, the example app + component in process, and a host runtime in
 * `codex+replica` mode persisting into it. `device` calls the app's wrappers as another
 * device of the same user would; nothing leaves loopback.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api } from "../../../apps/example/convex/_generated/api.js";
import {
  prepareScriptedCodexHome,
  startScriptedModelServer,
  type ScriptedCodexHomeOptions,
  type ScriptedModelServer,
  type ScriptedModelServerOptions,
} from "../../scripted-model/index.js";
import type { CodexLocalBridgeConfig } from "../../bridge/index.js";
import { createConvexPersistence } from "../persistence/convexPersistence.js";
import type { ConvexCaller } from "../persistence/convexCaller.js";
import type { CodexPersistence } from "../persistence/port.js";
import { createCodexHostRuntime, type CodexHostRuntime, type CodexHostRuntimeOptions } from "../runtime.js";
import { createInProcessConvex, type InProcessConvex } from "./inProcessConvex.js";

/** The example app's wrappers, typed (the same references a deployment's client would use). */
export const chat = api.chat;

export type Harness = {
  model: ScriptedModelServer;
  backend: InProcessConvex;
  /** The signed-in user, as seen from another device. */
  device: ConvexCaller;
  persistence: CodexPersistence;
  runtime: CodexHostRuntime;
  cwd: string;
  /** How the runtimes run codex (private CODEX_HOME, scripted model). */
  bridgeConfig: CodexLocalBridgeConfig;
  /** A second runtime on the same CODEX_HOME and backend (e.g. after a crash). */
  newRuntime(overrides?: Partial<CodexHostRuntimeOptions>): CodexHostRuntime;
  close(): Promise<void>;
};

export type HarnessOptions = {
  subject?: string;
  /** Wraps the persistence port (e.g. to inject failures). */
  wrapPersistence?: (port: CodexPersistence) => CodexPersistence;
  runtime?: Partial<CodexHostRuntimeOptions>;
  /** How the scripted model answers (e.g. `itemIds: "perResponse"`). */
  model?: ScriptedModelServerOptions;
  /** How codex is configured for it (e.g. `chatgptAuth`). */
  codexHome?: Pick<ScriptedCodexHomeOptions, "chatgptAuth">;
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const model = await startScriptedModelServer(options.model);
  const launch = prepareScriptedCodexHome({ ...options.codexHome, modelBaseUrl: model.baseUrl });
  const cwd = mkdtempSync(join(tmpdir(), "codex-e2e-cwd-"));
  // codex runs commands in a login shell: an empty HOME keeps the machine's shell profile
  // (and whatever it prints) out of command output.
  const home = mkdtempSync(join(tmpdir(), "codex-e2e-home-"));
  const backend = await createInProcessConvex();
  const subject = options.subject ?? "dev-user";
  const base = createConvexPersistence({ client: backend.as(subject), deviceId: "laptop" });
  const persistence = options.wrapPersistence ? options.wrapPersistence(base) : base;
  const runtimes: CodexHostRuntime[] = [];
  const bridgeConfig: CodexLocalBridgeConfig = {
    codexBin: launch.command,
    args: launch.args,
    env: { ...launch.env, HOME: home },
    cwd,
    // Signing in with client-supplied ChatGPT tokens is one of codex's experimental methods.
    ...(options.codexHome?.chatgptAuth ? { experimentalApi: true } : {}),
  };
  const newRuntime = (overrides: Partial<CodexHostRuntimeOptions> = {}) => {
    const runtime = createCodexHostRuntime({
      mode: "codex+replica",
      persistence,
      deviceId: "laptop",
      bridge: bridgeConfig,
      thread: { cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" },
      outbox: { flushIntervalMs: 50, retry: { baseDelayMs: 20, maxDelayMs: 200 } },
      onError: () => undefined,
      ...options.runtime,
      ...overrides,
    });
    runtimes.push(runtime);
    return runtime;
  };
  const runtime = newRuntime();
  return {
    model,
    backend,
    device: backend.as(subject),
    persistence,
    runtime,
    cwd,
    bridgeConfig,
    newRuntime,
    async close() {
      for (const r of runtimes) await r.stop().catch(() => undefined);
      backend.close();
      await model.close();
      launch.cleanup();
      rmSync(cwd, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `done` holds (or fails after `timeoutMs`). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2_000)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
