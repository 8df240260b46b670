/**
 * Turns as devices see them. Starting, steering or interrupting a turn does not touch
 * codex: it enqueues a command the bridge runs. Turn rows themselves appear when codex reports the
 * turn (ingest) or when the bridge completes the `startTurn` command, whichever is first.
 */
import { paginationOptsValidator } from "convex/server";
import { paginator } from "convex-helpers/server/pagination";
import { v, type ObjectType } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { type MutationCtx, type QueryCtx } from "./_generated/server.js";
import { mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { TURN_INPUT_MAX_BYTES, TURN_INPUT_MAX_PARTS } from "../contract/limits.js";
import { requireFits } from "./lib/args.js";
import { commandByKey, enqueueCommand, openCommandsOfThread } from "./lib/commands.js";
import { ownerAndThread, requireNonEmpty, requireThread, type Owner } from "./lib/owner.js";
import { vCommandTicket, vCurrentPlan, vTurnPage } from "./lib/returns.js";
import { pageOf } from "./lib/pages.js";
import { findTurn } from "./lib/turnRows.js";
import schema, { vv } from "./schema.js";
import { vActor, vTurnInput, type TurnInput } from "./validators.js";

/** 1 to TURN_INPUT_MAX_PARTS parts, all their text, URLs and paths within TURN_INPUT_MAX_BYTES (else E_TOO_LARGE). */
function checkInput(input: TurnInput[]) {
  if (input.length === 0) throw codexError(ErrorCode.invalidArgument, "input must have at least one part", { field: "input" });
  if (input.length > TURN_INPUT_MAX_PARTS) {
    throw codexError(ErrorCode.tooLarge, `input has ${input.length} parts; at most ${TURN_INPUT_MAX_PARTS}`, {
      field: "input",
      maxEntries: TURN_INPUT_MAX_PARTS,
    });
  }
  const strings = input.flatMap((part) => Object.values(part).filter((x): x is string => typeof x === "string"));
  requireFits("input", strings.join(""), TURN_INPUT_MAX_BYTES);
}

/**
 * The command an earlier call of this kind with this key enqueued, if any; the same key with
 * another input is an error. Starts and steers have separate key spaces.
 */
async function previousTicket(ctx: QueryCtx, owner: Owner, threadId: string, kind: TurnCommandKind, idempotencyKey: string, input: TurnInput[]) {
  const previous = await commandByKey(ctx, owner, threadId, kind, idempotencyKey);
  if (!previous) return null;
  if (JSON.stringify(previous.input) !== JSON.stringify(input)) {
    throw codexError(ErrorCode.idempotencyKeyReused, `idempotencyKey ${idempotencyKey} was used with another input`, {
      commandId: previous._id,
    });
  }
  return { commandId: previous._id, status: previous.status, deduplicated: true, turnId: previous.turnId };
}

/** The turn to act on: `requested`, else the thread's active one; it must still be running. */
async function runningTurnId(ctx: QueryCtx, owner: Owner, thread: Doc<"threads">, requested: string | undefined) {
  const { threadId } = thread;
  const turnId = requested === undefined ? thread.activeTurnId : requireNonEmpty("turnId", requested);
  if (turnId === undefined) throw codexError(ErrorCode.noActiveTurn, `thread ${threadId} has no active turn`, { threadId });
  const turn = await findTurn(ctx, owner, threadId, turnId);
  if (requested !== undefined && !turn) throw codexError(ErrorCode.turnNotFound, `turn ${turnId} not found`, { threadId, turnId });
  if (turn && turn.status !== "inProgress") {
    throw codexError(ErrorCode.noActiveTurn, `turn ${turnId} is ${turn.status}`, { threadId, turnId });
  }
  return turnId;
}

const vTurnRequest = { actor: vActor, threadId: v.string(), idempotencyKey: v.string(), input: v.array(vTurnInput) };

type TurnCommandKind = "startTurn" | "steerTurn";

/** What `start` and `steer` check first; `previous` is the ticket an earlier call of that kind with the key got. */
async function turnRequest(ctx: MutationCtx, kind: TurnCommandKind, args: ObjectType<typeof vTurnRequest>) {
  const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
  const idempotencyKey = requireNonEmpty("idempotencyKey", args.idempotencyKey);
  checkInput(args.input);
  const thread = await requireThread(ctx, owner, threadId);
  const previous = await previousTicket(ctx, owner, threadId, kind, idempotencyKey, args.input);
  return { owner, threadId, idempotencyKey, thread, previous };
}

/** Asks the bridge for a new turn. Repeating an `idempotencyKey` returns the first command. */
export const start = mutation({
  args: vTurnRequest,
  returns: vCommandTicket,
  handler: async (ctx, args) => {
    const { owner, threadId, idempotencyKey, thread, previous } = await turnRequest(ctx, "startTurn", args);
    if (previous) return previous;
    const now = Date.now();
    const command = { threadId, kind: "startTurn" as const, actor: args.actor, idempotencyKey, input: args.input };
    const commandId = await enqueueCommand(ctx, owner, command, now);
    await ctx.db.patch("threads", thread._id, { updatedAt: now });
    return { commandId, status: "queued" as const, deduplicated: false };
  },
});

/**
 * Adds input to the running turn (codex `turn/steer`, which fails if that turn is no longer
 * the active one). Idempotent by key, like `start`.
 */
export const steer = mutation({
  args: { ...vTurnRequest, turnId: v.optional(v.string()) },
  returns: vCommandTicket,
  handler: async (ctx, args) => {
    const { owner, threadId, idempotencyKey, thread, previous } = await turnRequest(ctx, "steerTurn", args);
    if (previous) return previous;
    const turnId = await runningTurnId(ctx, owner, thread, args.turnId);
    const command = { threadId, kind: "steerTurn" as const, actor: args.actor, idempotencyKey, input: args.input, turnId };
    const commandId = await enqueueCommand(ctx, owner, command, Date.now());
    return { commandId, status: "queued" as const, deduplicated: false, turnId };
  },
});

/** Asks the bridge to interrupt the active turn (or `turnId`). A pending interrupt is reused. */
export const interrupt = mutation({
  args: { actor: vActor, threadId: v.string(), turnId: v.optional(v.string()) },
  returns: vCommandTicket,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const thread = await requireThread(ctx, owner, threadId);
    const turnId = await runningTurnId(ctx, owner, thread, args.turnId);
    const open = await openCommandsOfThread(ctx, owner, threadId, 100);
    const pending = open.find((c) => c.kind === "interruptTurn" && c.turnId === turnId);
    if (pending) return { commandId: pending._id, status: pending.status, deduplicated: true, turnId };
    const commandId = await enqueueCommand(ctx, owner, { threadId, kind: "interruptTurn", actor: args.actor, turnId }, Date.now());
    return { commandId, status: "queued" as const, deduplicated: false, turnId };
  },
});

export const get = query({
  args: { actor: vActor, threadId: v.string(), turnId: v.string() },
  returns: v.union(vv.doc("turns"), v.null()),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    return await findTurn(ctx, owner, threadId, requireNonEmpty("turnId", args.turnId));
  },
});

/** Turns of a thread, newest first, in pages (lib/pages.ts). Another owner's thread reads as empty. */
export const listByThread = query({
  args: { actor: vActor, threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: vTurnPage,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turns = paginator(ctx.db, schema)
      .query("turns")
      .withIndex("by_owner_thread_started", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId),
      )
      .order("desc");
    return await pageOf(turns, args.paginationOpts);
  },
});

/** Turns looked at for the current plan, newest first. */
const PLAN_RECENT_TURNS = 10;

/**
 * The thread's current plan (codex's `turn/plan/updated`: steps with their status, and the
 * explanation): the newest turn's among the last few that made one, with that turn's id and
 * status; `null` when none did (or the thread is not this owner's).
 */
export const currentPlan = query({
  args: { actor: vActor, threadId: v.string() },
  returns: vCurrentPlan,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const recent = await ctx.db
      .query("turns")
      .withIndex("by_owner_thread_started", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId))
      .order("desc")
      .take(PLAN_RECENT_TURNS);
    const turn = recent.find((t) => t.plan !== undefined);
    return turn ? { turnId: turn.turnId, turnStatus: turn.status, plan: turn.plan! } : null;
  },
});
