/**
 * Row access shared by every module: the owner of a call and its thread. Everything goes
 * through the owner-prefixed indexes, so another user's ids are simply "not found".
 */
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { ErrorCode, codexError } from "../../contract/errors.js";
import type { Actor } from "../validators.js";
import { refuseDeletedThread } from "./tombstones.js";

export type Owner = { tenantId: string; userId: string };

export function ownerOf(actor: Actor): Owner {
  if (!actor.tenantId || !actor.userId) {
    throw codexError(ErrorCode.invalidArgument, "actor.tenantId and actor.userId must be non-empty");
  }
  return { tenantId: actor.tenantId, userId: actor.userId };
}

export async function findThread(
  ctx: QueryCtx,
  owner: Owner,
  threadId: string,
): Promise<Doc<"threads"> | null> {
  return await ctx.db
    .query("threads")
    .withIndex("by_owner_thread", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId),
    )
    .unique();
}

export async function requireThread(
  ctx: QueryCtx,
  owner: Owner,
  threadId: string,
): Promise<Doc<"threads">> {
  const thread = await findThread(ctx, owner, threadId);
  if (!thread) throw codexError(ErrorCode.threadNotFound, `thread ${threadId} not found`, { threadId });
  return thread;
}

/** Returns the thread, creating an empty one first if this owner has none by that id. */
export async function ensureThread(
  ctx: MutationCtx,
  owner: Owner,
  threadId: string,
  now: number,
  fields: Partial<Pick<Doc<"threads">, "name" | "model" | "cwd" | "preview" | "forkedFromThreadId">> = {},
): Promise<Doc<"threads">> {
  const existing = await findThread(ctx, owner, threadId);
  if (existing) return existing;
  const id = await ctx.db.insert("threads", {
    ...owner,
    threadId,
    ...fields,
    archived: false,
    turnCount: 0,
    messageCount: 0,
    createdAt: now,
    updatedAt: now,
  });
  return (await ctx.db.get("threads", id))!;
}

/**
 * Get-or-create for the bridge and devices: creates the row (unless the thread was deleted:
 * E_THREAD_DELETED), else fills what was unknown — never overwrites, so repeating it changes nothing.
 */
export async function createOrFillThread(ctx: MutationCtx, owner: Owner, threadId: string, fields: Partial<Doc<"threads">>) {
  const existing = await findThread(ctx, owner, threadId);
  if (!existing) {
    await refuseDeletedThread(ctx, owner, threadId);
    return { thread: await ensureThread(ctx, owner, threadId, Date.now(), fields), created: true };
  }
  const missing = Object.fromEntries(
    Object.entries(fields).filter(([key, value]) => value !== undefined && existing[key as keyof typeof existing] === undefined),
  );
  if (Object.keys(missing).length > 0) await ctx.db.patch("threads", existing._id, missing);
  return { thread: (await ctx.db.get("threads", existing._id))!, created: false };
}

/** Ids and keys arrive as plain strings; an empty one is a caller bug, reported with its field name. */
export function requireNonEmpty(field: string, value: string): string {
  if (value.trim() === "") {
    throw codexError(ErrorCode.invalidArgument, `${field} must be a non-empty string`, { field });
  }
  return value;
}

/** The owner and a checked thread id: the first lines of nearly every handler. */
export function ownerAndThread(actor: Actor, threadId: string): { owner: Owner; threadId: string } {
  return { owner: ownerOf(actor), threadId: requireNonEmpty("threadId", threadId) };
}
