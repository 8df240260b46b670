import { describe, expect, test } from "vitest";
import { approvalResponseJson, approvalStatusOfResponse } from "./approvalResponse.js";

const COMMAND = "item/commandExecution/requestApproval";
const PERMISSIONS = "item/permissions/requestApproval";

describe("approvalResponseJson", () => {
  test.each([
    [COMMAND, "accepted", { decision: "accept" }],
    [COMMAND, "declined", { decision: "decline" }],
    ["item/fileChange/requestApproval", "acceptedForSession", { decision: "acceptForSession" }],
    ["execCommandApproval", "accepted", { decision: "approved" }],
    ["applyPatchApproval", "acceptedForSession", { decision: "approved_for_session" }],
    ["execCommandApproval", "cancelled", { decision: "abort" }],
  ] as const)("%s %s → %j", (method, decision, expected) => {
    expect(JSON.parse(approvalResponseJson(method, decision, "{}"))).toEqual(expected);
  });

  test("a legacy decline carries the user's reason", () => {
    expect(JSON.parse(approvalResponseJson("execCommandApproval", "declined", "{}", "no"))).toEqual({
      decision: { denied: { rejection: "no" } },
    });
  });

  test("permissions: accept grants the requested profile minus nulls; decline grants nothing", () => {
    const params = JSON.stringify({ permissions: { network: null, fileSystem: { read: ["/a"], write: null } } });
    expect(JSON.parse(approvalResponseJson(PERMISSIONS, "accepted", params))).toEqual({
      permissions: { fileSystem: { read: ["/a"], write: null } },
      scope: "turn",
    });
    expect(JSON.parse(approvalResponseJson(PERMISSIONS, "declined", params))).toEqual({ permissions: {}, scope: "turn" });
  });
});

describe("approvalStatusOfResponse", () => {
  test.each([
    [COMMAND, { decision: "accept" }, "accepted"],
    [COMMAND, { decision: "acceptForSession" }, "acceptedForSession"],
    [COMMAND, { decision: "decline" }, "declined"],
    [COMMAND, { decision: "cancel" }, "cancelled"],
    [COMMAND, { decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ["ls"] } } }, "accepted"],
    ["execCommandApproval", { decision: { denied: { rejection: "x" } } }, "declined"],
    [PERMISSIONS, { permissions: {}, scope: "turn" }, "declined"],
    [PERMISSIONS, { permissions: { network: { enabled: true } }, scope: "session" }, "acceptedForSession"],
    [COMMAND, { answer: "yes" }, null],
    [PERMISSIONS, { decision: "accept" }, null],
  ])("%s %j → %s", (method, response, expected) => {
    expect(approvalStatusOfResponse(method, JSON.stringify(response))).toBe(expected);
  });
});
