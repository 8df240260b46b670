/**
 * Sorting a parsed envelope: what kind of message it is, whether codex's generated protocol
 * knows its method, and whether it belongs to a thread (has a `threadId`) or to the whole
 * app-server (account, config, MCP status, ...). Unknown methods are kept, never dropped.
 */
import type { ServerNotification } from "./generated/ServerNotification.js";
import type { ServerRequest } from "./generated/ServerRequest.js";
import { SERVER_NOTIFICATION_METHODS, SERVER_REQUEST_METHODS } from "./generated/methods.js";
import type {
  JsonObject,
  JsonRpcErrorObject,
  RequestId,
  WireMessage,
} from "./wire.js";

export type ServerNotificationMethod = ServerNotification["method"];
export type ServerRequestMethod = ServerRequest["method"];

export type MessageScope = { scope: "thread"; threadId: string } | { scope: "global"; threadId?: undefined };

export type ResponseMessage = { kind: "response"; id: RequestId; result: unknown };
export type ErrorMessage = { kind: "error"; id: RequestId | null; error: JsonRpcErrorObject };

/**
 * A notification whose method is in the pinned protocol. `params` is typed as codex declares
 * it; only the fields we persist are validated (by the normalizer), the rest is trusted.
 */
export type KnownNotification = {
  [M in ServerNotificationMethod]: {
    kind: "notification";
    known: true;
    method: M;
    params: Extract<ServerNotification, { method: M }>["params"];
    emittedAtMs?: number;
  } & MessageScope;
}[ServerNotificationMethod];
export type UnknownNotification = {
  kind: "notification";
  known: false;
  method: string;
  params: JsonObject;
  emittedAtMs?: number;
} & MessageScope;
export type NotificationMessage = KnownNotification | UnknownNotification;

export type KnownServerRequest = {
  [M in ServerRequestMethod]: {
    kind: "server_request";
    known: true;
    id: RequestId;
    method: M;
    params: Extract<ServerRequest, { method: M }>["params"];
  } & MessageScope;
}[ServerRequestMethod];
export type UnknownServerRequest = {
  kind: "server_request";
  known: false;
  id: RequestId;
  method: string;
  params: JsonObject;
} & MessageScope;
export type ServerRequestMessage = KnownServerRequest | UnknownServerRequest;

export type ClassifiedMessage = ResponseMessage | ErrorMessage | NotificationMessage | ServerRequestMessage;

const notificationMethods: ReadonlySet<string> = new Set(SERVER_NOTIFICATION_METHODS);
const serverRequestMethods: ReadonlySet<string> = new Set(SERVER_REQUEST_METHODS);

export function isKnownNotificationMethod(method: string): method is ServerNotificationMethod {
  return notificationMethods.has(method);
}
export function isKnownServerRequestMethod(method: string): method is ServerRequestMethod {
  return serverRequestMethods.has(method);
}

/** The thread a message belongs to: `params.threadId`, or the new thread of `thread/started`. */
export function scopeOf(method: string, params: JsonObject): MessageScope {
  const threadId = params.threadId;
  if (typeof threadId === "string" && threadId.length > 0) return { scope: "thread", threadId };
  if (method === "thread/started") {
    const thread = params.thread;
    if (typeof thread === "object" && thread !== null && typeof (thread as JsonObject).id === "string") {
      return { scope: "thread", threadId: (thread as JsonObject).id as string };
    }
  }
  return { scope: "global" };
}

const EMPTY_PARAMS: JsonObject = Object.freeze({}) as JsonObject;

export function classifyMessage(message: WireMessage): ClassifiedMessage {
  if ("method" in message) {
    const params = message.params ?? EMPTY_PARAMS;
    const scope = scopeOf(message.method, params);
    if ("id" in message) {
      return {
        kind: "server_request",
        known: isKnownServerRequestMethod(message.method),
        id: message.id,
        method: message.method,
        params,
        ...scope,
      } as ServerRequestMessage;
    }
    const emitted = "emittedAtMs" in message && message.emittedAtMs !== undefined ? { emittedAtMs: message.emittedAtMs } : {};
    return {
      kind: "notification",
      known: isKnownNotificationMethod(message.method),
      method: message.method,
      params,
      ...emitted,
      ...scope,
    } as NotificationMessage;
  }
  if ("error" in message) return { kind: "error", id: message.id, error: message.error };
  return { kind: "response", id: message.id, result: message.result };
}

/** Narrows a message to one known notification method, with its params typed. */
export function isNotificationOf<M extends ServerNotificationMethod>(
  message: ClassifiedMessage,
  method: M,
): message is Extract<KnownNotification, { method: M }> {
  return message.kind === "notification" && message.known && message.method === method;
}

/** Narrows a message to one known server-request method, with its params typed. */
export function isServerRequestOf<M extends ServerRequestMethod>(
  message: ClassifiedMessage,
  method: M,
): message is Extract<KnownServerRequest, { method: M }> {
  return message.kind === "server_request" && message.known && message.method === method;
}
