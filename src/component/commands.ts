/**
 * The bridge's side of the control plane: it subscribes to `listPending`, claims each
 * command (only the first claimer wins), runs it against codex and reports `complete`.
 * See `lib/commands.ts` for the state machine.
 */
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { NOTE_MAX_BYTES, truncateUtf8 } from "../contract/limits.js";
import { answerNotDelivered, archiveNotRun, oldestFirst, requireCommand } from "./lib/commands.js";
import { ownerOf, requireNonEmpty, requireThread } from "./lib/owner.js";
import { aliveAt, requireActiveSession, requireSession } from "./lib/sessionLifecycle.js";
import { linkTurnToCommand } from "./lib/turnRows.js";
import { vv } from "./schema.js";
import { vActor } from "./validators.js";

const DEFAULT_LIST_LIMIT = 100;

/**
 * Queued commands, oldest first: what the bridge subscribes to. With `sessionId`, only
 * commands any session may run plus those addressed to this one (answers to its codex).
 */
export const listPending = query({
  args: {
    actor: vActor,
    threadId: v.optional(v.string()),
    sessionId: v.optional(v.string()),
    limit: v.optional(v.number()),
  },
  returns: v.array(vv.doc("commands")),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const limit = Math.max(1, Math.min(args.limit ?? DEFAULT_LIST_LIMIT, DEFAULT_LIST_LIMIT));
    const { threadId, sessionId } = args;
    if (threadId !== undefined) {
      const queued = await ctx.db
        .query("commands")
        .withIndex("by_owner_thread_status", (q) =>
          q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("status", "queued"),
        )
        .take(limit);
      return queued.filter((c) => isRunnableBy(c.targetSessionId, sessionId));
    }
    if (sessionId === undefined) {
      return await ctx.db
        .query("commands")
        .withIndex("by_owner_status", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("status", "queued"))
        .take(limit);
    }
    const forTarget = (target: string | undefined) =>
      ctx.db
        .query("commands")
        .withIndex("by_owner_target_status", (q) =>
          q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("targetSessionId", target).eq("status", "queued"),
        )
        .take(limit);
    const [anyone, mine] = await Promise.all([forTarget(undefined), forTarget(sessionId)]);
    return [...anyone, ...mine].sort(oldestFirst).slice(0, limit);
  },
});

function isRunnableBy(targetSessionId: string | undefined, sessionId: string | undefined) {
  return sessionId === undefined || targetSessionId === undefined || targetSessionId === sessionId;
}

/** One command; `null` when it is another owner's or the id is not a command id at all (a stale link, a typo). */
export const get = query({
  args: { actor: vActor, commandId: v.string() },
  returns: v.union(vv.doc("commands"), v.null()),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const commandId = ctx.db.normalizeId("commands", args.commandId);
    if (commandId === null) return null;
    const command = await ctx.db.get("commands", commandId);
    return command && command.tenantId === owner.tenantId && command.userId === owner.userId ? command : null;
  },
});

/**
 * Hands a queued command to one session. Idempotent for that session: claiming what it already
 * holds returns the command again, so a runtime whose claim reply was lost simply asks again.
 */
export const claim = mutation({
  args: { actor: vActor, sessionId: v.string(), commandId: v.id("commands") },
  returns: vv.doc("commands"),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const session = await requireActiveSession(ctx, owner, requireNonEmpty("sessionId", args.sessionId));
    const command = await requireCommand(ctx, owner, args.commandId);
    if (command.status === "claimed" && command.claimedBy === session.sessionId) return command;
    const addressedElsewhere = command.targetSessionId !== undefined && command.targetSessionId !== session.sessionId;
    if (command.status !== "queued" || addressedElsewhere) {
      throw codexError(ErrorCode.commandNotClaimable, `command ${command._id} is ${command.status}`, {
        commandId: command._id,
        status: command.status,
      });
    }
    const now = Date.now();
    await ctx.db.patch("commands", command._id, { status: "claimed", claimedBy: session.sessionId, claimedAt: now });
    await ctx.db.patch("sessions", session._id, aliveAt(session, now));
    return (await ctx.db.get("commands", command._id))!;
  },
});

/**
 * Reports the outcome. A `startTurn` that succeeded must say which codex turn it started, and
 * `steered` when codex folded it into the turn that was already running (then `turnId` is that
 * turn, recorded as `steeredInto`; the turn stays linked to the command that started it).
 * Idempotent: reporting again the outcome this session already recorded returns the command,
 * so a runtime whose reply was lost retries until it hears back; any other report on a
 * finished command (e.g. one its retired session left failed) is refused.
 */
export const complete = mutation({
  args: {
    actor: vActor,
    sessionId: v.string(),
    commandId: v.id("commands"),
    turnId: v.optional(v.string()),
    /** For `startThread`: the thread codex started (its row must exist: the host ensured it first). */
    threadId: v.optional(v.string()),
    steered: v.optional(v.boolean()),
    error: v.optional(v.string()),
  },
  returns: vv.doc("commands"),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const session = await requireSession(ctx, owner, requireNonEmpty("sessionId", args.sessionId));
    const command = await requireCommand(ctx, owner, args.commandId);
    if (command.claimedBy === session.sessionId && isSameCompletion(command, args)) return command;
    if (command.status !== "claimed" || command.claimedBy !== session.sessionId) {
      throw codexError(
        ErrorCode.commandNotClaimedBySession,
        `command ${command._id} is ${command.status}, not claimed by session ${session.sessionId}`,
        { commandId: command._id, status: command.status },
      );
    }
    const now = Date.now();
    if (args.error !== undefined) {
      await ctx.db.patch("commands", command._id, { status: "failed", error: truncateUtf8(args.error, NOTE_MAX_BYTES).text, finishedAt: now });
      await answerNotDelivered(ctx, owner, command, now);
      await archiveNotRun(ctx, owner, command, now);
      return (await ctx.db.get("commands", command._id))!;
    }
    if (command.kind === "startTurn" && command.threadId !== undefined) {
      if (args.turnId === undefined) {
        throw codexError(ErrorCode.invalidArgument, "completing a startTurn command requires the codex turnId", {
          field: "turnId",
        });
      }
      const turnId = requireNonEmpty("turnId", args.turnId);
      // A folded command's turn belongs to the command that started it.
      if (args.steered) await ctx.db.patch("commands", command._id, { turnId, steeredInto: turnId });
      else {
        await linkTurnToCommand(ctx, owner, command.threadId, turnId, command._id, session.sessionId, now);
        await ctx.db.patch("commands", command._id, { turnId });
      }
    }
    if (command.kind === "startThread" || command.kind === "forkThread") {
      if (args.threadId === undefined) {
        throw codexError(ErrorCode.invalidArgument, `completing a ${command.kind} command requires the codex threadId`, { field: "threadId" });
      }
      const thread = await requireThread(ctx, owner, requireNonEmpty("threadId", args.threadId));
      await ctx.db.patch("commands", command._id, { createdThreadId: thread.threadId });
    }
    await ctx.db.patch("commands", command._id, { status: "done", finishedAt: now });
    return (await ctx.db.get("commands", command._id))!;
  },
});

/** The command already ended exactly as `args` reports: a retry whose first reply was lost. */
function isSameCompletion(command: Doc<"commands">, args: { turnId?: string; error?: string }) {
  if (args.error !== undefined) return command.status === "failed" && command.error === truncateUtf8(args.error, NOTE_MAX_BYTES).text;
  return command.status === "done" && command.turnId === args.turnId;
}

/**
 * Withdraws a command nobody claimed yet. Answers to server requests cannot be withdrawn:
 * the decision is already recorded and shown to every device.
 */
export const cancel = mutation({
  args: { actor: vActor, commandId: v.id("commands") },
  returns: vv.doc("commands"),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const command = await requireCommand(ctx, owner, args.commandId);
    if (command.status !== "queued" || command.kind === "respondServerRequest") {
      throw codexError(ErrorCode.commandNotCancellable, `command ${command._id} (${command.kind}) is ${command.status}`, {
        commandId: command._id,
        status: command.status,
      });
    }
    const now = Date.now();
    await ctx.db.patch("commands", command._id, { status: "cancelled", finishedAt: now });
    // A withdrawn archive never reaches codex: the thread row says so again.
    await archiveNotRun(ctx, owner, command, now);
    return (await ctx.db.get("commands", command._id))!;
  },
});
