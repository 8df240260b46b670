/**
 * `codex-local-component/app-server`: talking to `codex app-server` — typed request and
 * response builders, a JSON-RPC client over any line transport, and a stdio transport.
 */
export * from "./requests.js";
export * from "./responses.js";
export type {
  ClientRequestMethod,
  ClientRequestParams,
  ClientResponse,
  ClientResponseByMethod,
  RequestDraft,
  ServerRequestMethod,
  ServerRequestResultByMethod,
} from "./methods.js";
export {
  JsonRpcClient,
  JsonRpcClientError,
  JsonRpcResponseError,
  JsonRpcErrorCode,
  isJsonRpcClientError,
} from "./jsonRpcClient.js";
export type {
  JsonRpcClientOptions,
  JsonRpcClientErrorKind,
  RequestOptions,
  RetryOptions,
  ServerRequestHandler,
} from "./jsonRpcClient.js";
export { LineSplitter, createInMemoryTransportPair } from "./transport.js";
export type { LineTransport } from "./transport.js";
export { spawnAppServer, childTransport } from "./stdioTransport.js";
export type { AppServerProcess, SpawnAppServerOptions } from "./stdioTransport.js";
export { connectAppServer } from "./connect.js";
export type { AppServerConnection, ConnectAppServerOptions } from "./connect.js";
