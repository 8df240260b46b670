/**
 * Requests codex sends us (`server_request` events) and their resolution. A request is
 * identified by (sessionId, requestId): codex numbers them per process, from 0. The three
 * approval methods also get a typed `approvals` row that devices answer.
 */
import type { Doc, Id } from "../_generated/dataModel.js";
import { ErrorCode } from "../../contract/errors.js";
import {
  COMMAND_MAX_BYTES,
  ID_MAX_BYTES,
  ITEM_LIST_MAX_ENTRIES,
  ITEM_TEXT_MAX_BYTES,
  NAME_MAX_BYTES,
  NOTE_MAX_BYTES,
  OPEN_WORK_MAX_ROWS,
  PATH_MAX_BYTES,
  capPayloadJson,
  truncateUtf8,
} from "../../contract/limits.js";
import type { ApprovalKind, RequestId, ServerRequestEvent } from "../validators.js";
import type { IngestBatch } from "./batch.js";
import { approvalOfRequest } from "../lib/answers.js";
import { accepted, duplicate, type EventOutcome } from "./outcome.js";

const approvalKinds: Record<string, ApprovalKind> = {
  "item/commandExecution/requestApproval": "commandExecution",
  "item/fileChange/requestApproval": "fileChange",
  "item/permissions/requestApproval": "permissions",
};

export async function findServerRequest(batch: IngestBatch, requestId: RequestId): Promise<Doc<"server_requests"> | null> {
  return await batch.ctx.db
    .query("server_requests")
    .withIndex("by_owner_session_request", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("sessionId", batch.sessionId).eq("requestId", requestId),
    )
    .unique();
}

export async function applyServerRequest(batch: IngestBatch, ev: ServerRequestEvent): Promise<EventOutcome> {
  if (await findServerRequest(batch, ev.requestId)) return duplicate;
  let params: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(ev.paramsJson);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    params = parsed as Record<string, unknown>;
  } catch (error) {
    return { kind: "rejected", code: ErrorCode.malformedEvent, message: `paramsJson: ${(error as Error).message}` };
  }
  // reason / command / cwd shown on an approval card, cut to their caps; the params stay on the request row.
  const text = (v: unknown, maxBytes: number) => (typeof v === "string" ? truncateUtf8(v, maxBytes).text : undefined);
  const turnId = ev.turnId ?? text(params.turnId, ID_MAX_BYTES);
  const itemId = ev.itemId ?? text(params.itemId, ID_MAX_BYTES);
  const requestDoc: Id<"server_requests"> = await batch.ctx.db.insert("server_requests", {
    ...batch.owner,
    threadId: batch.threadId,
    sessionId: batch.sessionId,
    requestId: ev.requestId,
    method: truncateUtf8(ev.method, NAME_MAX_BYTES).text,
    turnId,
    itemId,
    status: "pending",
    paramsJson: capPayloadJson(ev.paramsJson, ITEM_TEXT_MAX_BYTES),
    createdAt: ev.createdAt,
  });
  const kind = approvalKinds[ev.method];
  if (kind) {
    await batch.ctx.db.insert("approvals", {
      ...batch.owner,
      threadId: batch.threadId,
      turnId: turnId ?? "",
      itemId: itemId ?? "",
      kind,
      status: "pending",
      serverRequest: requestDoc,
      reason: text(params.reason, NOTE_MAX_BYTES),
      command: text(params.command, COMMAND_MAX_BYTES),
      cwd: text(params.cwd, PATH_MAX_BYTES),
      availableDecisions: decisionNames(params.availableDecisions),
      createdAt: ev.createdAt,
    });
  }
  return accepted;
}

/** codex decisions are strings or one-key objects (`{acceptWithExecpolicyAmendment: …}`): keep their names. */
function decisionNames(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const names = v.flatMap((d) => (typeof d === "string" ? [d] : d && typeof d === "object" ? Object.keys(d).slice(0, 1) : []));
  return names.slice(0, ITEM_LIST_MAX_ENTRIES).map((name) => truncateUtf8(name, NAME_MAX_BYTES).text);
}

/** serverRequest/resolved: codex no longer waits. An approval nobody answered expires. */
export async function serverRequestResolved(batch: IngestBatch, requestId: RequestId): Promise<void> {
  const request = await findServerRequest(batch, requestId);
  if (!request) return;
  if (request.status !== "resolved") await batch.ctx.db.patch("server_requests", request._id, { status: "resolved" });
  await expireApprovalOf(batch, request);
}

async function expireApprovalOf(batch: IngestBatch, request: Doc<"server_requests">) {
  const approval = await approvalOfRequest(batch.ctx, batch.owner, request._id);
  if (approval?.status === "pending") await batch.ctx.db.patch("approvals", approval._id, { status: "expired", decidedAt: batch.now });
}

/** The turn ended: whatever codex still asked about in it will never be answered. */
export async function expirePendingOfTurn(batch: IngestBatch, turnId: string): Promise<void> {
  // The range is the thread's *pending* requests — a handful at most, since codex waits on
  // each — so filtering them by turn costs nothing an extra index would save.
  const requests = await batch.ctx.db
    .query("server_requests")
    .withIndex("by_owner_thread_status", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("status", "pending"),
    )
    .take(OPEN_WORK_MAX_ROWS);
  for (const request of requests) {
    if (request.turnId !== turnId) continue;
    await batch.ctx.db.patch("server_requests", request._id, { status: "expired" });
  }
  const approvals = await batch.ctx.db
    .query("approvals")
    .withIndex("by_owner_thread_status", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("status", "pending"),
    )
    .take(OPEN_WORK_MAX_ROWS);
  for (const approval of approvals) {
    if (approval.turnId === turnId) await batch.ctx.db.patch("approvals", approval._id, { status: "expired", decidedAt: batch.now });
  }
}
