/**
 * Translates a device's approval decision into the JSON codex expects as the answer to its
 * server request, and back. Shapes follow the types `codex app-server generate-ts` emits
 * for codex 0.169: `CommandExecutionRequestApprovalResponse` and
 * `FileChangeRequestApprovalResponse` take `{decision}`, `PermissionsRequestApprovalResponse`
 * takes the granted permissions and a scope, the legacy `execCommandApproval` /
 * `applyPatchApproval` take a `ReviewDecision`.
 */
import type { ApprovalDecision, ApprovalStatus } from "../validators.js";

const LEGACY_METHODS = new Set(["execCommandApproval", "applyPatchApproval"]);
const PERMISSIONS_METHOD = "item/permissions/requestApproval";

const v2Decision: Record<ApprovalDecision, string> = {
  accepted: "accept",
  acceptedForSession: "acceptForSession",
  declined: "decline",
  cancelled: "cancel",
};

type JsonObject = Record<string, unknown>;

function parseObject(json: string): JsonObject {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : {};
  } catch {
    return {};
  }
}

/** Requested permissions carry `null` for "not asked"; the grant omits those keys. */
function grantOf(requested: unknown): JsonObject {
  const grant: JsonObject = {};
  if (requested && typeof requested === "object") {
    for (const [key, value] of Object.entries(requested)) if (value !== null && value !== undefined) grant[key] = value;
  }
  return grant;
}

function legacyDecision(decision: ApprovalDecision, reason: string | undefined): unknown {
  switch (decision) {
    case "accepted":
      return "approved";
    case "acceptedForSession":
      return "approved_for_session";
    case "declined":
      return { denied: { rejection: reason ?? "Declined by the user" } };
    case "cancelled":
      return "abort";
  }
}

export function approvalResponseJson(
  method: string,
  decision: ApprovalDecision,
  paramsJson: string,
  reason?: string,
): string {
  if (LEGACY_METHODS.has(method)) return JSON.stringify({ decision: legacyDecision(decision, reason) });
  if (method === PERMISSIONS_METHOD) {
    const granted = decision === "accepted" || decision === "acceptedForSession";
    return JSON.stringify({
      permissions: granted ? grantOf(parseObject(paramsJson).permissions) : {},
      scope: decision === "acceptedForSession" ? "session" : "turn",
    });
  }
  return JSON.stringify({ decision: v2Decision[decision] });
}

/**
 * The approval status a raw answer amounts to, for answers sent through the generic
 * `serverRequests.resolve` path. `null` when the JSON says nothing recognisable.
 */
export function approvalStatusOfResponse(method: string, responseJson: string): ApprovalStatus | null {
  const response = parseObject(responseJson);
  if (method === PERMISSIONS_METHOD) {
    const permissions = response.permissions;
    if (!permissions || typeof permissions !== "object") return null;
    if (Object.keys(permissions).length === 0) return "declined";
    return response.scope === "session" ? "acceptedForSession" : "accepted";
  }
  const decision = response.decision;
  if (typeof decision === "object" && decision !== null) {
    // Amendment variants accept; `{denied: …}` is the legacy decline.
    return "denied" in decision ? "declined" : "accepted";
  }
  switch (decision) {
    case "accept":
    case "approved":
      return "accepted";
    case "acceptForSession":
    case "approved_for_session":
      return "acceptedForSession";
    case "decline":
      return "declined";
    case "cancel":
    case "abort":
      return "cancelled";
    default:
      return null;
  }
}
