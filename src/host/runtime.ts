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
 * When the backend retires a session as stale while codex runs on (heartbeats did not get
 * through), the runtime goes on under a new session too (`renewSession`).
 *
 * Nothing it takes on is left pending: a codex that dies is restarted (by default) and its
 * threads resumed, even while the backend is unreachable (the new session is opened with
 * retries, and the old one's last events — the interrupted turns' ends — wait for the backend
 * in its outbox); claims and completions are retried until they land; `stop()` waits for the
 * backend at most `flushTimeoutMs`, then reports what it could not deliver.
 */
import { randomUUID } from "node:crypto";
import {
  buildThreadForkRequest,
  buildThreadResumeRequest,
  buildThreadStartRequest,
  buildThreadUnsubscribeRequest,
  buildTurnInterruptRequest,
  buildTurnStartRequest,
  buildTurnSteerRequest,
  textInput,
} from "../app-server/index.js";
import { CodexLocalBridge, type BridgeEvent, type BridgeExit, type CodexLocalBridgeConfig } from "../bridge/index.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import type { RequestId } from "../contract/events.js";
import type { ClassifiedMessage, ServerRequestMessage } from "../protocol/index.js";
import type { RateLimitSnapshot } from "../protocol/generated/v2/RateLimitSnapshot.js";
import type { AskForApproval } from "../protocol/generated/v2/AskForApproval.js";
import type { SandboxMode } from "../protocol/generated/v2/SandboxMode.js";
import { LifecycleStore, type LifecycleListener, type LifecycleState } from "./lifecycle.js";
import { IngestOutbox, type IngestOutboxOptions, type SentBatchInfo } from "./outbox.js";
import type { CodexPersistence } from "./persistence/port.js";
import { untilSettled } from "./retry.js";
import { createCommandRunner } from "./runtime/commands.js";
import { conversationControls } from "./runtime/controls.js";
import { backfillFromHistory, reportRollback } from "./runtime/history.js";
import { importThread, type ImportOptions, type ImportResult } from "./runtime/import.js";
import { rateLimitRecorder } from "./runtime/rateLimits.js";
import { createRequestHandler } from "./runtime/requests.js";
import { OwnedThreads } from "./runtime/threads.js";
import {
  dropHeldOfTurn,
  forget,
  markLoaded,
  markStarted,
  isSessionGone,
  newSession,
  requestKey,
  syntheticTurnEnd,
  threadsToResume,
  type Session,
} from "./runtime/session.js";

export type { ThreadDetails, ThreadSummary } from "./runtime/controls.js";
export type { ImportOptions, ImportResult } from "./runtime/import.js";

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
  outbox?: Pick<IngestOutboxOptions, "flushIntervalMs" | "maxEvents" | "maxBytes" | "retry">;
  /**
   * How long `stop()` waits for the backend (queued events, command outcomes, closing the
   * session) before it gives up and reports what was not delivered. Default 15 s. While the
   * runtime runs, nothing is given up: it retries until the backend answers.
   */
  flushTimeoutMs?: number;
  /**
   * How long the session may stay silent before the backend calls it stale (`sessions.open`'s
   * `staleAfterMs`, 1 s – 10 min). Default: the component's 60 s.
   */
  staleAfterMs?: number;
  /** Session heartbeat period. Default 20 s, or a third of `staleAfterMs` when that is shorter. */
  heartbeatMs?: number;
  /**
   * What a restarted codex resumes, of the threads the codex that died had loaded: each whose
   * turn the crash cut, plus at most this many others, the most recently active first (0–1000,
   * default 16). Any other thread is resumed on demand, by the first command that needs it.
   */
  resumeOnRestart?: number;
  /** Messages of no thread (account, config warnings, MCP status …). */
  onGlobalMessage?: (message: ClassifiedMessage) => void;
  /** Every thread event, in order (before it is queued for the backend). */
  onEvent?: (event: BridgeEvent) => void;
  /**
   * Answer a codex server request locally: return the answer, or `undefined` to leave it
   * pending — for devices to answer (replica) or for `respondToServerRequest`.
   */
  onServerRequest?: (request: ServerRequestMessage) => unknown;
  /**
   * How long a request no thread of this runtime shows (one of no thread — an account token
   * refresh … — or, in replica mode, of a thread it did not open) waits for an answer (a device
   * answering `pendingGlobalRequests`, `respondToServerRequest`) before codex gets a JSON-RPC
   * error. Default 60 s.
   */
  globalRequestTimeoutMs?: number;
  /** Something went wrong that the runtime worked around (a failed send, a command that failed …). */
  onError?: (error: unknown, context: string) => void;
  /** Every ingest batch as it leaves (latency figures). */
  onBatchSent?: (info: SentBatchInfo) => void;
};

export type OpenThreadArgs =
  | ({ mode: "start" } & ThreadSettings)
  | { mode: "resume"; threadId: string }
  /** A new thread with `threadId`'s history (through `lastTurnId` when given), persisted with it and linked to it. */
  | { mode: "fork"; threadId: string; lastTurnId?: string };

export type CodexHostRuntime = ReturnType<typeof createCodexHostRuntime>;

export function createCodexHostRuntime(options: CodexHostRuntimeOptions) {
  const replica = options.mode === "codex+replica";
  const persistence = options.persistence;
  if (replica && !persistence) throw new Error('mode "codex+replica" needs a persistence adapter');
  const lifecycle = new LifecycleStore();
  const sessionSettings = { deviceId: options.deviceId, staleAfterMs: options.staleAfterMs };
  const heartbeatMs = options.heartbeatMs ?? Math.min(20_000, Math.floor((options.staleAfterMs ?? 60_000) / 3));
  const report = (error: unknown, context: string) => {
    if (options.onError) options.onError(error, context);
    else console.error(`[codex-host-runtime] ${context}:`, error);
  };

  let session: Session | undefined;
  let currentThreadId: string | undefined;
  let stopping = false;
  /** `connect()` is running: a backend session that cannot be opened fails it rather than being retried. */
  let connecting = false;
  /** stop() ran past its deadline: every retry ends, what is left is reported. */
  let abandoned = false;
  /** What the next codex process resumes: chosen when the last one ended (`threadsToResume`). */
  let resumeNext: string[] = [];
  const resumeLimit = options.resumeOnRestart ?? 16;
  if (!Number.isInteger(resumeLimit) || resumeLimit < 0 || resumeLimit > 1_000) {
    throw new Error(`resumeOnRestart must be an integer from 0 to 1000, got ${resumeLimit}`);
  }
  /** Old sessions still flushing after their codex exited. */
  const draining = new Set<Promise<void>>();
  const ending = new Set<Session>();
  const retry = options.outbox?.retry;
  // Without a backend nothing is persisted: every thread's events go to `onEvent`.
  const threads = new OwnedThreads(
    (event) => onOwnedEvent(event),
    (threadId, event) =>
      report(
        new Error(`codex sent ${event.message.kind === "notification" ? event.message.method : "events"} for thread ${threadId}, which this runtime did not open; not persisted`),
        "event of a thread this runtime did not open",
      ),
    { ownsAll: !replica },
  );

  // A host runtime keeps codex up: restarted after it dies, unless the caller says otherwise.
  const bridgeConfig: CodexLocalBridgeConfig = { restart: {}, ...options.bridge };
  const bridge = new CodexLocalBridge(bridgeConfig, {
    onEvent: (event) => threads.route(event),
    onGlobalMessage: (message) => {
      if (rateLimits && message.kind === "notification" && message.method === "account/rateLimits/updated") {
        void rateLimits.updated((message.params as { rateLimits: RateLimitSnapshot }).rateLimits);
      }
      options.onGlobalMessage?.(message);
    },
    onProtocolError: ({ error }) => {
      report(new Error(`${error.code}: ${error.message}`), "protocol");
      lifecycle.update("protocol_error", { lastError: error.message });
    },
    onServerRequest: (request) => requests.onServerRequest(request),
    onProcessExit: (exit) => onProcessExit(exit),
    onReady: () => beginSession(),
    onHandlerError: (error) => report(error, "event handler"),
  });

  const rateLimits = replica && persistence ? rateLimitRecorder(bridge, persistence, report) : undefined;

  const requests = createRequestHandler({
    persistence: replica ? persistence : undefined,
    currentSession: () => session,
    ownsThread: (threadId) => threads.has(threadId),
    answerLocally: options.onServerRequest,
    timeoutMs: options.globalRequestTimeoutMs ?? 60_000,
    report,
    renewSession: (s, retired) => renewSession(s, retired),
    abandoned: () => abandoned,
    retry,
  });

  // ---- devices → codex (the control plane) ----

  // Only a replica takes commands: without a backend there is no queue to read.
  const commandRunner =
    replica && persistence
      ? createCommandRunner({
          bridge,
          persistence,
          currentSession: () => session,
          report,
          adopt: (threadId) => threads.add(threadId),
          onResumed: (s, threadId) => backfill(s, threadId),
          // A device asked for a new thread: started with this runtime's thread settings.
          startThread: async (s) => (await startNewThread(s, options.thread ?? {})).threadId,
          forkThread: async (s, threadId, lastTurnId) => await forkInto(s, threadId, lastTurnId),
          control: (threadId) => threads.control(threadId),
          abandoned: () => abandoned,
          retry,
        })
      : undefined;

  /** `thread/start` in codex (a thread this runtime owns), loaded in this session, its row ensured in the backend. */
  async function startNewThread(s: Session, settings: ThreadSettings) {
    const { thread } = await threads.open(() => bridge.request(buildThreadStartRequest(settings)), (r) => r.thread.id);
    markLoaded(s, thread.id);
    if (persistence && replica) await persistence.ensureThread({ threadId: thread.id, model: thread.model ?? undefined, cwd: thread.cwd ?? undefined });
    return { threadId: thread.id };
  }

  /**
   * `thread/fork`: the new thread (owned, loaded in this session), its row linked to its parent
   * in the backend, and the history it inherited persisted (backfilled under its own id).
   */
  async function forkInto(s: Session, threadId: string, lastTurnId?: string): Promise<string> {
    const { thread } = await threads.open(
      () => bridge.request(buildThreadForkRequest({ threadId, ...(lastTurnId ? { lastTurnId } : {}), excludeTurns: true })),
      (r) => r.thread.id,
    );
    markLoaded(s, thread.id);
    if (persistence && replica) {
      await persistence.ensureThread({ threadId: thread.id, model: thread.model ?? undefined, cwd: thread.cwd ?? undefined });
      await backfill(s, thread.id);
    }
    return thread.id;
  }

  // ---- one codex process = one session ----

  async function beginSession() {
    const s = newSession(randomUUID());
    session = s;
    if (replica && persistence) {
      if (connecting) {
        try {
          await persistence.openSession({ sessionId: s.sessionId, ...sessionSettings });
        } catch (error) {
          throw new Error(`codex started, but no backend session could be opened: ${(error as Error).message}`, { cause: error });
        }
      } else {
        // A restarted codex: the backend may be unreachable right now (maybe why codex died).
        // Retried in the background; the outbox holds events until then.
        s.opened = openUntilDone(s);
      }
      s.outbox = new IngestOutbox({
        ...options.outbox,
        // Read at send time: a batch refused by a retired session is re-sent under its successor.
        send: async (batch) => {
          await s.opened;
          const sessionId = s.sessionId;
          try {
            const result = await persistence.ingest({ sessionId, ...batch });
            backendBack();
            return result;
          } catch (error) {
            if (isSessionGone(error)) void renewSession(s, sessionId);
            throw error;
          }
        },
        onSendError: (error, info) => {
          report(error, `ingest (attempt ${info.attempt}, retry in ${Math.round(info.delayMs)} ms)`);
          backendTrouble(error);
        },
        // The backend deleted the thread: nothing of it is persisted any more.
        onThreadDeleted: (threadId) => threadDeleted(s, threadId),
        onRejected: (rejected, batch) => {
          report(new Error(JSON.stringify(rejected)), "ingest rejected events");
          // A request whose event the backend would not keep is one no device will answer.
          for (const r of rejected) {
            const event = batch.events.find((e) => e.eventId === r.eventId);
            if (event?.type === "server_request") requests.unstored(s, event.requestId, `${r.code}: ${r.message}`);
          }
        },
        onBatchSent: options.onBatchSent,
      });
    }
    // After a restart, pick the conversation up where it was: the threads the lost codex had
    // loaded (bounded; any other is resumed by the first command that needs it). The backfill
    // waits for the old session's last events: its own record of why a running turn ended goes first.
    const drained = Promise.all([...draining]);
    // Each leaves the list once tried: should this codex die too, the rest are still owed.
    const resuming = resumeNext.filter((threadId) => threads.has(threadId) && !threads.isDeleted(threadId));
    resumeNext = resuming;
    for (const threadId of resuming) {
      try {
        await bridge.request(buildThreadResumeRequest({ threadId }));
        markLoaded(s, threadId);
      } catch (error) {
        report(error, `resuming thread ${threadId} after a restart`);
        continue;
      } finally {
        resumeNext = resumeNext.filter((t) => t !== threadId);
      }
      void drained.then(() => backfill(s, threadId));
    }
    // Commands are taken up once the session is open and the threads are back.
    void s.opened.then(() => {
      if (session !== s || stopping || !replica) return;
      s.heartbeat = setInterval(() => void heartbeat(s), heartbeatMs);
      s.heartbeat.unref?.();
      watchCommands(s);
      void rateLimits?.read();
    });
    lifecycle.update("runtime", { phase: "running", threadId: currentThreadId, turnId: undefined, lastError: undefined });
  }

  /** Opens a restarted codex's backend session, retrying while the backend is unreachable. */
  async function openUntilDone(s: Session): Promise<void> {
    const opened = await untilSettled(() => persistence!.openSession({ sessionId: s.sessionId, ...sessionSettings }), {
      ...retry,
      giveUp: () => abandoned,
      onRetry: (error, attempt, delayMs) => {
        report(error, `opening session ${s.sessionId} (attempt ${attempt}, retry in ${Math.round(delayMs)} ms)`);
        backendTrouble(error);
      },
    });
    if (opened.ok) backendBack();
    // A refusal is reported; ingest still records the session when the first batch lands.
    else if (!opened.gaveUp) report(opened.error, `opening session ${s.sessionId}`);
  }

  let backendDown = false;
  function backendTrouble(error: unknown) {
    backendDown = true;
    lifecycle.update("runtime", { lastError: `backend unreachable: ${(error as Error)?.message ?? String(error)}` });
  }
  function backendBack() {
    if (!backendDown) return;
    backendDown = false;
    lifecycle.update("runtime", { lastError: undefined });
  }

  /** Takes up the commands this session may run (a renewed session re-subscribes under its new id). */
  function watchCommands(s: Session) {
    const sessionId = s.sessionId;
    s.unwatch = persistence!.watchPendingCommands(
      { sessionId },
      (commands) => {
        if (s.sessionId === sessionId) commandRunner?.onPendingCommands(s, commands);
      },
      (error) => report(error, "pending commands subscription"),
    );
  }

  async function heartbeat(s: Session) {
    const sessionId = s.sessionId;
    try {
      await persistence!.heartbeatSession({ sessionId });
    } catch (error) {
      report(error, "heartbeat");
      // Anything else (the backend unreachable) is retried by the next beat.
      if (isSessionGone(error)) await renewSession(s, sessionId);
    }
  }

  /**
   * The backend retired the session (it missed heartbeats for `staleAfterMs`): the commands
   * it had claimed were failed and the requests it held expired, so it is not revived. codex
   * runs on, so the same `Session` continues under a NEW backend session: the outbox re-sends
   * what was refused under the new id, the command subscription follows it, and every request
   * codex is still waiting on is announced again (a fresh pending approval a device can answer).
   * `retired`: the session id the backend refused — an answer to a call made before an
   * earlier renewal must not retire its successor.
   */
  function renewSession(s: Session, retired: string): Promise<void> {
    if (s.sessionId !== retired) return s.renewing ?? Promise.resolve();
    s.renewing ??= (async () => {
      const sessionId = randomUUID();
      try {
        await persistence!.openSession({ sessionId, ...sessionSettings });
      } catch (error) {
        report(error, `opening a session to replace ${retired}`); // the next heartbeat tries again
        return;
      }
      if (s.sessionId !== retired) return;
      s.sessionId = sessionId;
      report(new Error(`session ${retired} was retired by the backend; continuing as ${sessionId}`), "session renewed");
      if (session !== s) return; // codex already exited: the new session only drains the outbox
      s.unwatch?.();
      watchCommands(s);
      for (const key of s.held.keys()) {
        const announced = s.requestEvents.get(key);
        if (announced) s.outbox?.push(announced.threadId, announced.event);
        else if (s.globalRequests.has(key)) void requests.announce(s, key);
      }
    })().finally(() => (s.renewing = undefined));
    return s.renewing;
  }

  function endSession(s: Session, reason: string, turnStatus: "failed" | "interrupted") {
    // Read before the running turns are cleared: they come first; then any a restart had
    // still to resume when this codex died too.
    resumeNext = [...new Set([...threadsToResume(s, resumeLimit), ...resumeNext])];
    s.unwatch?.();
    clearInterval(s.heartbeat);
    for (const [key, held] of [...s.held]) {
      forget(s, key, held);
      held.reject(new Error(reason));
    }
    const outbox = s.outbox;
    // The turns codex was running will never complete now: record them as ended.
    for (const [threadId, turnId] of s.activeTurns) {
      outbox?.push(threadId, syntheticTurnEnd(threadId, turnId, turnStatus, reason));
    }
    s.activeTurns.clear();
    if (!outbox || !persistence) return;
    ending.add(s);
    const done = (async () => {
      // However long the backend stays unreachable: only stop() gives up (after its deadline).
      await outbox.close();
      if (abandoned) return;
      const closed = await untilSettled(() => persistence.closeSession({ sessionId: s.sessionId }), {
        ...retry,
        giveUp: () => abandoned,
        onRetry: (error, attempt, delayMs) => report(error, `closing session ${s.sessionId} (attempt ${attempt}, retry in ${Math.round(delayMs)} ms)`),
      });
      if (!closed.ok && !closed.gaveUp) report(closed.error, "closing session");
      // Refused (e.g. swept stale meanwhile) is an end too: only a close given up on is unfinished.
      if (closed.ok || !closed.gaveUp) ending.delete(s);
    })();
    draining.add(done);
    void done.finally(() => draining.delete(done));
  }

  const backfill = (s: Session, threadId: string) => backfillFromHistory(bridge, s, threadId, report);
  const rolledBack = (s: Session, threadId: string) => reportRollback(bridge, s, threadId, report);

  /**
   * The backend refused the thread: it was deleted. Its events are no longer persisted (nor
   * handed to `onEvent`), codex stops sending them, and a request of it codex waits on — which
   * no device can see any more — gets an error at once.
   */
  function threadDeleted(s: Session, threadId: string) {
    if (threads.isDeleted(threadId)) return;
    threads.forget(threadId);
    s.loadedThreads.delete(threadId);
    report(new Error(`thread ${threadId} was deleted in the backend: its events are no longer persisted`), "thread deleted");
    for (const [, { threadId: ofThread, event }] of [...s.requestEvents]) {
      if (ofThread === threadId && event.type === "server_request") requests.unstored(s, event.requestId, "its thread was deleted");
    }
    void bridge.request(buildThreadUnsubscribeRequest(threadId)).catch((error) => report(error, `unsubscribing from deleted thread ${threadId}`));
  }

  // ---- codex → backend ----

  function onOwnedEvent(event: BridgeEvent) {
    const s = session;
    const { message, threadId } = event;
    if (s && message.kind === "notification") {
      if (message.method === "turn/started") {
        const turnId = (message.params as { turn: { id: string } }).turn.id;
        s.activeTurns.set(threadId, turnId);
        markLoaded(s, threadId);
        if (threadId === currentThreadId) lifecycle.update("bridge_event", { turnId });
      } else if (message.method === "turn/completed") {
        const turnId = (message.params as { turn: { id: string } }).turn.id;
        s.endedTurns.add(turnId);
        if (s.activeTurns.get(threadId) === turnId) s.activeTurns.delete(threadId);
        dropHeldOfTurn(s, threadId, turnId);
        if (threadId === currentThreadId) lifecycle.update("bridge_event", { turnId: undefined });
      } else if (message.method === "thread/archived" || message.method === "thread/closed") {
        // codex unloaded it: a later command resumes it first.
        s.loadedThreads.delete(threadId);
      }
    }
    if (s && event.event.type === "server_request") s.requestEvents.set(requestKey(event.event.requestId), { threadId, event: event.event });
    options.onEvent?.(event);
    s?.outbox?.push(threadId, event.event, event.receivedAt);
    if (s && message.kind === "notification" && message.method === "thread/reverted") void rolledBack(s, threadId);
  }

  async function onProcessExit(exit: BridgeExit) {
    const s = session;
    const reason = exit.expected
      ? "codex app-server was stopped by the host"
      : exit.hung
        ? "codex app-server stopped answering and was killed"
        : `codex app-server exited (${exit.signal ?? `code ${exit.code}`})${exit.error ? `: ${exit.error.message}` : ""}`;
    if (s) endSession(s, reason, exit.expected ? "interrupted" : "failed");
    if (exit.expected || stopping) {
      lifecycle.update("process_exit", { phase: "stopped", turnId: undefined });
    } else {
      lifecycle.update("process_exit", { phase: "error", turnId: undefined, lastError: reason });
    }
  }

  /** stop() ran out of time: every retry ends; what the backend never got is reported and dropped. */
  function giveUpOnBackend(deadlineMs: number) {
    abandoned = true;
    const lost: string[] = [];
    for (const s of new Set([...ending, ...(session ? [session] : [])])) {
      const pending = s.outbox?.pending ?? 0;
      if (pending > 0) lost.push(`${pending} events of session ${s.sessionId} were not persisted`);
      s.outbox?.discard();
      if (ending.has(s)) lost.push(`session ${s.sessionId} was not closed (the backend settles what it held when it goes stale)`);
    }
    for (const command of commandRunner?.unsettled() ?? []) lost.push(`the outcome of ${command} was not recorded`);
    report(new Error(`the backend did not answer within ${deadlineMs} ms: ${lost.join("; ") || "nothing else was pending"}`), "stopping");
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

  const runtimeApi = {
    mode: options.mode,
    /** The bridge underneath (its child process, stderr tail, raw requests). */
    bridge,

    /** Starts codex, opens a session and (replica) starts taking commands. */
    async connect(): Promise<LifecycleState> {
      stopping = false;
      abandoned = false;
      connecting = true;
      lifecycle.update("runtime", { phase: "starting", lastError: undefined });
      try {
        await bridge.start();
      } catch (error) {
        lifecycle.update("runtime", { phase: "error", lastError: (error as Error).message });
        throw error;
      } finally {
        connecting = false;
      }
      return lifecycle.get();
    },

    /** Opens a thread in codex (and in the backend): `start` a new one, `resume` or `fork` an existing one. */
    async openThread(args: OpenThreadArgs): Promise<{ threadId: string }> {
      const s = requireSession();
      if (args.mode === "start") {
        const { threadId } = await startNewThread(s, { ...options.thread, ...stripMode(args) });
        currentThreadId = threadId;
        lifecycle.update("runtime", { threadId, turnId: undefined });
        return { threadId };
      }
      const id = args.threadId.trim();
      if (!id) throw new Error(`openThread(${args.mode}) needs a non-empty threadId`);
      let threadId: string;
      if (args.mode === "fork") threadId = await forkInto(s, id, args.lastTurnId);
      else {
        const { thread } = await threads.resume(id, () => bridge.request(buildThreadResumeRequest({ threadId: id })));
        threadId = thread.id;
        markLoaded(s, threadId);
        if (persistence && replica) await persistence.ensureThread({ threadId, model: thread.model ?? undefined, cwd: thread.cwd ?? undefined });
        // A host that died took its unsent events along; codex kept them.
        await backfill(s, threadId);
      }
      currentThreadId = threadId;
      lifecycle.update("runtime", { threadId, turnId: s.activeTurns.get(threadId) });
      return { threadId };
    },

    /** `openThread({ mode: "resume", threadId })`. */
    async resumeThread(threadId: string): Promise<{ threadId: string }> {
      return await runtimeApi.openThread({ mode: "resume", threadId });
    },

    /** `openThread({ mode: "fork", threadId, lastTurnId })`: the fork becomes the open thread. */
    async forkThread(threadId: string, options: { lastTurnId?: string } = {}): Promise<{ threadId: string }> {
      return await runtimeApi.openThread({ mode: "fork", threadId, ...options });
    },

    /**
     * Copies a thread that exists in this machine's codex into the backend, with all its turns
     * and items, as a durable import job (see `runtime/import.ts`): resolves once the backend
     * verified every message codex reports (`status: "synced"`) — or with `failed` /
     * `cancelled` — or, with `wait: false`, once it is sealed. Importing again changes nothing.
     * In `codex-only` mode it fails with E_PERSISTENCE_DISABLED.
     */
    async importLocalThreadToPersistence(threadId: string, importOptions: ImportOptions = {}): Promise<ImportResult> {
      if (!replica || !persistence) {
        throw codexError(ErrorCode.persistenceDisabled, `mode "${options.mode}" has no backend to import into: use "codex+replica"`);
      }
      requireSession();
      const id = threadId.trim();
      if (!id) throw new Error("importLocalThreadToPersistence needs a non-empty threadId");
      return await importThread({ bridge, persistence, report, giveUp: () => abandoned, retry }, id, importOptions);
    },

    /**
     * Re-sends what codex recorded of the thread's finished turns (also done on every resume);
     * what the backend already has is a no-op. Resolves with the number of events queued.
     */
    async backfillThread(threadId?: string): Promise<{ events: number }> {
      return { events: await backfill(requireSession(), requireThread(threadId)) };
    },

    /** Starts a turn in the open thread from this machine. */
    async sendTurn(text: string, threadId?: string): Promise<{ turnId: string }> {
      const s = requireSession();
      const id = requireThread(threadId);
      const { turn } = await bridge.request(buildTurnStartRequest({ threadId: id, input: [textInput(text)] }));
      if (markStarted(s, id, turn.id) && id === currentThreadId) lifecycle.update("runtime", { turnId: turn.id });
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
      requests.answer(requireSession(), requestId, result);
    },

    /** Server requests codex is waiting on in this process. */
    listPendingServerRequests(): ServerRequestMessage[] {
      return session ? [...session.held.values()].map((h) => h.request) : [];
    },

    ...conversationControls(bridge, requireThread, (threadId) => threads.control(threadId)),

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

    /**
     * Stops codex, flushes what is queued, records the outcome of commands run, closes the
     * session — waiting for the backend at most `flushTimeoutMs` (whatever the client does
     * with calls it cannot deliver), then reporting through `onError` what did not land.
     */
    async stop(): Promise<void> {
      stopping = true;
      lifecycle.update("runtime", { phase: "stopping" });
      const deadlineMs = options.flushTimeoutMs ?? 15_000;
      const work = (async () => {
        await bridge.stop();
        await commandRunner?.idle();
        await Promise.all([...draining]);
      })();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = await Promise.race([
        work.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs))),
      ]);
      clearTimeout(timer);
      if (!done) giveUpOnBackend(deadlineMs);
      lifecycle.update("runtime", { phase: "stopped", turnId: undefined });
    },
  };
  return runtimeApi;
}

function stripMode(args: { mode: "start" } & ThreadSettings): ThreadSettings {
  const { mode: _mode, ...settings } = args;
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}
