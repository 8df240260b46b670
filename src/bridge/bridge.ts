/**
 * `CodexLocalBridge`: runs `codex app-server` as a child process and hands every stdout
 * line, in order, to the caller's handlers. A handler may return a promise; the next line
 * is not handled until it settles, so events never overtake each other. Requests and
 * answers to codex go through the package's JSON-RPC client (`src/app-server`).
 *
 *   stdout line ─► JsonRpcClient (parse, classify, correlate responses)
 *                     └─onMessage─► SerialQueue ─► normalize ─► onEvent | onGlobalMessage
 *   codex server request ─► waits for its line's turn in the queue ─► onServerRequest ─► answer
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import type { JsonRpcClient } from "../app-server/jsonRpcClient.js";
import {
  buildInitializeRequest,
  buildThreadLoadedListRequest,
  isJsonRpcClientError,
  spawnAppServer,
  type AppServerProcess,
  type ClientRequestMethod,
  type ClientResponse,
  type RequestDraft,
  type RequestOptions,
} from "../app-server/index.js";
import {
  type ClassifiedMessage,
  type EventNormalizer,
  type InboundEvent,
  type ProtocolError,
  type ServerRequestMessage,
} from "../protocol/index.js";
import type { ClientInfo } from "../protocol/generated/ClientInfo.js";
import type { InitializeResponse } from "../protocol/generated/InitializeResponse.js";
import { resolveCodexBinary } from "./codexBinary.js";
import { createLinePipeline } from "./linePipeline.js";
import { RingLog } from "./ringLog.js";
import { SerialQueue } from "./serialQueue.js";

export type BridgeRestartPolicy = {
  /** Restarts in a row after unexpected exits (a process that ran `stableAfterMs` resets the count). Default 3. */
  maxRestarts?: number;
  /** A process that ran this long was healthy: its exit starts the count afresh. Default 60 s. */
  stableAfterMs?: number;
  /** First delay; doubles each attempt (with jitter). Default 250 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
};

export type CodexLocalBridgeConfig = {
  /** The codex executable. Default: the installed `@openai/codex`'s native binary. */
  codexBin?: string;
  /** Default `["app-server", "--listen", "stdio://"]`. */
  args?: string[];
  /** Environment of the child. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  clientInfo?: ClientInfo;
  experimentalApi?: boolean;
  /** Restart codex after it exits on its own. Default: off. */
  restart?: BridgeRestartPolicy | false;
  /** stderr lines kept for diagnosis. Default 200. */
  stderrLines?: number;
  /** Per JSON-RPC request. Default 60 s. */
  requestTimeoutMs?: number;
  /**
   * A codex that is alive but no longer answers JSON-RPC would hold its turns, approvals and
   * commands forever: every `intervalMs` (and whenever a request times out) the bridge asks it
   * something cheap (`thread/loaded/list`); no answer within `timeoutMs`, and no line written
   * meanwhile (busy is not hung), and it is killed: an
   * exit like any other (`hung: true`, restarted under `restart`). Default 30 s / 10 s;
   * `false` turns it off.
   */
  liveness?: { intervalMs?: number; timeoutMs?: number } | false;
};

/** A thread event: the normalized `InboundEvent`, the message it came from, and when its line arrived. */
export type BridgeEvent = {
  threadId: string;
  event: InboundEvent;
  message: ClassifiedMessage;
  /** `performance.now()` when the stdout line was read (for latency figures). */
  receivedAt: number;
};

export type BridgeExit = {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when `stop()` asked for it. */
  expected: boolean;
  /** The spawn error, when codex could not be started at all. */
  error?: Error;
  stderrTail: string[];
  willRestart: boolean;
  /** The bridge killed it: it stopped answering JSON-RPC (see `liveness`). */
  hung?: boolean;
};

export type CodexLocalBridgeHandlers = {
  /** Every thread event, strictly in stdout order. */
  onEvent?: (event: BridgeEvent) => void | Promise<void>;
  /** Messages that belong to no thread (account, config warnings, MCP status …). */
  onGlobalMessage?: (message: ClassifiedMessage) => void | Promise<void>;
  /** A line that is no valid message, or a known method with malformed params. */
  onProtocolError?: (info: { error: ProtocolError; line: string }) => void | Promise<void>;
  onProcessExit?: (exit: BridgeExit) => void | Promise<void>;
  /**
   * Answers a codex server request (approvals, user input …): return the result, or throw
   * (`JsonRpcResponseError` for a specific code). Called after the request's own line went
   * through `onEvent`. May take as long as a person needs. Without it codex gets an error.
   */
  onServerRequest?: (request: ServerRequestMessage) => unknown;
  /** A handler threw; the next line is handled regardless. Default: logged to stderr. */
  onHandlerError?: (error: unknown) => void;
  /** codex is up (after the first start and after each restart). */
  onReady?: (info: { initialize: InitializeResponse; restarts: number }) => void | Promise<void>;
};

type Running = {
  client: JsonRpcClient;
  process: AppServerProcess;
  normalizer: EventNormalizer;
  /** A first start that failed is reported by `start()` rejecting, never retried behind the caller's back. */
  noRestart: boolean;
  startedAt: number;
  /** Settles once the exit was reported to `onProcessExit`. */
  exitHandled?: Promise<void>;
  livenessTimer?: ReturnType<typeof setInterval>;
  /** Lines read so far: a codex that writes anything is alive, whatever a probe waits for. */
  activity: { lines: number };
  probing?: boolean;
  /** Killed by the bridge for not answering. */
  hung?: boolean;
};

export class CodexLocalBridge {
  private readonly stderr: RingLog;
  private readonly queue: SerialQueue;
  private running: Running | undefined;
  private stopping = false;
  private restarts = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly restartPolicy: Required<BridgeRestartPolicy> | undefined;

  constructor(
    private readonly config: CodexLocalBridgeConfig = {},
    private readonly handlers: CodexLocalBridgeHandlers = {},
  ) {
    this.stderr = new RingLog(config.stderrLines ?? 200);
    this.queue = new SerialQueue((error) => {
      if (this.handlers.onHandlerError) this.handlers.onHandlerError(error);
      else console.error("[codex-local-bridge] a handler failed:", error);
    });
    this.restartPolicy = config.restart
      ? { maxRestarts: 3, stableAfterMs: 60_000, baseDelayMs: 250, maxDelayMs: 5_000, ...config.restart }
      : undefined;
  }

  /** Spawns codex and runs the handshake. Resolves with codex's `initialize` answer. */
  start(): Promise<InitializeResponse> {
    if (this.running) return Promise.reject(new Error("codex app-server is already running"));
    this.stopping = false;
    return this.spawn(false);
  }

  get isRunning(): boolean {
    return this.running !== undefined && !this.running.client.isClosed;
  }

  /** The child, e.g. to read its pid. */
  get child(): ChildProcessWithoutNullStreams | undefined {
    return this.running?.process.child;
  }

  /** The last stderr lines of codex, oldest first. */
  stderrTail(count?: number): string[] {
    return this.stderr.tail(count);
  }

  /** Sends a request built by a `build*Request` helper and waits for codex's result. */
  async request<M extends ClientRequestMethod>(draft: RequestDraft<M>, options?: RequestOptions): Promise<ClientResponse<M>> {
    return (await this.call(draft.method, draft.params, options)) as ClientResponse<M>;
  }

  /** Untyped request, for methods without a builder. */
  async call(method: string, params: unknown, options?: RequestOptions): Promise<unknown> {
    const running = this.running;
    try {
      return await this.requireClient().call(method, params, options);
    } catch (error) {
      // A request that got no answer: is codex still there at all?
      if (running && isJsonRpcClientError(error, "timeout")) void this.probe(running);
      throw error;
    }
  }

  notify(method: string, params?: unknown): void {
    this.requireClient().notify(method, params);
  }

  /** Resolves once every line read so far has been handled. */
  drain(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops codex (stdin closed, then SIGTERM, then SIGKILL) and waits for handlers to finish. */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const running = this.running;
    if (running) {
      running.client.close();
      await running.process.stop(graceMs);
      await running.exitHandled;
    }
    await this.queue.idle();
  }

  private requireClient(): JsonRpcClient {
    const running = this.running;
    if (!running || running.client.isClosed) throw new Error("codex app-server is not running");
    return running.client;
  }

  private async spawn(isRestart: boolean): Promise<InitializeResponse> {
    const proc = spawnAppServer({
      command: this.config.codexBin ?? resolveCodexBinary(),
      args: this.config.args ?? ["app-server", "--listen", "stdio://"],
      env: this.config.env,
      cwd: this.config.cwd,
      onStderrLine: (line) => this.stderr.push(line),
    });
    let spawnError: Error | undefined;
    proc.child.once("error", (error) => (spawnError = error));
    const activity = { lines: 0 };
    const { client, normalizer } = createLinePipeline(proc.transport, this.handlers, this.queue, {
      requestTimeoutMs: this.config.requestTimeoutMs,
      onActivity: () => void activity.lines++,
    });
    const running: Running = { client, process: proc, normalizer, noRestart: false, startedAt: Date.now(), activity };
    this.running = running;
    running.exitHandled = proc.exited.then((exit) => this.handleExit(running, exit, spawnError));
    let initialize: InitializeResponse;
    try {
      initialize = await client.request(
        buildInitializeRequest(
          this.config.clientInfo ?? { name: "codex-local-component", title: "codex-local-component", version: "0.1.0" },
          { experimentalApi: this.config.experimentalApi ?? false },
        ),
      );
      client.notify("initialized");
    } catch (error) {
      await this.abandon(running, isRestart);
      const why = spawnError ?? (error as Error);
      throw new Error(`could not start codex app-server: ${why.message}${this.stderrSuffix()}`, { cause: why });
    }
    this.watchLiveness(running);
    try {
      await this.handlers.onReady?.({ initialize, restarts: this.restarts });
    } catch (error) {
      // codex is fine; the caller's setup is not (e.g. its backend is unreachable).
      await this.abandon(running, isRestart);
      throw error;
    }
    return initialize;
  }

  private watchLiveness(running: Running) {
    if (this.config.liveness === false || this.running !== running || running.client.isClosed) return;
    const intervalMs = this.config.liveness?.intervalMs ?? 30_000;
    running.livenessTimer = setInterval(() => void this.probe(running), intervalMs);
    running.livenessTimer.unref?.();
  }

  /** Kills a codex that does not answer a cheap request in time; its exit then runs as usual. */
  private async probe(running: Running) {
    if (running.probing || this.running !== running || running.client.isClosed || this.config.liveness === false) return;
    running.probing = true;
    const timeoutMs = this.config.liveness?.timeoutMs ?? 10_000;
    const linesBefore = running.activity.lines;
    try {
      await running.client.request(buildThreadLoadedListRequest({ limit: 1 }), { timeoutMs });
    } catch (error) {
      // Busy (still writing, just slow to answer) is not hung.
      if (isJsonRpcClientError(error, "timeout") && this.running === running && running.activity.lines === linesBefore) {
        running.hung = true;
        this.stderr.push(`[codex-local-bridge] codex app-server did not answer for ${timeoutMs} ms; killed`);
        running.process.child.kill("SIGKILL");
      }
    } finally {
      running.probing = false;
    }
  }

  /** Gives up on a process that never became usable. */
  private async abandon(running: Running, isRestart: boolean) {
    running.noRestart = !isRestart;
    running.client.close();
    await running.process.stop(500);
  }

  private stderrSuffix(): string {
    const tail = this.stderr.tail(5);
    return tail.length > 0 ? `\n  stderr: ${tail.join("\n  stderr: ")}` : "";
  }

  private async handleExit(
    running: Running,
    exit: { code: number | null; signal: NodeJS.Signals | null },
    spawnError: Error | undefined,
  ) {
    clearInterval(running.livenessTimer);
    if (this.running !== running) return;
    running.client.close();
    this.running = undefined;
    // Let every line codex wrote before dying reach the handlers first.
    await this.queue.idle();
    const expected = this.stopping;
    const policy = this.restartPolicy;
    if (policy && Date.now() - running.startedAt >= policy.stableAfterMs) this.restarts = 0;
    const willRestart =
      !expected && !running.noRestart && spawnError === undefined && policy !== undefined && this.restarts < policy.maxRestarts;
    await this.handlers.onProcessExit?.({
      ...exit,
      expected,
      ...(spawnError ? { error: spawnError } : {}),
      stderrTail: this.stderr.tail(20),
      willRestart,
      ...(running.hung ? { hung: true } : {}),
    });
    if (!willRestart || !policy) return;
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** this.restarts);
    this.restarts++;
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      // A failed restart is an exit like any other: reported, and maybe tried again.
      this.spawn(true).catch(() => undefined);
    }, ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
