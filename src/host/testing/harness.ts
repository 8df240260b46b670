/**
 * One end-to-end setup: the scripted model on 127.0.0.1, a private CODEX_HOME pointing the
 * REAL codex binary at it, the dev backend (apps/dev-backend: the example app + component on
 * convex-test, served over Convex's sync protocol), and a host runtime in `codex+replica`
 * mode persisting into it through the real `ConvexClient` over WebSocket — commands arrive
 * by subscription, as on a user's machine. `device` is another `ConvexClient` signed in as
 * the same user (another device); nothing leaves loopback.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConvexClient } from "convex/browser";
import { getFunctionName } from "convex/server";
import type { Value } from "convex/values";
import { startDevBackend, type DevBackend } from "../../../apps/dev-backend/src/index.js";
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

/** The example app's generated host API (`api.codex`, convex/codex.ts), typed: the references a deployment's client would use. */
export const chat = api.codex;

export type Harness = {
  model: ScriptedModelServer;
  backend: BackendEndpoint;
  /** The dev backend the harness started (unset when given `backend`), for faults such as dropped sockets. */
  dev?: DevBackend;
  /** The signed-in user, as seen from another device (a second `ConvexClient`). */
  device: ConvexCaller;
  /** A new `ConvexClient` signed in as `subject` (closed with the harness). */
  connect(subject?: string): ConvexClient;
  persistence: CodexPersistence;
  /** Another port to the same backend as the same user, not wrapped (a host that replaces one that died). */
  newPersistence(): CodexPersistence;
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
  codexHome?: Pick<ScriptedCodexHomeOptions, "chatgptAuth" | "requestMaxRetries" | "streamMaxRetries" | "streamIdleTimeoutMs">;
  /** A running backend to use (left running on close). Default: a new dev backend on port 0. */
  backend?: BackendEndpoint;
};

/** Where the clients connect, and how they get a token for a user. */
export type BackendEndpoint = { url: string; token(subject: string): Promise<string> };

/** A dev backend as an endpoint: its own dev tokens, good for a day. */
export const endpointOf = (backend: DevBackend): BackendEndpoint => ({
  url: backend.url,
  token: async (subject) => backend.mintToken({ subject, expiresInSeconds: 24 * 3600 }),
});

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const model = await startScriptedModelServer(options.model);
  const launch = prepareScriptedCodexHome({ ...options.codexHome, modelBaseUrl: model.baseUrl });
  const cwd = mkdtempSync(join(tmpdir(), "codex-e2e-cwd-"));
  // codex runs commands in a login shell: an empty HOME keeps the machine's shell profile
  // (and whatever it prints) out of command output.
  const home = mkdtempSync(join(tmpdir(), "codex-e2e-home-"));
  const owned = options.backend ? undefined : await startDevBackend();
  const backend = options.backend ?? endpointOf(owned!);
  const subject = options.subject ?? "dev-user";
  const clients: ConvexClient[] = [];
  const connect = (user = subject) => {
    const client = new ConvexClient(backend.url, { logger: false });
    client.setAuth(() => backend.token(user));
    clients.push(client);
    return client;
  };
  const base = createConvexPersistence({ client: connect(), deviceId: "laptop" });
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
    ...(owned ? { dev: owned } : {}),
    device: connect(),
    connect,
    persistence,
    newPersistence: () => createConvexPersistence({ client: connect(), deviceId: "laptop" }),
    runtime,
    cwd,
    bridgeConfig,
    newRuntime,
    async close() {
      for (const r of runtimes) await r.stop().catch(() => undefined);
      for (const client of clients) await client.close();
      await owned?.stop();
      await model.close();
      launch.cleanup();
      rmSync(cwd, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
      rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
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

/**
 * The app's functions called in process as `subject`, through the dev backend (no socket):
 * for fast unit tests of the persistence adapter. No `onUpdate`, so watchers poll.
 */
export function inProcessCaller(backend: DevBackend, subject: string): ConvexCaller {
  const user = backend.as(subject);
  return {
    query: (ref, args) => user.query(getFunctionName(ref), args as Record<string, Value>) as never,
    mutation: (ref, args) => user.mutation(getFunctionName(ref), args as Record<string, Value>) as never,
  };
}
