import { describe, expect, test } from "vitest";
import { CLIENT_REQUEST_METHODS } from "../protocol/index.js";
import * as appServer from "./index.js";

// The builders are typed against the generated union; this checks the runtime side too:
// every builder emits a method the pinned codex declares.
const requestBuilders = Object.entries(appServer).filter(
  ([name, value]) => /^build\w+Request$/.test(name) && typeof value === "function",
) as Array<[string, (...args: unknown[]) => { method: string; params: unknown }]>;

const sampleArgs: Record<string, unknown[]> = {
  buildInitializeRequest: [{ name: "n", title: null, version: "1" }],
  buildThreadResumeRequest: [{ threadId: "th" }],
  buildThreadForkRequest: [{ threadId: "th" }],
  buildThreadReadRequest: ["th", true],
  buildThreadArchiveRequest: ["th"],
  buildThreadUnarchiveRequest: ["th"],
  buildThreadRevertRequest: ["th", "tu"],
  buildThreadCompactStartRequest: ["th"],
  buildThreadSetNameRequest: ["th", "name"],
  buildThreadTurnsListRequest: [{ threadId: "th", limit: 10 }],
  buildThreadUnsubscribeRequest: ["th"],
  buildTurnStartTextRequest: ["th", "hello"],
  buildTurnStartRequest: [{ threadId: "th", input: [] }],
  buildTurnSteerRequest: ["th", "tu", "more"],
  buildTurnInterruptRequest: ["th", "tu"],
  buildReviewStartRequest: [{ threadId: "th", target: { type: "uncommittedChanges" } }],
  buildCommandExecRequest: [{ command: ["ls"] }],
  buildAccountLoginStartRequest: [{ type: "chatgptDeviceCode" }],
  buildAccountLoginCancelRequest: ["login-1"],
};

describe("request builders", () => {
  test("there is a builder for each request of the seed's table and the extras", () => {
    expect(requestBuilders.map(([n]) => n).sort()).toEqual(
      [
        "buildAccountLoginCancelRequest",
        "buildAccountLoginStartRequest",
        "buildAccountLogoutRequest",
        "buildAccountRateLimitsReadRequest",
        "buildAccountReadRequest",
        "buildCommandExecRequest",
        "buildConfigReadRequest",
        "buildInitializeRequest",
        "buildMcpServerStatusListRequest",
        "buildModelListRequest",
        "buildReviewStartRequest",
        "buildThreadArchiveRequest",
        "buildThreadCompactStartRequest",
        "buildThreadForkRequest",
        "buildThreadListRequest",
        "buildThreadLoadedListRequest",
        "buildThreadReadRequest",
        "buildThreadResumeRequest",
        "buildThreadRevertRequest",
        "buildThreadSetNameRequest",
        "buildThreadStartRequest",
        "buildThreadTurnsListRequest",
        "buildThreadUnarchiveRequest",
        "buildThreadUnsubscribeRequest",
        "buildTurnInterruptRequest",
        "buildTurnStartRequest",
        "buildTurnStartTextRequest",
        "buildTurnSteerRequest",
      ].sort(),
    );
  });

  test.each(requestBuilders)("%s emits a method codex 0.169.0 declares", (name, build) => {
    const draft = build(...(sampleArgs[name] ?? []));
    expect(CLIENT_REQUEST_METHODS as readonly string[]).toContain(draft.method);
  });

  test("text turns carry codex's text input shape", () => {
    expect(appServer.buildTurnStartTextRequest("th", "hi", { model: "m" })).toEqual({
      method: "turn/start",
      params: { model: "m", threadId: "th", input: [{ type: "text", text: "hi", text_elements: [] }] },
    });
  });

  test("initialize fills the required capabilities", () => {
    expect(appServer.buildInitializeRequest({ name: "n", title: null, version: "1" }, { experimentalApi: true }).params).toEqual({
      clientInfo: { name: "n", title: null, version: "1" },
      capabilities: { experimentalApi: true, requestAttestation: false },
    });
  });
});

describe("server-request response builders", () => {
  test("shapes codex expects", () => {
    expect(appServer.buildCommandExecutionApprovalResponse("acceptForSession")).toEqual({ decision: "acceptForSession" });
    expect(appServer.buildFileChangeApprovalResponse("decline")).toEqual({ decision: "decline" });
    expect(appServer.buildToolRequestUserInputResponse({ q1: ["yes"] })).toEqual({ answers: { q1: { answers: ["yes"] } } });
    expect(appServer.buildDynamicToolCallResponse("42")).toEqual({ contentItems: [{ type: "inputText", text: "42" }], success: true });
    expect(appServer.buildDynamicToolCallResponse([], false)).toEqual({ contentItems: [], success: false });
    expect(appServer.buildChatgptAuthTokensRefreshResponse({ accessToken: "a", chatgptAccountId: "b" })).toEqual({
      accessToken: "a",
      chatgptAccountId: "b",
      chatgptPlanType: null,
    });
    expect(appServer.buildPermissionsApprovalResponse({}, "session")).toEqual({ permissions: {}, scope: "session" });
    expect(appServer.buildMcpElicitationResponse("decline")).toEqual({ action: "decline", content: null, _meta: null });
  });
});
