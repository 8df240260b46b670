/**
 * Threads of one owner, keyed by codex's `threadId`. Creating is idempotent (the bridge
 * calls it whenever it sees a thread); `getState` is the one query a UI needs to show what
 * the thread is doing right now.
 */
import { paginationOptsValidator } from "convex/server";
import { paginator } from "convex-helpers/server/pagination";
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { type MutationCtx, type QueryCtx } from "./_generated/server.js";
import { mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { NAME_MAX_BYTES, PATH_MAX_BYTES } from "../contract/limits.js";
import { requireFits } from "./lib/args.js";
import { commandByKey, enqueueCommand, enqueueControl, openCommandsOfThread, withdrawQueued } from "./lib/commands.js";
import { createOrFillThread, findThread, ownerAndThread, ownerOf, requireNonEmpty, requireThread, type Owner } from "./lib/owner.js";
import { vCommandTicket, vThreadCreated, vThreadPage, vThreadState } from "./lib/returns.js";
import { pageOf } from "./lib/pages.js";
import { findTurn } from "./lib/turnRows.js";
import schema, { vv } from "./schema.js";
import { vActor, type Actor } from "./validators.js";

const RECENT_TURNS = 5;
const MAX_COUNTED_APPROVALS = 100;
const MAX_LISTED_COMMANDS = 50;

const vThreadFields = { name: v.optional(v.string()), model: v.optional(v.string()), cwd: v.optional(v.string()) };

/** A device's or the bridge's thread fields, refused (E_TOO_LARGE) when over their caps. */
function checkedFields(fields: { name?: string; model?: string; cwd?: string }) {
  const fit = (field: keyof typeof fields, max: number) => fields[field] !== undefined && requireFits(field, fields[field], max);
  fit("name", NAME_MAX_BYTES);
  fit("model", NAME_MAX_BYTES);
  fit("cwd", PATH_MAX_BYTES);
  return fields;
}

async function threadState(ctx: QueryCtx, owner: Owner, thread: Doc<"threads">) {
  const { threadId } = thread;
  const activeTurn = thread.activeTurnId ? await findTurn(ctx, owner, threadId, thread.activeTurnId) : null;
  const recentTurns = await ctx.db
    .query("turns")
    .withIndex("by_owner_thread_started", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId),
    )
    .order("desc")
    .take(RECENT_TURNS);
  const pendingApprovals = await ctx.db
    .query("approvals")
    .withIndex("by_owner_thread_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("status", "pending"),
    )
    .take(MAX_COUNTED_APPROVALS);
  const openCommands = await openCommandsOfThread(ctx, owner, threadId, MAX_LISTED_COMMANDS);
  return { thread, activeTurn, recentTurns, pendingApprovalCount: pendingApprovals.length, openCommands };
}

export const create = mutation({
  args: { actor: vActor, threadId: v.string(), ...vThreadFields },
  returns: vThreadCreated,
  handler: async (ctx, { actor, threadId: rawThreadId, ...fields }) => {
    const { owner, threadId } = ownerAndThread(actor, rawThreadId);
    const { created } = await createOrFillThread(ctx, owner, threadId, checkedFields(fields));
    return { threadId, created };
  },
});

/** Get-or-create, returning the row. */
export const resolve = mutation({
  args: { actor: vActor, threadId: v.string(), ...vThreadFields },
  returns: vv.doc("threads"),
  handler: async (ctx, { actor, threadId: rawThreadId, ...fields }) => {
    const { owner, threadId } = ownerAndThread(actor, rawThreadId);
    return (await createOrFillThread(ctx, owner, threadId, checkedFields(fields))).thread;
  },
});

/** A device picks the thread up again: records it and returns the current state. */
export const resume = mutation({
  args: { actor: vActor, threadId: v.string() },
  returns: vThreadState,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const thread = await requireThread(ctx, owner, threadId);
    const now = Date.now();
    await ctx.db.patch("threads", thread._id, { resumedAt: now, updatedAt: now });
    return await threadState(ctx, owner, (await ctx.db.get("threads", thread._id))!);
  },
});

/** The thread row, or `null` when this owner has none by that id (for UIs that wait for it). */
export const get = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.union(vv.doc("threads"), v.null()),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    return await findThread(ctx, owner, threadId);
  },
});

export const getState = query({
  args: { actor: vActor, threadId: v.string() },
  returns: vThreadState,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    return await threadState(ctx, owner, await requireThread(ctx, owner, threadId));
  },
});

/**
 * Most recently updated first; archived threads only when `includeArchived`. In pages (see
 * lib/pages.ts): pass `endCursor` back to keep a page's end pinned while threads move.
 */
export const list = query({
  args: { actor: vActor, paginationOpts: paginationOptsValidator, includeArchived: v.optional(v.boolean()) },
  returns: vThreadPage,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const db = paginator(ctx.db, schema);
    const threads = args.includeArchived
      ? db
          .query("threads")
          .withIndex("by_owner_updated_all", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId))
      : db
          .query("threads")
          .withIndex("by_owner_updated", (q) =>
            q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("archived", false),
          );
    return await pageOf(threads.order("desc"), args.paginationOpts);
  },
});

/** Names the thread here at once, and in codex through a host (`renameThread` command; only the last queued name is sent). */
export const setName = mutation({
  args: { actor: vActor, threadId: v.string(), name: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const name = requireFits("name", args.name.trim(), NAME_MAX_BYTES);
    if (name === "") throw codexError(ErrorCode.invalidArgument, "name must not be blank", { field: "name" });
    const thread = await requireThread(ctx, owner, threadId);
    const now = Date.now();
    await ctx.db.patch("threads", thread._id, { name, updatedAt: now });
    // codex's own name follows: a host runs `thread/name/set`, and codex's `thread/name/updated` comes back.
    await enqueueControl(ctx, owner, { threadId, kind: "renameThread", name, actor: args.actor }, ["renameThread"], now);
    return null;
  },
});

async function setArchived(ctx: MutationCtx, actor: Actor, rawThreadId: string, archived: boolean) {
  const { owner, threadId } = ownerAndThread(actor, rawThreadId);
  const thread = await requireThread(ctx, owner, threadId);
  // Already so: nothing for codex to do (codex refuses to archive an archived thread, and the
  // refusal would flip the flag the wrong way).
  if (thread.archived === archived) return null;
  const now = Date.now();
  await ctx.db.patch("threads", thread._id, { archived, updatedAt: now });
  // The list follows at once; codex follows when a host runs it (and undoes it here if codex refuses).
  const kind = archived ? "archiveThread" : "unarchiveThread";
  // A queued opposite command is what set the flag now undone: codex never heard of it, so
  // withdrawing it is all there is to do (running both, codex would refuse the second).
  const opposite = archived ? "unarchiveThread" : "archiveThread";
  if (await withdrawQueued(ctx, owner, threadId, opposite, `withdrawn by a later ${kind}`, now)) return null;
  await enqueueCommand(ctx, owner, { threadId, kind, actor }, now);
  return null;
}

/** Hides the thread from `list` at once; a host archives it in codex too (undone here if codex refuses). */
export const archive = mutation({
  args: { actor: vActor, threadId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => await setArchived(ctx, args.actor, args.threadId, true),
});

/** Lists the thread again at once; a host unarchives it in codex too. */
export const unarchive = mutation({
  args: { actor: vActor, threadId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => await setArchived(ctx, args.actor, args.threadId, false),
});

/**
 * The placeholder `threadId` of a `startThread` command: codex names the thread, so until a
 * host has started it the command is filed under the request's own key.
 */
export const NEW_THREAD_PREFIX = "new-thread:";

/**
 * Asks a host runtime for a new codex thread (`thread/start` with the host's settings). The
 * host that claims it completes it with codex's `threadId` (the command's `createdThreadId`,
 * read with `commands.get`). Repeating an `idempotencyKey` returns the first command; with no
 * host online it waits queued, and can be cancelled like any queued command.
 */
export const requestNew = mutation({
  args: { actor: vActor, idempotencyKey: v.string() },
  returns: vCommandTicket,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const idempotencyKey = requireNonEmpty("idempotencyKey", args.idempotencyKey);
    const threadId = `${NEW_THREAD_PREFIX}${idempotencyKey}`;
    const previous = await commandByKey(ctx, owner, threadId, "startThread", idempotencyKey);
    if (previous) return { commandId: previous._id, status: previous.status, deduplicated: true };
    const commandId = await enqueueCommand(ctx, owner, { threadId, kind: "startThread", actor: args.actor, idempotencyKey }, Date.now());
    return { commandId, status: "queued" as const, deduplicated: false };
  },
});
