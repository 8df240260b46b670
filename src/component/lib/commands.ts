/**
 * The command lifecycle, shared by every module that enqueues or settles commands:
 *
 *     queued ──claim──► claimed ──complete──► done | failed
 *        └──cancel──► cancelled      └──session stale/closed──► failed
 *
 * A command leaves `queued` exactly once, so the bridge runs it at most once; a claim whose
 * session dies becomes a visible failure rather than being handed out again.
 */
import type { Doc, Id } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { ErrorCode, codexError } from "../../contract/errors.js";
import type { Actor, CommandKind, CommandStatus } from "../validators.js";
import { approvalOfRequest } from "./answers.js";
import { exhausted, skip, spend, type Budget } from "./budget.js";
import type { Owner } from "./owner.js";

/** Creation order; `_creationTime` breaks ties within one millisecond. */
export const oldestFirst = (a: Doc<"commands">, b: Doc<"commands">) =>
  a.createdAt - b.createdAt || a._creationTime - b._creationTime;

/** Queued and claimed commands: the ones not yet finished. */
export const OPEN_STATUSES = ["queued", "claimed"] as const satisfies readonly CommandStatus[];

export type NewCommand = {
  /** Absent only for the answer to a request of no thread. */
  threadId: string | undefined;
  kind: CommandKind;
  actor: Actor;
} & Partial<
  Pick<Doc<"commands">, "idempotencyKey" | "input" | "turnId" | "serverRequest" | "requestId" | "responseJson" | "targetSessionId" | "name">
>;

export async function enqueueCommand(ctx: MutationCtx, owner: Owner, command: NewCommand, now: number) {
  const { actor, ...fields } = command;
  return await ctx.db.insert("commands", {
    ...owner,
    ...fields,
    deviceId: actor.deviceId,
    status: "queued",
    createdAt: now,
  });
}

/** The command, if it belongs to this owner; another owner's command looks missing. */
export async function requireCommand(ctx: QueryCtx, owner: Owner, commandId: Id<"commands">) {
  const command = await ctx.db.get("commands", commandId);
  if (!command || command.tenantId !== owner.tenantId || command.userId !== owner.userId) {
    throw codexError(ErrorCode.commandNotFound, `command ${commandId} not found`, { commandId });
  }
  return command;
}

/** Open commands of one thread, oldest first. */
export async function openCommandsOfThread(ctx: QueryCtx, owner: Owner, threadId: string, limit: number) {
  const byStatus = await Promise.all(
    OPEN_STATUSES.map((status) =>
      ctx.db
        .query("commands")
        .withIndex("by_owner_thread_status", (q) =>
          q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("status", status),
        )
        .take(limit),
    ),
  );
  return byStatus
    .flat()
    .sort(oldestFirst)
    .slice(0, limit);
}

/**
 * An answer to a codex request that failed to reach codex (its session ended, or codex no
 * longer waited): the request is over, and the approval it decided says "not delivered"
 * rather than the decision codex never heard.
 */
export async function answerNotDelivered(ctx: MutationCtx, owner: Owner, command: Doc<"commands">, now: number) {
  if (command.kind !== "respondServerRequest" || command.serverRequest === undefined) return;
  const request = await ctx.db.get("server_requests", command.serverRequest);
  if (request?.status === "answered") await ctx.db.patch("server_requests", request._id, { status: "expired" });
  const approval = await approvalOfRequest(ctx, owner, command.serverRequest);
  if (approval && approval.status !== "pending" && approval.status !== "expired" && approval.status !== "undelivered") {
    await ctx.db.patch("approvals", approval._id, { status: "undelivered", decidedAt: approval.decidedAt ?? now });
  }
}

/**
 * Fails what a session holds or was meant to run: its claimed commands and the queued
 * commands addressed to it (answers for a codex process that is gone), as many as `budget`
 * allows; failed ones leave the ranges read, so calling again goes on where this call stopped.
 * Only what it held by `retiredAt`: a session re-opened since has claims of its own. The
 * approval an undelivered answer decided reads "undelivered".
 */
export async function failCommandsOfSession(
  ctx: MutationCtx,
  owner: Owner,
  sessionId: string,
  reason: string,
  now: number,
  budget: Budget,
  retiredAt: number,
): Promise<number> {
  const claimed = ctx.db
    .query("commands")
    .withIndex("by_owner_claimer_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("claimedBy", sessionId).eq("status", "claimed"),
    );
  const addressed = ctx.db
    .query("commands")
    .withIndex("by_owner_target_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("targetSessionId", sessionId).eq("status", "queued"),
    );
  let failed = 0;
  for (const range of [claimed, addressed]) {
    if (exhausted(budget)) break;
    for await (const command of range) {
      if (Math.floor(command.claimedAt ?? command._creationTime) > retiredAt) {
        skip(budget, command);
        if (exhausted(budget)) break;
        continue;
      }
      spend(budget, command);
      await ctx.db.patch("commands", command._id, { status: "failed", error: reason, finishedAt: now });
      await answerNotDelivered(ctx, owner, command, now);
      failed++;
      if (exhausted(budget)) break;
    }
  }
  return failed;
}

/** The command an earlier call with this key made (per thread and kind), if any. */
export async function commandByKey(ctx: QueryCtx, owner: Owner, threadId: string, kind: CommandKind, idempotencyKey: string) {
  return await ctx.db
    .query("commands")
    .withIndex("by_owner_thread_kind_idempotency", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("kind", kind).eq("idempotencyKey", idempotencyKey),
    )
    .first();
}

/** Queued commands of these kinds for the thread, the ones a newer one makes moot. */
const SUPERSEDED_MAX = 50;

/**
 * Queues a thread control for a host, withdrawing queued ones it makes moot (a second rename
 * before any host ran the first: only the last name goes to codex).
 */
export async function enqueueControl(
  ctx: MutationCtx,
  owner: Owner,
  command: NewCommand & { threadId: string },
  supersedes: readonly CommandKind[],
  now: number,
) {
  const queued = await ctx.db
    .query("commands")
    .withIndex("by_owner_thread_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", command.threadId).eq("status", "queued"),
    )
    .take(SUPERSEDED_MAX);
  for (const old of queued) {
    if (supersedes.includes(old.kind)) await ctx.db.patch("commands", old._id, { status: "cancelled", error: `superseded by a later ${command.kind}`, finishedAt: now });
  }
  return await enqueueCommand(ctx, owner, command, now);
}

/** Cancels the thread's queued commands of `kind`; true when there was one. */
export async function withdrawQueued(ctx: MutationCtx, owner: Owner, threadId: string, kind: CommandKind, reason: string, now: number) {
  const queued = await ctx.db
    .query("commands")
    .withIndex("by_owner_thread_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("status", "queued"),
    )
    .take(SUPERSEDED_MAX);
  const withdrawn = queued.filter((c) => c.kind === kind);
  for (const command of withdrawn) await ctx.db.patch("commands", command._id, { status: "cancelled", error: reason, finishedAt: now });
  return withdrawn.length > 0;
}

/**
 * An archive (or unarchive) that codex refused, or that the device withdrew before any host ran
 * it: the flag set when the device asked goes back, unless a later archive or unarchive is
 * still on its way.
 */
export async function archiveNotRun(ctx: MutationCtx, owner: Owner, command: Doc<"commands">, now: number) {
  if ((command.kind !== "archiveThread" && command.kind !== "unarchiveThread") || command.threadId === undefined) return;
  const open = await openCommandsOfThread(ctx, owner, command.threadId, SUPERSEDED_MAX);
  // Only a later one decides the flag itself; an earlier one still running ends where this revert puts it.
  if (open.some((c) => oldestFirst(command, c) < 0 && (c.kind === "archiveThread" || c.kind === "unarchiveThread"))) return;
  const thread = await ctx.db
    .query("threads")
    .withIndex("by_owner_thread", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", command.threadId!))
    .unique();
  const asked = command.kind === "archiveThread";
  if (thread && thread.archived === asked) await ctx.db.patch("threads", thread._id, { archived: !asked, updatedAt: now });
}

/**
 * The turn ended: a steer or interrupt of it still `queued` can never run (codex has no such
 * active turn any more, and the host that ran it may be gone for good). An interrupt is `done`
 * — the turn is not running, which is all it asked — and a steer `failed`, its input never
 * reached the turn (the device can send it as a new turn). Claimed ones are in a host's hands:
 * it completes them, or its session's end fails them.
 */
export async function settleCommandsOfEndedTurn(ctx: MutationCtx, owner: Owner, threadId: string, turnId: string, now: number, limit: number) {
  // Only the turn's queued ones are read: its finished commands can be many and large (each
  // steer keeps its input). Past `limit` (a device queueing that many is not a real case) the
  // rest stay queued, and a device can still cancel them.
  const queued = await ctx.db
    .query("commands")
    .withIndex("by_owner_thread_turn", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turnId).eq("status", "queued"),
    )
    .take(limit);
  for (const command of queued) {
    if (command.kind === "interruptTurn") await ctx.db.patch("commands", command._id, { status: "done", finishedAt: now });
    if (command.kind === "steerTurn") {
      await ctx.db.patch("commands", command._id, { status: "failed", error: `turn ${turnId} ended before this input reached it`, finishedAt: now });
    }
  }
}
