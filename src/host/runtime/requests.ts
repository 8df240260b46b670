/**
 * Server requests codex waits on, machine side. A request of a thread this runtime owns was
 * persisted with that thread's events: devices answer it, and it ends with its turn or its
 * session. Any other one — of no thread (`account/chatgptAuthTokens/refresh`, methods codex
 * adds), or of a thread this runtime did not open — no thread view shows: one of no thread is
 * announced to the backend on its own so any device can answer it, and either kind gets a
 * JSON-RPC error when nobody answered within the timeout. One whose event the backend refused
 * to store (too large, malformed) no device will ever see: codex gets the error at once. None
 * is held forever.
 */
import { JsonRpcErrorCode, JsonRpcResponseError } from "../../app-server/index.js";
import type { RequestId } from "../../contract/events.js";
import type { ServerRequestMessage } from "../../protocol/index.js";
import type { CodexPersistence } from "../persistence/port.js";
import { untilSettled, type BackoffOptions } from "../retry.js";
import { answerHeld, forget, isSessionGone, requestKey, type HeldRequest, type Session } from "./session.js";

export type RequestDeps = {
  persistence: CodexPersistence | undefined;
  /** The session of the running codex. */
  currentSession: () => Session | undefined;
  /** Whether this request's thread is one the runtime owns (its events are persisted). */
  ownsThread: (threadId: string) => boolean;
  /** The runtime's own answer, if it has one (`onServerRequest`). */
  answerLocally?: (request: ServerRequestMessage) => unknown;
  timeoutMs: number;
  report: (error: unknown, context: string) => void;
  renewSession: (s: Session, retired: string) => Promise<void>;
  abandoned: () => boolean;
  retry?: BackoffOptions;
};

export function createRequestHandler(deps: RequestDeps) {
  const { persistence, report, retry } = deps;

  /** Lists a request of no thread for every device, until it lands (or codex stops waiting). */
  async function announce(s: Session, key: string) {
    await s.opened;
    const held = s.held.get(key);
    if (!held || !persistence) return;
    const { request } = held;
    const args = { requestId: request.id, method: request.method, paramsJson: JSON.stringify(request.params), createdAt: Date.now() };
    let sessionId = s.sessionId;
    const announced = await untilSettled(() => persistence.announceServerRequest({ sessionId: (sessionId = s.sessionId), ...args }), {
      ...retry,
      giveUp: () => deps.abandoned() || s.held.get(key) !== held,
      onRetry: (error, attempt, delayMs) => report(error, `announcing ${request.method} (attempt ${attempt}, retry in ${Math.round(delayMs)} ms)`),
    });
    if (announced.ok || announced.gaveUp) return;
    report(announced.error, `announcing ${request.method}`);
    // The session was retired meanwhile: its successor announces it again.
    if (isSessionGone(announced.error)) void deps.renewSession(s, sessionId);
  }

  /** Nobody answered in time: codex gets a JSON-RPC error, and the backend's listing is settled. */
  function expire(s: Session, key: string) {
    const held = s.held.get(key);
    if (!held) return;
    const announced = s.globalRequests.has(key);
    forget(s, key, held);
    const { request } = held;
    held.reject(new JsonRpcResponseError(JsonRpcErrorCode.internalError, `no answer to ${request.method} within ${deps.timeoutMs} ms`));
    report(new Error(`${request.method} (request ${String(request.id)}) got no answer within ${deps.timeoutMs} ms; codex got an error`), "server request timed out");
    if (announced) settle(s, request, "expired");
  }

  /** Takes a listed request of no thread off every device's list, as it ended here. */
  function settle(s: Session, request: ServerRequestMessage, status: "resolved" | "expired") {
    if (!persistence) return;
    const sessionId = s.sessionId;
    void untilSettled(() => persistence.settleServerRequest({ sessionId, requestId: request.id, status }), {
      ...retry,
      giveUp: deps.abandoned,
      onRetry: (error, attempt, delayMs) => report(error, `settling ${request.method} (attempt ${attempt}, retry in ${Math.round(delayMs)} ms)`),
    });
  }

  /** The runtime's own answer (`respondToServerRequest`): codex gets it, and a listed request leaves the devices' list. */
  function answer(s: Session, requestId: RequestId, result: unknown) {
    const key = requestKey(requestId);
    const held = s.held.get(key);
    const announced = s.globalRequests.has(key);
    answerHeld(s, requestId, result);
    if (held && announced) settle(s, held.request, "resolved");
  }

  /** The backend refused the request's event for good: nobody can answer it, so codex is told now. */
  function unstored(s: Session, requestId: RequestId, why: string) {
    const key = requestKey(requestId);
    const held = s.held.get(key);
    if (!held || s.globalRequests.has(key)) return;
    forget(s, key, held);
    const { request } = held;
    held.reject(new JsonRpcResponseError(JsonRpcErrorCode.internalError, `${request.method} could not be stored for a device to answer (${why})`));
    report(new Error(`${request.method} (request ${String(request.id)}) was refused by the backend (${why}); codex got an error`), "server request not stored");
  }

  return {
    /** The bridge's `onServerRequest`: the answer, or a promise of it. */
    onServerRequest(request: ServerRequestMessage): unknown {
      const local = deps.answerLocally?.(request);
      if (local !== undefined) return local;
      const s = deps.currentSession();
      if (!s) throw new Error("no codex session");
      const inOwnedThread = request.scope === "thread" && deps.ownsThread(request.threadId);
      return new Promise((resolve, reject) => {
        const key = requestKey(request.id);
        const held: HeldRequest = { request, resolve, reject };
        s.held.set(key, held);
        if (inOwnedThread) return;
        held.timer = setTimeout(() => expire(s, key), deps.timeoutMs);
        held.timer.unref?.();
        if (request.scope !== "thread" && persistence) {
          s.globalRequests.add(key);
          void announce(s, key);
        }
      });
    },
    /** Under a renewed session: announce again a request of no thread codex still waits on. */
    announce,
    unstored,
    answer,
  };
}
