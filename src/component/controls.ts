/**
 * Thread controls a device asks of codex through the command queue: fork, roll back,
 * compact. The backend changes when codex reports the result — a fork's `thread/started`
 * (linked to its parent) and its history, a rollback's dropped turns deleted (`ingest/rollback.ts`),
 * a compaction's `contextCompaction` item. Each is idempotent by `idempotencyKey` (per thread
 * and kind), and reaches an end state like every command: done, failed (codex refused, the
 * host's session ended) or cancelled while queued. Rename and archive live in `threads.ts`.
 */
import { v } from "convex/values";
import type { MutationCtx } from "./_generated/server.js";
import { mutation } from "./lib/functions.js";
import { commandByKey, enqueueCommand } from "./lib/commands.js";
import { ownerAndThread, requireNonEmpty, requireThread } from "./lib/owner.js";
import { vCommandTicket } from "./lib/returns.js";
import { findTurn } from "./lib/turnRows.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import type { Actor, CommandKind } from "./validators.js";
import { vActor } from "./validators.js";

async function requestControl(
  ctx: MutationCtx,
  args: { actor: Actor; threadId: string; idempotencyKey: string },
  kind: CommandKind,
  turnId?: string,
) {
  const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
  const idempotencyKey = requireNonEmpty("idempotencyKey", args.idempotencyKey);
  await requireThread(ctx, owner, threadId);
  const previous = await commandByKey(ctx, owner, threadId, kind, idempotencyKey);
  if (previous) return { commandId: previous._id, status: previous.status, deduplicated: true };
  if (turnId !== undefined && !(await findTurn(ctx, owner, threadId, turnId))) {
    throw codexError(ErrorCode.turnNotFound, `turn ${turnId} not found`, { threadId, turnId });
  }
  const commandId = await enqueueCommand(ctx, owner, { threadId, kind, actor: args.actor, idempotencyKey, turnId }, Date.now());
  return { commandId, status: "queued" as const, deduplicated: false };
}

const vRequest = { actor: vActor, threadId: v.string(), idempotencyKey: v.string() };

/**
 * A new thread with this one's history (through `lastTurnId`, when given): a host runs
 * `thread/fork`; the command's `createdThreadId` names the fork, whose row links back
 * (`forkedFromThreadId`) and holds the inherited turns.
 */
export const requestFork = mutation({
  args: { ...vRequest, lastTurnId: v.optional(v.string()) },
  returns: vCommandTicket,
  handler: async (ctx, args) => await requestControl(ctx, args, "forkThread", args.lastTurnId),
});

/** Drops `beforeTurnId` and every later turn, in codex (`thread/revert`) and then here. Files on disk are not reverted. */
export const requestRollback = mutation({
  args: { ...vRequest, beforeTurnId: v.string() },
  returns: vCommandTicket,
  handler: async (ctx, args) => await requestControl(ctx, args, "rollbackThread", requireNonEmpty("beforeTurnId", args.beforeTurnId)),
});

/** codex summarizes the conversation so far to free its context (`thread/compact/start`): a turn with a compaction marker. */
export const requestCompact = mutation({
  args: vRequest,
  returns: vCommandTicket,
  handler: async (ctx, args) => await requestControl(ctx, args, "compactThread"),
});
