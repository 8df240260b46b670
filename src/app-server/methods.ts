/**
 * Method-level typing over the generated protocol: params per client request method, and the
 * result type of the requests this package builds (codex's unions do not pair them).
 */
import type { ClientRequest } from "../protocol/generated/ClientRequest.js";
import type { InitializeResponse } from "../protocol/generated/InitializeResponse.js";
import type { ServerRequest } from "../protocol/generated/ServerRequest.js";
import type { CancelLoginAccountResponse } from "../protocol/generated/v2/CancelLoginAccountResponse.js";
import type { CommandExecResponse } from "../protocol/generated/v2/CommandExecResponse.js";
import type { ConfigReadResponse } from "../protocol/generated/v2/ConfigReadResponse.js";
import type { GetAccountRateLimitsResponse } from "../protocol/generated/v2/GetAccountRateLimitsResponse.js";
import type { GetAccountResponse } from "../protocol/generated/v2/GetAccountResponse.js";
import type { ListMcpServerStatusResponse } from "../protocol/generated/v2/ListMcpServerStatusResponse.js";
import type { LoginAccountResponse } from "../protocol/generated/v2/LoginAccountResponse.js";
import type { LogoutAccountResponse } from "../protocol/generated/v2/LogoutAccountResponse.js";
import type { ModelListResponse } from "../protocol/generated/v2/ModelListResponse.js";
import type { ReviewStartResponse } from "../protocol/generated/v2/ReviewStartResponse.js";
import type { ThreadArchiveResponse } from "../protocol/generated/v2/ThreadArchiveResponse.js";
import type { ThreadCompactStartResponse } from "../protocol/generated/v2/ThreadCompactStartResponse.js";
import type { ThreadForkResponse } from "../protocol/generated/v2/ThreadForkResponse.js";
import type { ThreadListResponse } from "../protocol/generated/v2/ThreadListResponse.js";
import type { ThreadLoadedListResponse } from "../protocol/generated/v2/ThreadLoadedListResponse.js";
import type { ThreadTurnsListResponse } from "../protocol/generated/v2/ThreadTurnsListResponse.js";
import type { ThreadUnsubscribeResponse } from "../protocol/generated/v2/ThreadUnsubscribeResponse.js";
import type { ThreadReadResponse } from "../protocol/generated/v2/ThreadReadResponse.js";
import type { ThreadResumeResponse } from "../protocol/generated/v2/ThreadResumeResponse.js";
import type { ThreadRevertResponse } from "../protocol/generated/v2/ThreadRevertResponse.js";
import type { ThreadSetNameResponse } from "../protocol/generated/v2/ThreadSetNameResponse.js";
import type { ThreadStartResponse } from "../protocol/generated/v2/ThreadStartResponse.js";
import type { ThreadUnarchiveResponse } from "../protocol/generated/v2/ThreadUnarchiveResponse.js";
import type { TurnInterruptResponse } from "../protocol/generated/v2/TurnInterruptResponse.js";
import type { TurnStartResponse } from "../protocol/generated/v2/TurnStartResponse.js";
import type { TurnSteerResponse } from "../protocol/generated/v2/TurnSteerResponse.js";
import type { CommandExecutionRequestApprovalResponse } from "../protocol/generated/v2/CommandExecutionRequestApprovalResponse.js";
import type { FileChangeRequestApprovalResponse } from "../protocol/generated/v2/FileChangeRequestApprovalResponse.js";
import type { ToolRequestUserInputResponse } from "../protocol/generated/v2/ToolRequestUserInputResponse.js";
import type { DynamicToolCallResponse } from "../protocol/generated/v2/DynamicToolCallResponse.js";
import type { ChatgptAuthTokensRefreshResponse } from "../protocol/generated/v2/ChatgptAuthTokensRefreshResponse.js";
import type { PermissionsRequestApprovalResponse } from "../protocol/generated/v2/PermissionsRequestApprovalResponse.js";
import type { McpServerElicitationRequestResponse } from "../protocol/generated/v2/McpServerElicitationRequestResponse.js";

export type ClientRequestMethod = ClientRequest["method"];
export type ClientRequestParams<M extends ClientRequestMethod> = Extract<ClientRequest, { method: M }>["params"];

/** A request without its id: the client numbers it when it is sent. */
export type RequestDraft<M extends ClientRequestMethod = ClientRequestMethod> = {
  [K in M]: { method: K; params: ClientRequestParams<K> };
}[M];

/** Result types of the requests this package builds. */
export type ClientResponseByMethod = {
  initialize: InitializeResponse;
  "thread/start": ThreadStartResponse;
  "thread/resume": ThreadResumeResponse;
  "thread/fork": ThreadForkResponse;
  "thread/read": ThreadReadResponse;
  "thread/list": ThreadListResponse;
  "thread/turns/list": ThreadTurnsListResponse;
  "thread/loaded/list": ThreadLoadedListResponse;
  "thread/unsubscribe": ThreadUnsubscribeResponse;
  "thread/archive": ThreadArchiveResponse;
  "thread/unarchive": ThreadUnarchiveResponse;
  "thread/revert": ThreadRevertResponse;
  "thread/compact/start": ThreadCompactStartResponse;
  "thread/name/set": ThreadSetNameResponse;
  "turn/start": TurnStartResponse;
  "turn/steer": TurnSteerResponse;
  "turn/interrupt": TurnInterruptResponse;
  "review/start": ReviewStartResponse;
  "model/list": ModelListResponse;
  "config/read": ConfigReadResponse;
  "mcpServerStatus/list": ListMcpServerStatusResponse;
  "command/exec": CommandExecResponse;
  "account/read": GetAccountResponse;
  "account/login/start": LoginAccountResponse;
  "account/login/cancel": CancelLoginAccountResponse;
  "account/logout": LogoutAccountResponse;
  "account/rateLimits/read": GetAccountRateLimitsResponse;
};
export type ClientResponse<M extends ClientRequestMethod> = M extends keyof ClientResponseByMethod
  ? ClientResponseByMethod[M]
  : unknown;

export type ServerRequestMethod = ServerRequest["method"];

/** What our side must answer to each server request codex sends. */
export type ServerRequestResultByMethod = {
  "item/commandExecution/requestApproval": CommandExecutionRequestApprovalResponse;
  "item/fileChange/requestApproval": FileChangeRequestApprovalResponse;
  "item/tool/requestUserInput": ToolRequestUserInputResponse;
  "item/tool/call": DynamicToolCallResponse;
  "account/chatgptAuthTokens/refresh": ChatgptAuthTokensRefreshResponse;
  "item/permissions/requestApproval": PermissionsRequestApprovalResponse;
  "mcpServer/elicitation/request": McpServerElicitationRequestResponse;
};
