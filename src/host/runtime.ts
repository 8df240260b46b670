/**
 * `createCodexHostRuntime`: the process on the developer's machine that runs codex and
 * keeps Convex in step with it.
 *
 * - `codex-only`: codex and nothing else (events to `onEvent`, answers through
 *   `respondToServerRequest`).
 * - `codex+replica`: every thread event goes through the ingest outbox to the backend; the
 *   runtime subscribes to the command queue of its session, CLAIMS each command before
 *   running it (so exactly one runtime runs it), runs it against codex and reports back.
 *
 * One codex process = one session: codex numbers its server requests per process, so after
 * a restart the runtime opens a new session (the old one is closed, failing what it held).
 */
import { randomUUID } from "node:crypto";
import {
  buildThreadArchiveRequest,
  buildThreadCompactStartRequest,
  buildThreadForkRequest,
  buildThreadListRequest,
  buildThreadReadRequest,
  buildThreadResumeRequest,
  buildThreadRevertRequest,
  buildThreadSetNameRequest,
  buildThreadStartRequest,
  buildThreadUnarchiveRequest,
  buildTurnInterruptRequest,
  buildTurnStartRequest,
  buildTurnSteerRequest,
  textInput,
} from "../app-server/index.js";
import {
  CodexLocalBridge,
  type BridgeEvent,
  type BridgeExit,
  type CodexLocalBridgeConfig,
} from "../bridge/index.js";
import type { InboundEvent, RequestId } from "../component/validators.js";
import type { ServerRequestMessage } from "../protocol/index.js";
import type { AskForApproval } from "../protocol/generated/v2/AskForApproval.js";
import type { SandboxMode } from "../protocol/generated/v2/SandboxMode.js";
import type { ThreadReadResponse } from "../protocol/generated/v2/ThreadReadResponse.js";
import { LifecycleStore, type LifecycleListener, type LifecycleState } from "./lifecycle.js";
import { IngestOutbox, type IngestOutboxOptions, type SentBatchInfo } from "./outbox.js";
import type { CodexPersistence, PendingCommand } from "./persistence/port.js";
import { toCodexInput } from "./turnInput.js";
import { SerialQueue } from "../bridge/serialQueue.js";

export type RuntimeMode = "codex-only" | "codex+replica";

export type ThreadSettings = {
  cwd?: string;
  model?: string;
  approvalPolicy?: AskForApproval;
  sandbox?: SandboxMode;
};

export type CodexHostRuntimeOptions = {
  mode: RuntimeMode;
  /** Required for `codex+replica`. */
  persistence?: CodexPersistence;
  /** How to run codex (binary, args, env, cwd, restart policy). */
  bridge?: CodexLocalBridgeConfig;
  /** This machine's name on sessions and ingested rows. */
  deviceId?: string;
  /** Defaults for `openThread({mode: "start"})`. */
  thread?: ThreadSettings;
  outbox?: Pick<IngestOutboxOptions, "flushIntervalMs" | "maxEvents" | "maxChars" | "retry">;
  /** How long the events of an exited codex may take to reach the backend before they are given up. Default 15 s. */
  flushTimeoutMs?: number;
  /** Session heartbeat period. Default 20 s (the component calls a session stale after 60 s). */
  heartbeatMs?: number;
  /** Every thread event, in order (before it is queued for the backend). */
  onEvent?: (event: BridgeEvent) => void;
  /**
   * Answer a codex server request locally: return the answer, or `undefined` to leave it
   * pending — for devices to answer (replica) or for `respondToServerRequest`.
   */
  onServerRequest?: (request: ServerRequestMessage) => unknown;
  /** Something went wrong that the runtime worked around (a failed send, a command that failed …). */
  onError?: (error: unknown, context: string) => void;
  /** Every ingest batch as it leaves (latency figures). */
  onBatchSent?: (info: SentBatchInfo) => void;
};

export type OpenThreadArgs =
  | ({ mode: "start" } & ThreadSettings)
  | { mode: "resume"; threadId: string }
  | { mode: "fork"; threadId: string };

export type ThreadSummary = { threadId: string; preview: string; updatedAt: number; messageCount: number };

/** A server request codex is waiting on, held until someone answers it. */
type HeldRequest = {
  request: ServerRequestMessage;
  resolve: (answer: unknown) => void;
  reject: (error: Error) => void;
};

/** What belongs to one codex process. */
type Session = {
  sessionId: string;
  outbox: IngestOutbox | undefined;
  held: Map<string, HeldRequest>;
  /** threadId → running turnId. */
  activeTurns: Map<string, string>;
  loadedThreads: Set<string>;
  unwatch?: () => void;
  heartbeat?: ReturnType<typeof setInterval>;
};

const key = (id: RequestId) => `${typeof id}:${String(id)}`;

export type CodexHostRuntime = ReturnType<typeof createCodexHostRuntime>;

export function createCodexHostRuntime(options: CodexHostRuntimeOptions) {
  const replica = options.mode === "codex+replica";
  const persistence = options.persistence;
  if (replica && !persistence) throw new Error('mode "codex+replica" needs a persistence adapter');
  const lifecycle = new LifecycleStore();
  const report = (error: unknown, context: string) => {
    if (options.onError) options.onError(error, context);
    else console.error(`[codex-host-runtime] ${context}:`, error);
  };

  let session: Session | undefined;
  let currentThreadId: string | undefined;
  let stopping = false;
  /** Commands this runtime has taken up (claimed or trying to), never run twice. */
  const seenCommands = new Set<string>();
  const commandQueue = new SerialQueue((error) => report(error, "command"));
  /** Old sessions still flushing after their codex exited. */
  const draining = new Set<Promise<void>>();

  const bridge = new CodexLocalBridge(options.bridge ?? {}, {
    onEvent: (event) => onBridgeEvent(event),
    onGlobalMessage: () => undefined,
    onProtocolError: ({ error }) => {
      report(new Error(`${error.code}: ${error.message}`), "protocol");
      lifecycle.update("protocol_error", { lastError: error.message });
    },
    onServerRequest: (request) => onServerRequest(request),
    onProcessExit: (exit) => onProcessExit(exit),
    onReady: () => beginSession(),
    onHandlerError: (error) => report(error, "event handler"),
  });

  // ---- one codex process = one session ----

  async function beginSession() {
    const previousThreads = session ? [...session.loadedThreads] : currentThreadId ? [currentThreadId] : [];
    const s: Session = {
      sessionId: randomUUID(),
      outbox: undefined,
      held: new Map(),
      activeTurns: new Map(),
      loadedThreads: new Set(),
    };
    session = s;
    if (replica && persistence) {
      await persistence.openSession({ sessionId: s.sessionId, deviceId: options.deviceId });
      s.outbox = new IngestOutbox({
        ...options.outbox,
        send: (batch) => persistence.ingest({ sessionId: s.sessionId, ...batch }),
        onSendError: (error, info) => report(error, `ingest (attempt ${info.attempt}, retry in ${Math.round(info.delayMs)} ms)`),
        onRejected: (rejected) => report(new Error(JSON.stringify(rejected)), "ingest rejected events"),
        onBatchSent: options.onBatchSent,
      });
      s.heartbeat = setInterval(() => void heartbeat(s), options.heartbeatMs ?? 20_000);
      s.heartbeat.unref?.();
    }
    // After a restart, pick the conversation up where it was.
    for (const threadId of previousThreads) {
      try {
        await bridge.request(buildThreadResumeRequest({ threadId }));
        s.loadedThreads.add(threadId);
      } catch (error) {
        report(error, `resuming thread ${threadId} after a restart`);
      }
    }
    if (replica && persistence) {
      s.unwatch = persistence.watchPendingCommands(
        { sessionId: s.sessionId },
        (commands) => onPendingCommands(s, commands),
        (error) => report(error, "pending commands subscription"),
      );
    }
    lifecycle.update("runtime", { phase: "running", threadId: currentThreadId, turnId: undefined });
  }

  async function heartbeat(s: Session) {
    try {
      await persistence!.heartbeatSession({ sessionId: s.sessionId });
    } catch (error) {
      report(error, "heartbeat");
      // A session swept as stale is never revived silently; re-opening it is explicit.
      await persistence!.openSession({ sessionId: s.sessionId, deviceId: options.deviceId }).catch(() => undefined);
    }
  }

  function endSession(s: Session, reason: string, turnStatus: "failed" | "interrupted") {
    s.unwatch?.();
    clearInterval(s.heartbeat);
    for (const held of s.held.values()) held.reject(new Error(reason));
    s.held.clear();
    const outbox = s.outbox;
    // The turns codex was running will never complete now: record them as ended.
    for (const [threadId, turnId] of s.activeTurns) {
      outbox?.push(threadId, syntheticTurnEnd(threadId, turnId, turnStatus, reason));
    }
    s.activeTurns.clear();
    if (!outbox || !persistence) return;
    const done = (async () => {
      // A backend that stays unreachable must not hold the runtime forever: after the
      // grace period, what is still queued is reported lost.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const flushed = await Promise.race([
        outbox.close().then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.flushTimeoutMs ?? 15_000))),
      ]);
      clearTimeout(timer);
      if (!flushed) {
        report(new Error(`${outbox.pending} events of session ${s.sessionId} were not persisted`), "flushing after codex exited");
        outbox.discard();
        return;
      }
      await persistence.closeSession({ sessionId: s.sessionId }).catch((error: unknown) => report(error, "closing session"));
    })();
    draining.add(done);
    void done.finally(() => draining.delete(done));
  }

  // ---- codex → backend ----

  async function onBridgeEvent(event: BridgeEvent) {
    const s = session;
    const { message, threadId } = event;
    if (s && message.kind === "notification") {
      if (message.method === "turn/started") {
        const turnId = (message.params as { turn: { id: string } }).turn.id;
        s.activeTurns.set(threadId, turnId);
        if (threadId === currentThreadId) lifecycle.update("bridge_event", { turnId });
      } else if (message.method === "turn/completed") {
        const turnId = (message.params as { turn: { id: string } }).turn.id;
        if (s.activeTurns.get(threadId) === turnId) s.activeTurns.delete(threadId);
        for (const [k, held] of s.held) {
          const params = held.request.params as { threadId?: string; turnId?: string };
          if (params.threadId === threadId && params.turnId === turnId) {
            held.reject(new Error("the turn ended"));
            s.held.delete(k);
          }
        }
        if (threadId === currentThreadId) lifecycle.update("bridge_event", { turnId: undefined });
      } else if (message.method === "thread/started") {
        s.loadedThreads.add(threadId);
      }
    }
    options.onEvent?.(event);
    s?.outbox?.push(threadId, event.event, event.receivedAt);
  }

  function onServerRequest(request: ServerRequestMessage): unknown {
    const local = options.onServerRequest?.(request);
    if (local !== undefined) return local;
    const s = session;
    if (!s) throw new Error("no codex session");
    return new Promise((resolve, reject) => s.held.set(key(request.id), { request, resolve, reject }));
  }

  async function onProcessExit(exit: BridgeExit) {
    const s = session;
    const reason = exit.expected
      ? "codex app-server was stopped by the host"
      : `codex app-server exited (${exit.signal ?? `code ${exit.code}`})${exit.error ? `: ${exit.error.message}` : ""}`;
    if (s) endSession(s, reason, exit.expected ? "interrupted" : "failed");
    if (exit.expected || stopping) {
      lifecycle.update("process_exit", { phase: "stopped", turnId: undefined });
    } else {
      lifecycle.update("process_exit", { phase: "error", turnId: undefined, lastError: reason });
    }
  }

  // ---- devices → codex (the control plane) ----

  function onPendingCommands(s: Session, commands: PendingCommand[]) {
    for (const command of commands) {
      if (seenCommands.has(command._id) || session !== s || !bridge.isRunning) continue;
      seenCommands.add(command._id);
      void commandQueue.push(async () => {
        try {
          await runCommand(s, command);
        } finally {
          // A later delivery of the same command fails its claim; nothing runs twice.
          seenCommands.delete(command._id);
        }
      });
    }
  }

  /**
   * Whether this codex can run the command, decided BEFORE claiming so a command for a
   * thread living on another machine stays queued for that machine's runtime.
   */
  async function canRun(s: Session, command: PendingCommand): Promise<boolean> {
    if (command.kind === "respondServerRequest") return command.targetSessionId === s.sessionId;
    if (s.loadedThreads.has(command.threadId)) return true;
    if (command.kind !== "startTurn") return false; // a running turn lives where it was started
    try {
      await bridge.request(buildThreadReadRequest(command.threadId, false));
      return true; // codex has the thread on this machine: it can resume it
    } catch {
      return false;
    }
  }

  async function runCommand(s: Session, command: PendingCommand) {
    const sessionId = s.sessionId;
    if (!(await canRun(s, command))) return;
    try {
      await persistence!.claimCommand({ sessionId, commandId: command._id });
    } catch {
      return; // Someone else has it (or it was withdrawn): only claimed commands run.
    }
    let turnId: string | undefined;
    let error: string | undefined;
    try {
      turnId = await execute(s, command);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      report(e, `command ${command.kind}`);
    }
    await persistence!
      .completeCommand({ sessionId, commandId: command._id, ...(error !== undefined ? { error } : { turnId }) })
      .catch((e: unknown) => report(e, "completing a command"));
  }

  /** Runs one claimed command; returns the codex turnId a startTurn started. */
  async function execute(s: Session, command: PendingCommand): Promise<string | undefined> {
    switch (command.kind) {
      case "startTurn": {
        await ensureLoaded(s, command.threadId);
        const { turn } = await bridge.request(
          buildTurnStartRequest({ threadId: command.threadId, input: toCodexInput(command.input ?? []) }),
        );
        s.activeTurns.set(command.threadId, turn.id);
        return turn.id;
      }
      case "steerTurn": {
        const turnId = command.turnId ?? s.activeTurns.get(command.threadId);
        if (!turnId) throw new Error(`no running turn in thread ${command.threadId} to steer`);
        await bridge.request(buildTurnSteerRequest(command.threadId, turnId, toCodexInput(command.input ?? [])));
        return undefined;
      }
      case "interruptTurn": {
        const turnId = command.turnId ?? s.activeTurns.get(command.threadId);
        if (!turnId) throw new Error(`no running turn in thread ${command.threadId} to interrupt`);
        await bridge.request(buildTurnInterruptRequest(command.threadId, turnId));
        return undefined;
      }
      case "respondServerRequest": {
        if (command.requestId === undefined || command.responseJson === undefined) {
          throw new Error("respondServerRequest without requestId/responseJson");
        }
        answer(s, command.requestId, JSON.parse(command.responseJson));
        return undefined;
      }
    }
  }

  function answer(s: Session, requestId: RequestId, result: unknown) {
    const held = s.held.get(key(requestId));
    if (!held) throw new Error(`codex is not waiting for request ${String(requestId)} (any more)`);
    s.held.delete(key(requestId));
    held.resolve(result);
  }

  async function ensureLoaded(s: Session, threadId: string) {
    if (s.loadedThreads.has(threadId)) return;
    await bridge.request(buildThreadResumeRequest({ threadId }));
    s.loadedThreads.add(threadId);
  }

  // ---- the runtime's own API ----

  function requireSession(): Session {
    if (!session || !bridge.isRunning) throw new Error("the runtime is not connected (call connect() first)");
    return session;
  }

  function requireThread(threadId?: string): string {
    const id = threadId ?? currentThreadId;
    if (!id) throw new Error("no thread is open (call openThread() first)");
    return id;
  }

  return {
    mode: options.mode,
    /** The bridge underneath (its child process, stderr tail, raw requests). */
    bridge,

    /** Starts codex, opens a session and (replica) starts taking commands. */
    async connect(): Promise<LifecycleState> {
      stopping = false;
      lifecycle.update("runtime", { phase: "starting", lastError: undefined });
      try {
        await bridge.start();
      } catch (error) {
        lifecycle.update("runtime", { phase: "error", lastError: (error as Error).message });
        throw error;
      }
      return lifecycle.get();
    },

    /** Opens a thread in codex (and in the backend): `start` a new one, `resume` or `fork` an existing one. */
    async openThread(args: OpenThreadArgs): Promise<{ threadId: string }> {
      const s = requireSession();
      let threadId: string;
      let model: string | undefined;
      let cwd: string | undefined;
      if (args.mode === "start") {
        const settings = { ...options.thread, ...stripMode(args) };
        const { thread } = await bridge.request(buildThreadStartRequest(settings));
        threadId = thread.id;
        model = thread.model ?? undefined;
        cwd = thread.cwd ?? undefined;
      } else {
        const id = args.threadId.trim();
        if (!id) throw new Error(`openThread(${args.mode}) needs a non-empty threadId`);
        const { thread } =
          args.mode === "resume"
            ? await bridge.request(buildThreadResumeRequest({ threadId: id }))
            : await bridge.request(buildThreadForkRequest({ threadId: id }));
        threadId = thread.id;
        model = thread.model ?? undefined;
        cwd = thread.cwd ?? undefined;
      }
      s.loadedThreads.add(threadId);
      currentThreadId = threadId;
      if (persistence && replica) await persistence.ensureThread({ threadId, model, cwd });
      lifecycle.update("runtime", { threadId, turnId: s.activeTurns.get(threadId) });
      return { threadId };
    },

    /** Starts a turn in the open thread from this machine. */
    async sendTurn(text: string, threadId?: string): Promise<{ turnId: string }> {
      const s = requireSession();
      const id = requireThread(threadId);
      const { turn } = await bridge.request(buildTurnStartRequest({ threadId: id, input: [textInput(text)] }));
      s.activeTurns.set(id, turn.id);
      if (id === currentThreadId) lifecycle.update("runtime", { turnId: turn.id });
      return { turnId: turn.id };
    },

    async interrupt(threadId?: string): Promise<void> {
      const s = requireSession();
      const id = requireThread(threadId);
      const turnId = s.activeTurns.get(id);
      if (!turnId) throw new Error(`no turn is running in thread ${id}`);
      await bridge.request(buildTurnInterruptRequest(id, turnId));
    },

    async steer(text: string, threadId?: string): Promise<void> {
      const s = requireSession();
      const id = requireThread(threadId);
      const turnId = s.activeTurns.get(id);
      if (!turnId) throw new Error(`no turn is running in thread ${id}`);
      await bridge.request(buildTurnSteerRequest(id, turnId, text));
    },

    /** Answers a server request codex is waiting on (one nobody answered through a device yet). */
    respondToServerRequest(requestId: RequestId, result: unknown): void {
      answer(requireSession(), requestId, result);
    },

    /** Server requests codex is waiting on in this process. */
    listPendingServerRequests(): ServerRequestMessage[] {
      return session ? [...session.held.values()].map((h) => h.request) : [];
    },

    // Conversation controls (codex side; the backend hears of them through codex's notifications).
    async renameThread(name: string, threadId?: string) {
      await bridge.request(buildThreadSetNameRequest(requireThread(threadId), name));
    },
    async archiveThread(threadId?: string) {
      await bridge.request(buildThreadArchiveRequest(requireThread(threadId)));
    },
    async unarchiveThread(threadId?: string) {
      await bridge.request(buildThreadUnarchiveRequest(requireThread(threadId)));
    },
    async compactThread(threadId?: string) {
      await bridge.request(buildThreadCompactStartRequest(requireThread(threadId)));
    },
    /** Drops `beforeTurnId` and every later turn from codex's history (codex 0.169 `thread/revert`). */
    async rollbackThread(beforeTurnId: string, threadId?: string) {
      return await bridge.request(buildThreadRevertRequest(requireThread(threadId), beforeTurnId));
    },
    async readThread(threadId?: string, includeTurns = true): Promise<ThreadReadResponse> {
      return await bridge.request(buildThreadReadRequest(requireThread(threadId), includeTurns));
    },
    /** codex's threads, newest first; `messageCount` read per thread (bounded fan-out). */
    async listThreads(args: { cursor?: string; limit?: number } = {}): Promise<{ data: ThreadSummary[]; nextCursor: string | null }> {
      const page = await bridge.request(buildThreadListRequest({ cursor: args.cursor ?? null, limit: args.limit ?? 20 }));
      const data = await mapLimited(page.data, 4, async (thread): Promise<ThreadSummary> => {
        let messageCount = 0;
        try {
          const read = await bridge.request(buildThreadReadRequest(thread.id, true));
          for (const turn of read.thread.turns) {
            messageCount += turn.items.filter((i) => i.type === "userMessage" || i.type === "agentMessage").length;
          }
        } catch {
          // A thread codex cannot read (e.g. never materialized) counts as empty.
        }
        return { threadId: thread.id, preview: thread.preview, updatedAt: thread.updatedAt, messageCount };
      });
      return { data, nextCursor: page.nextCursor };
    },

    subscribeLifecycle(listener: LifecycleListener): () => void {
      return lifecycle.subscribe(listener);
    },
    getLifecycleState(): LifecycleState {
      return lifecycle.get();
    },
    /** The backend session of the running codex process. */
    get sessionId(): string | undefined {
      return session?.sessionId;
    },
    get threadId(): string | undefined {
      return currentThreadId;
    },

    /** Resolves once every event read so far has been acknowledged by the backend. */
    async flush(): Promise<void> {
      await bridge.drain();
      await session?.outbox?.flush();
      await Promise.all([...draining]);
    },

    /** Stops codex, flushes what is queued, closes the session. */
    async stop(): Promise<void> {
      stopping = true;
      lifecycle.update("runtime", { phase: "stopping" });
      await bridge.stop();
      await commandQueue.idle();
      await Promise.all([...draining]);
      lifecycle.update("runtime", { phase: "stopped", turnId: undefined });
    },
  };
}

function stripMode(args: { mode: "start" } & ThreadSettings): ThreadSettings {
  const { mode: _mode, ...settings } = args;
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/** codex's own turn/completed shape with the same event id, so a real one that did arrive wins as the first. */
function syntheticTurnEnd(threadId: string, turnId: string, status: "failed" | "interrupted", message: string): InboundEvent {
  const params = {
    threadId,
    turn: { id: turnId, items: [], status, error: { message, codexErrorInfo: null }, startedAt: null, completedAt: null, durationMs: null },
  };
  return {
    type: "lifecycle_event",
    eventId: `${turnId}/turn/completed`,
    turnId,
    kind: "turn/completed",
    payloadJson: JSON.stringify(params),
    createdAt: Date.now(),
  };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
