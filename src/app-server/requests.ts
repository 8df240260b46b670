/**
 * Typed builders for the client requests a bridge sends, checked against the generated
 * `ClientRequest` union: a method name or param that codex renames fails to compile here.
 * They return drafts (`{method, params}`); the JSON-RPC client numbers and sends them.
 */
import type { ClientInfo } from "../protocol/generated/ClientInfo.js";
import type { InitializeCapabilities } from "../protocol/generated/InitializeCapabilities.js";
import type { CommandExecParams } from "../protocol/generated/v2/CommandExecParams.js";
import type { ConfigReadParams } from "../protocol/generated/v2/ConfigReadParams.js";
import type { GetAccountParams } from "../protocol/generated/v2/GetAccountParams.js";
import type { GetAccountRateLimitsParams } from "../protocol/generated/v2/GetAccountRateLimitsParams.js";
import type { ListMcpServerStatusParams } from "../protocol/generated/v2/ListMcpServerStatusParams.js";
import type { LoginAccountParams } from "../protocol/generated/v2/LoginAccountParams.js";
import type { ModelListParams } from "../protocol/generated/v2/ModelListParams.js";
import type { ReviewStartParams } from "../protocol/generated/v2/ReviewStartParams.js";
import type { ThreadForkParams } from "../protocol/generated/v2/ThreadForkParams.js";
import type { ThreadListParams } from "../protocol/generated/v2/ThreadListParams.js";
import type { ThreadLoadedListParams } from "../protocol/generated/v2/ThreadLoadedListParams.js";
import type { ThreadTurnsListParams } from "../protocol/generated/v2/ThreadTurnsListParams.js";
import type { ThreadResumeParams } from "../protocol/generated/v2/ThreadResumeParams.js";
import type { ThreadStartParams } from "../protocol/generated/v2/ThreadStartParams.js";
import type { TurnStartParams } from "../protocol/generated/v2/TurnStartParams.js";
import type { TurnSteerParams } from "../protocol/generated/v2/TurnSteerParams.js";
import type { UserInput } from "../protocol/generated/v2/UserInput.js";
import type { RequestDraft } from "./methods.js";

/** A text input item as codex expects it (`text_elements` is required, usually empty). */
export function textInput(text: string): UserInput {
  return { type: "text", text, text_elements: [] };
}

export function buildInitializeRequest(
  clientInfo: ClientInfo,
  capabilities: Partial<InitializeCapabilities> = {},
): RequestDraft<"initialize"> {
  return {
    method: "initialize",
    params: { clientInfo, capabilities: { experimentalApi: false, requestAttestation: false, ...capabilities } },
  };
}

export function buildThreadStartRequest(params: ThreadStartParams = {}): RequestDraft<"thread/start"> {
  return { method: "thread/start", params };
}

export function buildThreadResumeRequest(params: ThreadResumeParams): RequestDraft<"thread/resume"> {
  return { method: "thread/resume", params };
}

export function buildThreadForkRequest(params: ThreadForkParams): RequestDraft<"thread/fork"> {
  return { method: "thread/fork", params };
}

export function buildThreadReadRequest(threadId: string, includeTurns = false): RequestDraft<"thread/read"> {
  return { method: "thread/read", params: { threadId, includeTurns } };
}

export function buildThreadListRequest(params: ThreadListParams = {}): RequestDraft<"thread/list"> {
  return { method: "thread/list", params };
}

/** A page of a thread's turns (`itemsView: "full"` for their items), oldest first by default here. */
export function buildThreadTurnsListRequest(params: ThreadTurnsListParams): RequestDraft<"thread/turns/list"> {
  return { method: "thread/turns/list", params: { sortDirection: "asc", ...params } };
}

/** The threads codex has loaded in this process, in pages. */
export function buildThreadLoadedListRequest(params: ThreadLoadedListParams = {}): RequestDraft<"thread/loaded/list"> {
  return { method: "thread/loaded/list", params };
}

/** Stops codex's notifications of a thread to this client. */
export function buildThreadUnsubscribeRequest(threadId: string): RequestDraft<"thread/unsubscribe"> {
  return { method: "thread/unsubscribe", params: { threadId } };
}

export function buildThreadArchiveRequest(threadId: string): RequestDraft<"thread/archive"> {
  return { method: "thread/archive", params: { threadId } };
}

export function buildThreadUnarchiveRequest(threadId: string): RequestDraft<"thread/unarchive"> {
  return { method: "thread/unarchive", params: { threadId } };
}

/**
 * Rolls a thread's history back to before `beforeTurnId` (codex 0.169 names this
 * `thread/revert`; it rewrites history only, not files on disk).
 */
export function buildThreadRevertRequest(threadId: string, beforeTurnId: string): RequestDraft<"thread/revert"> {
  return { method: "thread/revert", params: { threadId, beforeTurnId } };
}

export function buildThreadCompactStartRequest(threadId: string): RequestDraft<"thread/compact/start"> {
  return { method: "thread/compact/start", params: { threadId } };
}

export function buildThreadSetNameRequest(threadId: string, name: string): RequestDraft<"thread/name/set"> {
  return { method: "thread/name/set", params: { threadId, name } };
}

export function buildTurnStartTextRequest(
  threadId: string,
  text: string,
  options: Omit<TurnStartParams, "threadId" | "input"> = {},
): RequestDraft<"turn/start"> {
  return { method: "turn/start", params: { ...options, threadId, input: [textInput(text)] } };
}

export function buildTurnStartRequest(params: TurnStartParams): RequestDraft<"turn/start"> {
  return { method: "turn/start", params };
}

/** Adds input to the running turn; codex refuses it unless `expectedTurnId` is still active. */
export function buildTurnSteerRequest(
  threadId: string,
  expectedTurnId: string,
  input: string | UserInput[],
  options: Omit<TurnSteerParams, "threadId" | "expectedTurnId" | "input"> = {},
): RequestDraft<"turn/steer"> {
  const items = typeof input === "string" ? [textInput(input)] : input;
  return { method: "turn/steer", params: { ...options, threadId, expectedTurnId, input: items } };
}

export function buildTurnInterruptRequest(threadId: string, turnId: string): RequestDraft<"turn/interrupt"> {
  return { method: "turn/interrupt", params: { threadId, turnId } };
}

export function buildReviewStartRequest(params: ReviewStartParams): RequestDraft<"review/start"> {
  return { method: "review/start", params };
}

export function buildModelListRequest(params: ModelListParams = {}): RequestDraft<"model/list"> {
  return { method: "model/list", params };
}

export function buildConfigReadRequest(params: ConfigReadParams = {}): RequestDraft<"config/read"> {
  return { method: "config/read", params };
}

export function buildMcpServerStatusListRequest(
  params: ListMcpServerStatusParams = {},
): RequestDraft<"mcpServerStatus/list"> {
  return { method: "mcpServerStatus/list", params };
}

export function buildCommandExecRequest(params: CommandExecParams): RequestDraft<"command/exec"> {
  return { method: "command/exec", params };
}

export function buildAccountReadRequest(params: GetAccountParams = {}): RequestDraft<"account/read"> {
  return { method: "account/read", params };
}

export function buildAccountLoginStartRequest(params: LoginAccountParams): RequestDraft<"account/login/start"> {
  return { method: "account/login/start", params };
}

export function buildAccountLoginCancelRequest(loginId: string): RequestDraft<"account/login/cancel"> {
  return { method: "account/login/cancel", params: { loginId } };
}

export function buildAccountLogoutRequest(): RequestDraft<"account/logout"> {
  return { method: "account/logout", params: undefined };
}

export function buildAccountRateLimitsReadRequest(
  params?: GetAccountRateLimitsParams,
): RequestDraft<"account/rateLimits/read"> {
  return { method: "account/rateLimits/read", params };
}
