/**
 * `codex-local-component/protocol`: reading codex app-server output. Pure (no Node APIs):
 * parse a line, classify it, normalize it into the component's inbound events.
 */
export { parseWireMessage, parseEnvelope, isJsonObject, DEFAULT_MAX_LINE_LENGTH } from "./wire.js";
export type {
  ParseOptions,
  ParseResult,
  WireMessage,
  JsonObject,
  JsonRpcRequest,
  JsonRpcNotification,
  JsonRpcResponse,
  JsonRpcErrorResponse,
  JsonRpcErrorObject,
  RequestId,
} from "./wire.js";
export { protocolError } from "./errors.js";
export type { ProtocolError, ProtocolErrorCode } from "./errors.js";
export {
  classifyMessage,
  scopeOf,
  isKnownNotificationMethod,
  isKnownServerRequestMethod,
  isNotificationOf,
  isServerRequestOf,
} from "./classify.js";
export type {
  ClassifiedMessage,
  ResponseMessage,
  ErrorMessage,
  NotificationMessage,
  KnownNotification,
  UnknownNotification,
  ServerRequestMessage,
  KnownServerRequest,
  UnknownServerRequest,
  MessageScope,
  ServerNotificationMethod,
  ServerRequestMethod,
} from "./classify.js";
export {
  CLIENT_REQUEST_METHODS,
  CLIENT_NOTIFICATION_METHODS,
  SERVER_REQUEST_METHODS,
  SERVER_NOTIFICATION_METHODS,
} from "./generated/methods.js";
export type { ServerNotification } from "./generated/ServerNotification.js";
export type { ServerRequest } from "./generated/ServerRequest.js";
export type { ClientRequest } from "./generated/ClientRequest.js";
export type { ClientNotification } from "./generated/ClientNotification.js";
export type { ThreadItem } from "./generated/v2/ThreadItem.js";
export type { Turn } from "./generated/v2/Turn.js";
export type { Thread } from "./generated/v2/Thread.js";
export { createEventNormalizer, normalizeEvent, STREAM_DELTA_METHODS, itemEventId, turnEventId } from "./normalize.js";
export { backfillEvents, backfillTurns } from "./backfill.js";
export type { BackfilledTurn } from "./backfill.js";
export { importChunks, messageText, sha256Hex } from "./importChunks.js";
export type { ImportChunk } from "./importChunks.js";
export type { EventNormalizer, EventNormalizerOptions, NormalizedEvent, NormalizeResult } from "./normalize.js";
export type {
  InboundEvent,
  StreamDeltaEvent,
  LifecycleEvent,
  ServerRequestEvent,
  StreamChannel,
  ExpectedMessage,
} from "../contract/events.js";
// The caps ingest holds a batch to and the marker cut codex text ends with (a custom host batches by them).
export {
  INGEST_MAX_BATCH_BYTES,
  INGEST_MAX_EVENTS,
  TRUNCATION_MARKER,
  eventBytes,
} from "../contract/limits.js";
