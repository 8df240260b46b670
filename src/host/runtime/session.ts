/**
 * What belongs to one codex process: its backend session, its outbox, the server requests it
 * is waiting on, and the turns it is running. codex numbers server requests from 0 in every
 * process, so nothing here outlives the process.
 */
import type { InboundEvent, RequestId } from "../../contract/events.js";
import { errorCodeOf } from "../../contract/errors.js";
import { turnEventId, type ServerRequestMessage } from "../../protocol/index.js";
import type { IngestOutbox } from "../outbox.js";

/** A server request codex is waiting on, held until someone answers it. */
export type HeldRequest = {
  request: ServerRequestMessage;
  resolve: (answer: unknown) => void;
  reject: (error: Error) => void;
  /** For a request no device sees in a thread: when codex gets an error instead of an answer. */
  timer?: ReturnType<typeof setTimeout>;
};

export type Session = {
  /**
   * The backend session this process writes under. It changes only when the backend
   * retired the session (stale) while codex kept running: see `renewSession` in runtime.ts.
   */
  sessionId: string;
  /**
   * Settles once the backend session is open (at once for `connect()`, which fails when it
   * cannot open it; after retries for a restarted codex while the backend is unreachable).
   * The outbox sends nothing before.
   */
  opened: Promise<void>;
  outbox: IngestOutbox | undefined;
  held: Map<string, HeldRequest>;
  /** The `server_request` event of each held request, to announce it again under a renewed session. */
  requestEvents: Map<string, { threadId: string; event: InboundEvent }>;
  /** Held requests of no thread, announced to the backend on their own (again under a renewed session). */
  globalRequests: Set<string>;
  /** A renewal under way (one at a time). */
  renewing?: Promise<void>;
  /** threadId → running turnId. */
  activeTurns: Map<string, string>;
  /**
   * Turns codex reported completed. A `turn/start` answer can be handled after the turn's
   * own `turn/completed` (a very short turn); it must not mark the turn running again.
   */
  endedTurns: Set<string>;
  /**
   * The threads loaded in this codex process (started, resumed, forked, opened by a command),
   * least recently active first: what a restart after this process dies resumes (the most
   * recent ones, up to a bound).
   */
  loadedThreads: Set<string>;
  unwatch?: () => void;
  heartbeat?: ReturnType<typeof setInterval>;
};

export function newSession(sessionId: string): Session {
  return { sessionId, opened: Promise.resolve(), outbox: undefined, held: new Map(), requestEvents: new Map(), globalRequests: new Set(), activeTurns: new Map(), endedTurns: new Set(), loadedThreads: new Set() };
}

/** `threadId` is loaded in this process and was just active: it moves to the most recent end. */
export function markLoaded(s: Session, threadId: string): void {
  s.loadedThreads.delete(threadId);
  s.loadedThreads.add(threadId);
}

/**
 * What a restart after `s`'s codex died resumes, of the threads loaded in that process: each
 * with a turn running at the crash (a steer or interrupt queued for that turn needs the thread
 * loaded to be answered), then up to `limit` others, the most recently active first. Any
 * other thread is resumed on demand, by the first command that needs it loaded.
 */
export function threadsToResume(s: Session, limit: number): string[] {
  const recentFirst = [...s.loadedThreads].reverse();
  const running = recentFirst.filter((threadId) => s.activeTurns.has(threadId));
  const others = recentFirst.filter((threadId) => !s.activeTurns.has(threadId));
  return [...running, ...others.slice(0, limit)];
}

/** Records a turn codex just started for us (unless it already ended). */
export function markStarted(s: Session, threadId: string, turnId: string): boolean {
  if (s.endedTurns.has(turnId)) return false;
  s.activeTurns.set(threadId, turnId);
  return true;
}

/** Request ids may be numbers or strings; `0` and `"0"` are different requests. */
export const requestKey = (id: RequestId) => `${typeof id}:${String(id)}`;

/** Hands codex the answer to a request it is waiting on. */
export function answerHeld(s: Session, requestId: RequestId, result: unknown): void {
  const held = s.held.get(requestKey(requestId));
  if (!held) throw new Error(`codex is not waiting for request ${String(requestId)} (any more)`);
  forget(s, requestKey(requestId), held);
  held.resolve(result);
}

/** Takes a request off the held list (answered, expired, or dropped). */
export function forget(s: Session, key: string, held: HeldRequest): void {
  clearTimeout(held.timer);
  s.held.delete(key);
  s.requestEvents.delete(key);
  s.globalRequests.delete(key);
}

/** A turn ended: codex will never read answers to what it asked during it. */
export function dropHeldOfTurn(s: Session, threadId: string, turnId: string): void {
  for (const [k, held] of s.held) {
    const params = held.request.params as { threadId?: string; turnId?: string };
    if (params.threadId === threadId && params.turnId === turnId) {
      forget(s, k, held);
      held.reject(new Error("the turn ended"));
    }
  }
}

/**
 * codex's own turn/completed shape, with the event id codex would have used: if codex did
 * send a turn/completed before dying, that one landed first and this is a duplicate.
 */
export function syntheticTurnEnd(threadId: string, turnId: string, status: "failed" | "interrupted", message: string): InboundEvent {
  const params = {
    threadId,
    turn: { id: turnId, items: [], status, error: { message, codexErrorInfo: null }, startedAt: null, completedAt: null, durationMs: null },
  };
  return {
    type: "lifecycle_event",
    eventId: turnEventId(turnId, "turn/completed"),
    turnId,
    kind: "turn/completed",
    payloadJson: JSON.stringify(params),
    createdAt: Date.now(),
  };
}

/** The backend says this session is over (swept stale, or unknown): only a new session can go on. */
export function isSessionGone(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code === "E_SESSION_NOT_ACTIVE" || code === "E_SESSION_NOT_FOUND";
}
