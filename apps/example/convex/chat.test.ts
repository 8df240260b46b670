/// <reference types="vite/client" />
/**
 * The example's wrappers on convex-test with the real component mounted: who you are comes
 * from the identity only, and one user's thread is invisible to another.
 */
import { createConvexTest } from "../../../src/testing/convexTest.js";
import { internalMutationGeneric, type FunctionReference } from "convex/server";
import { v } from "convex/values";
import { describe, expect, test, vi } from "vitest";
import { ErrorCode } from "../../../src/contract/errors.js";
import { modules as componentModules, schema } from "../../../src/test.js";
import { api, components } from "./_generated/api";

const modules = import.meta.glob("./**/*.ts");

/**
 * Codex asks for an approval through ingest (the data side); here a test-only module in the
 * component stands in for that one insert so the answer path can be exercised end to end.
 */
const seedApproval = internalMutationGeneric({
  args: { tenantId: v.string(), userId: v.string(), threadId: v.string(), sessionId: v.string() },
  handler: async (ctx, owner) => {
    const { threadId, sessionId } = owner;
    const who = { tenantId: owner.tenantId, userId: owner.userId };
    const serverRequest = await ctx.db.insert("server_requests", {
      ...who,
      threadId,
      sessionId,
      requestId: 0,
      method: "item/commandExecution/requestApproval",
      turnId: "turn-1",
      itemId: "item-1",
      status: "pending",
      paramsJson: "{}",
      createdAt: Date.now(),
    });
    await ctx.db.insert("approvals", {
      ...who,
      threadId,
      turnId: "turn-1",
      itemId: "item-1",
      kind: "commandExecution",
      status: "pending",
      serverRequest,
      createdAt: Date.now(),
    });
  },
});
const seeding = components.codexLocal as unknown as {
  testSeed: { seedApproval: FunctionReference<"mutation", "internal", Record<string, string>, null> };
};

function setup() {
  const t = createConvexTest(undefined, modules);
  t.registerComponent("codexLocal", schema, {
    ...componentModules,
    "./component/testSeed.ts": async () => ({ seedApproval }),
  });
  return t;
}

const userOf = (subject: string) => ({ tenantId: "default", userId: `https://convex.test|${subject}` });
const page = { numItems: 10, cursor: null };

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return (error as { data?: { code?: string } }).data?.code;
  }
  throw new Error("expected the call to fail");
}

describe("example chat wrappers", () => {
  test("anonymous callers get E_UNAUTHENTICATED from queries and mutations", async () => {
    const t = setup();
    expect(await codeOf(t.mutation(api.codex.ensureThread, { threadId: "thr" }))).toBe(ErrorCode.unauthenticated);
    expect(await codeOf(t.query(api.codex.listThreads, { paginationOpts: page }))).toBe(ErrorCode.unauthenticated);
    expect(await codeOf(t.query(api.codex.commandsPending, {}))).toBe(ErrorCode.unauthenticated);
  });

  test("a device starts a turn, the bridge claims and completes it, the state shows the turn", async () => {
    const t = setup();
    const a = t.withIdentity({ subject: "user-a" });
    await a.mutation(api.codex.sessionOpen, { sessionId: "bridge-1", deviceId: "laptop" });
    await a.mutation(api.codex.ensureThread, { threadId: "thr", cwd: "/work" });
    const turnArgs = { threadId: "thr", inputText: "fix the build", idempotencyKey: "k1", deviceId: "phone" };
    const ticket = await a.mutation(api.codex.registerTurnStart, turnArgs);
    expect(await a.mutation(api.codex.registerTurnStart, turnArgs)).toEqual({ ...ticket, deduplicated: true });

    const pending = await a.query(api.codex.commandsPending, { sessionId: "bridge-1" });
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ kind: "startTurn", deviceId: "phone", userId: userOf("user-a").userId });

    await a.mutation(api.codex.commandClaim, { sessionId: "bridge-1", commandId: ticket.commandId });
    // Claiming again from the same session (its first reply lost) returns the command; another session loses.
    expect(await a.mutation(api.codex.commandClaim, { sessionId: "bridge-1", commandId: ticket.commandId })).toMatchObject({ status: "claimed" });
    await a.mutation(api.codex.sessionOpen, { sessionId: "bridge-2", deviceId: "desktop" });
    expect(await codeOf(a.mutation(api.codex.commandClaim, { sessionId: "bridge-2", commandId: ticket.commandId }))).toBe(
      ErrorCode.commandNotClaimable,
    );
    await a.mutation(api.codex.commandComplete, { sessionId: "bridge-1", commandId: ticket.commandId, turnId: "codex-turn-1" });

    const state = await a.query(api.codex.threadState, { threadId: "thr" });
    expect(state.activeTurn?.turnId).toBe("codex-turn-1");
    const steer = await a.mutation(api.codex.steerActiveTurn, { threadId: "thr", inputText: "and the docs", idempotencyKey: "k2" });
    expect(steer).toMatchObject({ turnId: "codex-turn-1", deduplicated: false });
    const interrupt = await a.mutation(api.codex.interruptActiveTurn, { threadId: "thr" });
    expect(interrupt).toMatchObject({ turnId: "codex-turn-1", deduplicated: false });
    expect((await a.query(api.codex.listThreads, { paginationOpts: page })).page.map((x) => x.threadId)).toEqual(["thr"]);
  });

  test("approvals: the first device's answer wins and becomes one command for the bridge", async () => {
    const t = setup();
    const a = t.withIdentity({ subject: "user-a" });
    await a.mutation(api.codex.sessionOpen, { sessionId: "bridge-1" });
    await a.mutation(api.codex.ensureThread, { threadId: "thr" });
    await t.mutation(seeding.testSeed.seedApproval, { ...userOf("user-a"), threadId: "thr", sessionId: "bridge-1" });
    expect(await a.query(api.codex.pendingApprovals, { threadId: "thr" })).toHaveLength(1);

    const answer = { threadId: "thr", turnId: "turn-1", itemId: "item-1" };
    const first = await a.mutation(api.codex.approvalRespond, { ...answer, decision: "accepted", deviceId: "phone" });
    const late = a.mutation(api.codex.approvalRespond, { ...answer, decision: "declined", deviceId: "laptop" });
    expect(await codeOf(late)).toBe(ErrorCode.approvalAlreadyDecided);
    const commands = await a.query(api.codex.commandsPending, { sessionId: "bridge-1" });
    expect(commands.map((c) => [c._id, c.kind, c.responseJson])).toEqual([
      [first.commandId, "respondServerRequest", '{"decision":"accept"}'],
    ]);
    expect(await a.query(api.codex.pendingApprovals, { threadId: "thr" })).toEqual([]);
  });

  test("user B can neither read nor answer nor drive user A's thread", async () => {
    const t = setup();
    const a = t.withIdentity({ subject: "user-a" });
    const b = t.withIdentity({ subject: "user-b" });
    await a.mutation(api.codex.sessionOpen, { sessionId: "bridge-1" });
    await a.mutation(api.codex.ensureThread, { threadId: "thr" });
    await t.mutation(seeding.testSeed.seedApproval, { ...userOf("user-a"), threadId: "thr", sessionId: "bridge-1" });
    const ticket = await a.mutation(api.codex.registerTurnStart, { threadId: "thr", inputText: "hi", idempotencyKey: "k" });

    expect(await codeOf(b.query(api.codex.threadState, { threadId: "thr" }))).toBe(ErrorCode.threadNotFound);
    expect(await b.query(api.codex.pendingApprovals, { threadId: "thr" })).toEqual([]);
    expect(await b.query(api.codex.pendingServerRequests, { threadId: "thr" })).toEqual([]);
    expect(await b.query(api.codex.commandsPending, {})).toEqual([]);
    expect((await b.query(api.codex.listThreads, { paginationOpts: page })).page).toEqual([]);
    expect(
      await codeOf(b.mutation(api.codex.approvalRespond, { threadId: "thr", turnId: "turn-1", itemId: "item-1", decision: "accepted" })),
    ).toBe(ErrorCode.threadNotFound);
    expect(
      await codeOf(
        b.mutation(api.codex.resolveServerRequest, { threadId: "thr", sessionId: "bridge-1", requestId: 0, responseJson: "{}" }),
      ),
    ).toBe(ErrorCode.threadNotFound);
    expect(await codeOf(b.mutation(api.codex.registerTurnStart, { threadId: "thr", inputText: "x", idempotencyKey: "k" }))).toBe(
      ErrorCode.threadNotFound,
    );
    await b.mutation(api.codex.sessionOpen, { sessionId: "bridge-1" }); // B's own session of the same name
    expect(await codeOf(b.mutation(api.codex.commandClaim, { sessionId: "bridge-1", commandId: ticket.commandId }))).toBe(
      ErrorCode.commandNotFound,
    );
    // B creating "thr" makes B's own thread; A's stays A's, untouched.
    expect(await b.mutation(api.codex.ensureThread, { threadId: "thr" })).toEqual({ threadId: "thr", created: true });
    expect(
      await codeOf(b.mutation(api.codex.approvalRespond, { threadId: "thr", turnId: "turn-1", itemId: "item-1", decision: "accepted" })),
    ).toBe(ErrorCode.approvalNotFound);
    expect(await a.query(api.codex.pendingApprovals, { threadId: "thr" })).toHaveLength(1);
  });

  test("a client cannot smuggle a userId: wrapper arguments reject it", async () => {
    const t = setup();
    const b = t.withIdentity({ subject: "user-b" });
    const smuggled = { threadId: "thr", userId: "https://convex.test|user-a" } as unknown as { threadId: string };
    await expect(b.query(api.codex.threadState, smuggled)).rejects.toThrow(/Validator error/);
  });

  test("a stale bridge session fails its claimed command, visible in the thread state", async () => {
    vi.useFakeTimers({ now: 5_000_000 });
    try {
      const t = setup();
      const a = t.withIdentity({ subject: "user-a" });
      const { staleAfterMs } = await a.mutation(api.codex.sessionOpen, { sessionId: "bridge-1" });
      await a.mutation(api.codex.ensureThread, { threadId: "thr" });
      const ticket = await a.mutation(api.codex.registerTurnStart, { threadId: "thr", inputText: "hi", idempotencyKey: "k" });
      await a.mutation(api.codex.commandClaim, { sessionId: "bridge-1", commandId: ticket.commandId });
      expect((await a.query(api.codex.threadState, { threadId: "thr" })).openCommands).toHaveLength(1);

      vi.advanceTimersByTime(staleAfterMs + 10);
      await t.finishInProgressScheduledFunctions();

      expect((await a.query(api.codex.threadState, { threadId: "thr" })).openCommands).toEqual([]);
      expect(await codeOf(a.mutation(api.codex.sessionHeartbeat, { sessionId: "bridge-1" }))).toBe(ErrorCode.sessionNotActive);
      expect(await a.mutation(api.codex.registerTurnStart, { threadId: "thr", inputText: "hi", idempotencyKey: "k" })).toMatchObject({
        commandId: ticket.commandId,
        status: "failed",
        deduplicated: true,
      });
    } finally {
      vi.useRealTimers();
    }
  });
});
