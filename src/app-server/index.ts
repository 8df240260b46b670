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

// The codex protocol types the builders and responses above are written in.
export type { ChatgptAuthTokensRefreshResponse } from "../protocol/generated/v2/ChatgptAuthTokensRefreshResponse.js";
export type { ClientInfo } from "../protocol/generated/ClientInfo.js";
export type { CommandExecParams } from "../protocol/generated/v2/CommandExecParams.js";
export type { CommandExecutionApprovalDecision } from "../protocol/generated/v2/CommandExecutionApprovalDecision.js";
export type { CommandExecutionRequestApprovalResponse } from "../protocol/generated/v2/CommandExecutionRequestApprovalResponse.js";
export type { ConfigReadParams } from "../protocol/generated/v2/ConfigReadParams.js";
export type { DynamicToolCallOutputContentItem } from "../protocol/generated/v2/DynamicToolCallOutputContentItem.js";
export type { DynamicToolCallResponse } from "../protocol/generated/v2/DynamicToolCallResponse.js";
export type { FileChangeApprovalDecision } from "../protocol/generated/v2/FileChangeApprovalDecision.js";
export type { FileChangeRequestApprovalResponse } from "../protocol/generated/v2/FileChangeRequestApprovalResponse.js";
export type { GetAccountParams } from "../protocol/generated/v2/GetAccountParams.js";
export type { GetAccountRateLimitsParams } from "../protocol/generated/v2/GetAccountRateLimitsParams.js";
export type { GrantedPermissionProfile } from "../protocol/generated/v2/GrantedPermissionProfile.js";
export type { InitializeCapabilities } from "../protocol/generated/InitializeCapabilities.js";
export type { InitializeResponse } from "../protocol/generated/InitializeResponse.js";
export type { JsonValue } from "../protocol/generated/serde_json/JsonValue.js";
export type { ListMcpServerStatusParams } from "../protocol/generated/v2/ListMcpServerStatusParams.js";
export type { LoginAccountParams } from "../protocol/generated/v2/LoginAccountParams.js";
export type { McpServerElicitationAction } from "../protocol/generated/v2/McpServerElicitationAction.js";
export type { McpServerElicitationRequestResponse } from "../protocol/generated/v2/McpServerElicitationRequestResponse.js";
export type { ModelListParams } from "../protocol/generated/v2/ModelListParams.js";
export type { PermissionGrantScope } from "../protocol/generated/v2/PermissionGrantScope.js";
export type { PermissionsRequestApprovalResponse } from "../protocol/generated/v2/PermissionsRequestApprovalResponse.js";
export type { ReviewStartParams } from "../protocol/generated/v2/ReviewStartParams.js";
export type { ThreadForkParams } from "../protocol/generated/v2/ThreadForkParams.js";
export type { ThreadListParams } from "../protocol/generated/v2/ThreadListParams.js";
export type { ThreadResumeParams } from "../protocol/generated/v2/ThreadResumeParams.js";
export type { ThreadStartParams } from "../protocol/generated/v2/ThreadStartParams.js";
export type { ToolRequestUserInputResponse } from "../protocol/generated/v2/ToolRequestUserInputResponse.js";
export type { TurnStartParams } from "../protocol/generated/v2/TurnStartParams.js";
export type { TurnSteerParams } from "../protocol/generated/v2/TurnSteerParams.js";
export type { UserInput } from "../protocol/generated/v2/UserInput.js";
