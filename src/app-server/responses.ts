/**
 * Typed results for the server requests codex sends us (approvals, user input, dynamic tools,
 * token refresh). A server-request handler returns one of these; the client sends it back.
 */
import type { ChatgptAuthTokensRefreshResponse } from "../protocol/generated/v2/ChatgptAuthTokensRefreshResponse.js";
import type { CommandExecutionApprovalDecision } from "../protocol/generated/v2/CommandExecutionApprovalDecision.js";
import type { CommandExecutionRequestApprovalResponse } from "../protocol/generated/v2/CommandExecutionRequestApprovalResponse.js";
import type { DynamicToolCallOutputContentItem } from "../protocol/generated/v2/DynamicToolCallOutputContentItem.js";
import type { DynamicToolCallResponse } from "../protocol/generated/v2/DynamicToolCallResponse.js";
import type { FileChangeApprovalDecision } from "../protocol/generated/v2/FileChangeApprovalDecision.js";
import type { FileChangeRequestApprovalResponse } from "../protocol/generated/v2/FileChangeRequestApprovalResponse.js";
import type { GrantedPermissionProfile } from "../protocol/generated/v2/GrantedPermissionProfile.js";
import type { McpServerElicitationAction } from "../protocol/generated/v2/McpServerElicitationAction.js";
import type { McpServerElicitationRequestResponse } from "../protocol/generated/v2/McpServerElicitationRequestResponse.js";
import type { PermissionGrantScope } from "../protocol/generated/v2/PermissionGrantScope.js";
import type { PermissionsRequestApprovalResponse } from "../protocol/generated/v2/PermissionsRequestApprovalResponse.js";
import type { ToolRequestUserInputResponse } from "../protocol/generated/v2/ToolRequestUserInputResponse.js";
import type { JsonValue } from "../protocol/generated/serde_json/JsonValue.js";

export function buildCommandExecutionApprovalResponse(
  decision: CommandExecutionApprovalDecision,
): CommandExecutionRequestApprovalResponse {
  return { decision };
}

export function buildFileChangeApprovalResponse(decision: FileChangeApprovalDecision): FileChangeRequestApprovalResponse {
  return { decision };
}

/** `answers` maps each question id of the request to the chosen answers. */
export function buildToolRequestUserInputResponse(answers: Record<string, string[]>): ToolRequestUserInputResponse {
  const out: ToolRequestUserInputResponse["answers"] = {};
  for (const [questionId, values] of Object.entries(answers)) out[questionId] = { answers: values };
  return { answers: out };
}

/** The output of a dynamic tool call: plain text, or the content items themselves. */
export function buildDynamicToolCallResponse(
  output: string | DynamicToolCallOutputContentItem[],
  success = true,
): DynamicToolCallResponse {
  const contentItems = typeof output === "string" ? [{ type: "inputText" as const, text: output }] : output;
  return { contentItems, success };
}

export function buildChatgptAuthTokensRefreshResponse(tokens: {
  accessToken: string;
  chatgptAccountId: string;
  chatgptPlanType?: string | null;
}): ChatgptAuthTokensRefreshResponse {
  return {
    accessToken: tokens.accessToken,
    chatgptAccountId: tokens.chatgptAccountId,
    chatgptPlanType: tokens.chatgptPlanType ?? null,
  };
}

/** Grants (a subset of) the requested permissions; grant `{}` to refuse them all. */
export function buildPermissionsApprovalResponse(
  permissions: GrantedPermissionProfile,
  scope: PermissionGrantScope = "turn",
): PermissionsRequestApprovalResponse {
  return { permissions, scope };
}

export function buildMcpElicitationResponse(
  action: McpServerElicitationAction,
  content: JsonValue | null = null,
): McpServerElicitationRequestResponse {
  return { action, content, _meta: null };
}
