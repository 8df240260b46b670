/// <reference types="vite/client" />
/**
 * Shared fixtures for the component's convex-test suites. (The file name has two dots, so
 * Convex does not deploy it as a function module.)
 */
import { createConvexTest } from "../testing/convexTest.js";
import { api } from "./_generated/api.js";
import type { Id } from "./_generated/dataModel.js";
import schema from "./schema.js";
import type { Actor, ApprovalKind, RequestId } from "./validators.js";

export const modules = import.meta.glob("./**/*.ts");

export const setup = () => createConvexTest(schema, modules);
export type T = ReturnType<typeof setup>;

export const alice: Actor = { tenantId: "acme", userId: "alice", deviceId: "alice-phone" };
export const bob: Actor = { tenantId: "acme", userId: "bob", deviceId: "bob-laptop" };
/** Same userId as alice, other tenant: must be a different owner. */
export const aliceElsewhere: Actor = { tenantId: "globex", userId: "alice" };

export const text = (value: string) => [{ type: "text" as const, text: value }];

export async function seedThread(t: T, actor: Actor, threadId = "thr-1") {
  await t.mutation(api.threads.create, { actor, threadId });
  return threadId;
}

export async function openSession(t: T, actor: Actor, sessionId = "sess-1") {
  await t.mutation(api.sessions.open, { actor, sessionId });
  return sessionId;
}

/** A started turn as ingest would record it on `turn/started`. */
export async function seedActiveTurn(t: T, actor: Actor, threadId: string, turnId = "turn-1") {
  await t.run(async (ctx) => {
    await ctx.db.insert("turns", {
      tenantId: actor.tenantId,
      userId: actor.userId,
      threadId,
      turnId,
      status: "inProgress",
      startedAt: Date.now(),
    });
    const thread = await ctx.db
      .query("threads")
      .withIndex("by_owner_thread", (q) =>
        q.eq("tenantId", actor.tenantId).eq("userId", actor.userId).eq("threadId", threadId),
      )
      .unique();
    await ctx.db.patch(thread!._id, { activeTurnId: turnId, lastTurnId: turnId });
  });
  return turnId;
}

export type ApprovalSeed = {
  threadId: string;
  turnId?: string;
  itemId?: string;
  sessionId?: string;
  requestId?: RequestId;
  kind?: ApprovalKind;
  method?: string;
  params?: Record<string, unknown>;
};

/** A server request plus its approval row, as ingest inserts them when codex asks. */
export async function seedApproval(t: T, actor: Actor, seed: ApprovalSeed) {
  const { threadId, turnId = "turn-1", itemId = "item-1", sessionId = "sess-1", requestId = 0 } = seed;
  const kind = seed.kind ?? "commandExecution";
  const method = seed.method ?? "item/commandExecution/requestApproval";
  const owner = { tenantId: actor.tenantId, userId: actor.userId };
  return await t.run(async (ctx) => {
    const serverRequest = await ctx.db.insert("server_requests", {
      ...owner,
      threadId,
      sessionId,
      requestId,
      method,
      turnId,
      itemId,
      status: "pending",
      paramsJson: JSON.stringify({ threadId, turnId, itemId, ...seed.params }),
      createdAt: Date.now(),
    });
    const approval = await ctx.db.insert("approvals", {
      ...owner,
      threadId,
      turnId,
      itemId,
      kind,
      status: "pending",
      serverRequest,
      command: kind === "commandExecution" ? "rm -rf build" : undefined,
      createdAt: Date.now(),
    });
    return { serverRequest, approval } as { serverRequest: Id<"server_requests">; approval: Id<"approvals"> };
  });
}

/** The `code` of a coded error thrown by `promise`. */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const data = (error as { data?: { code?: string } }).data;
    if (data?.code) return data.code;
    throw error;
  }
  throw new Error("expected the call to fail");
}
