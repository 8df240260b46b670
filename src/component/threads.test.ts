import { describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { alice, aliceElsewhere, bob, errorCode, seedActiveTurn, seedApproval, seedThread, setup, text } from "./test.helpers.js";

const page = { numItems: 10, cursor: null };

describe("threads", () => {
  test("create is idempotent per owner and only fills fields that were unknown", async () => {
    const t = setup();
    expect(await t.mutation(api.threads.create, { actor: alice, threadId: "thr", model: "gpt-5.5" })).toEqual({
      threadId: "thr",
      created: true,
    });
    expect(await t.mutation(api.threads.create, { actor: alice, threadId: "thr", model: "other", cwd: "/w" })).toEqual({
      threadId: "thr",
      created: false,
    });
    expect(await t.mutation(api.threads.create, { actor: bob, threadId: "thr" })).toEqual({ threadId: "thr", created: true });
    const row = await t.mutation(api.threads.resolve, { actor: alice, threadId: "thr" });
    expect(row).toMatchObject({ model: "gpt-5.5", cwd: "/w", archived: false, turnCount: 0, userId: "alice" });
    expect(await t.run(async (ctx) => (await ctx.db.query("threads").collect()).length)).toBe(2);
  });

  test("resolve creates on first sight and returns the same row afterwards", async () => {
    const t = setup();
    const first = await t.mutation(api.threads.resolve, { actor: alice, threadId: "thr", name: "Fix CI" });
    const second = await t.mutation(api.threads.resolve, { actor: alice, threadId: "thr" });
    expect(second._id).toBe(first._id);
    expect(second.name).toBe("Fix CI");
  });

  test("getState gathers the active turn, recent turns, pending approvals and open commands", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedActiveTurn(t, alice, threadId, "turn-1");
    await seedApproval(t, alice, { threadId });
    const { commandId } = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("more") });

    const state = await t.query(api.threads.getState, { actor: alice, threadId });
    expect(state.thread.threadId).toBe(threadId);
    expect(state.activeTurn?.turnId).toBe("turn-1");
    expect(state.recentTurns.map((turn) => turn.turnId)).toEqual(["turn-1"]);
    expect(state.pendingApprovalCount).toBe(1);
    expect(state.openCommands.map((c) => c._id)).toEqual([commandId]);
  });

  test("get returns the row, or null for a missing or foreign thread", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    expect((await t.query(api.threads.get, { actor: alice, threadId }))?.userId).toBe("alice");
    expect(await t.query(api.threads.get, { actor: bob, threadId })).toBeNull();
    expect(await t.query(api.threads.get, { actor: alice, threadId: "nope" })).toBeNull();
  });

  test("getState of a missing or foreign thread is E_THREAD_NOT_FOUND", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    for (const actor of [bob, aliceElsewhere]) {
      expect(await errorCode(t.query(api.threads.getState, { actor, threadId }))).toBe(ErrorCode.threadNotFound);
    }
    expect(await errorCode(t.query(api.threads.getState, { actor: alice, threadId: "nope" }))).toBe(ErrorCode.threadNotFound);
  });

  test("resume records the time and returns the state", async () => {
    vi.useFakeTimers({ now: 1_000 });
    try {
      const t = setup();
      const threadId = await seedThread(t, alice);
      vi.setSystemTime(5_000);
      const state = await t.mutation(api.threads.resume, { actor: alice, threadId });
      expect(state.thread).toMatchObject({ resumedAt: 5_000, updatedAt: 5_000, createdAt: 1_000 });
      expect(await errorCode(t.mutation(api.threads.resume, { actor: bob, threadId }))).toBe(ErrorCode.threadNotFound);
    } finally {
      vi.useRealTimers();
    }
  });

  test("list is newest-updated first, paginated, owner-scoped, archived only on request", async () => {
    vi.useFakeTimers({ now: 1_000 });
    try {
      const t = setup();
      for (const id of ["a", "b", "c"]) {
        vi.advanceTimersByTime(10);
        await seedThread(t, alice, id);
      }
      await seedThread(t, bob, "bobs");
      vi.advanceTimersByTime(10);
      await t.mutation(api.threads.setName, { actor: alice, threadId: "a", name: "renamed" }); // a is now newest
      await t.mutation(api.threads.archive, { actor: alice, threadId: "b" });

      const visible = await t.query(api.threads.list, { actor: alice, paginationOpts: page });
      expect(visible.page.map((x) => x.threadId)).toEqual(["a", "c"]);
      const all = await t.query(api.threads.list, { actor: alice, paginationOpts: page, includeArchived: true });
      expect(all.page.map((x) => x.threadId)).toEqual(["b", "a", "c"]);
      const first = await t.query(api.threads.list, { actor: alice, paginationOpts: { numItems: 1, cursor: null } });
      const second = await t.query(api.threads.list, { actor: alice, paginationOpts: { numItems: 1, cursor: first.continueCursor } });
      expect([...first.page, ...second.page].map((x) => x.threadId)).toEqual(["a", "c"]);

      await t.mutation(api.threads.unarchive, { actor: alice, threadId: "b" });
      expect((await t.query(api.threads.list, { actor: alice, paginationOpts: page })).page).toHaveLength(3);
      expect((await t.query(api.threads.list, { actor: bob, paginationOpts: page })).page.map((x) => x.threadId)).toEqual(["bobs"]);
    } finally {
      vi.useRealTimers();
    }
  });

  test.each([
    ["an empty name", "thr-1", "   ", ErrorCode.invalidArgument],
    // 200 characters, 800 bytes: over the cap only when counted in bytes, as Convex stores it.
    ["a too long name", "thr-1", "😀".repeat(200), ErrorCode.tooLarge],
    ["a blank name", "thr-1", "   ", ErrorCode.invalidArgument],
    ["a foreign thread", "not-mine", "x", ErrorCode.threadNotFound],
  ])("setName rejects %s", async (_name, threadId, name, code) => {
    const t = setup();
    await seedThread(t, alice);
    await seedThread(t, bob, "not-mine");
    expect(await errorCode(t.mutation(api.threads.setName, { actor: alice, threadId, name }))).toBe(code);
  });

  test("bob cannot archive alice's thread", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    expect(await errorCode(t.mutation(api.threads.archive, { actor: bob, threadId }))).toBe(ErrorCode.threadNotFound);
    expect((await t.query(api.threads.getState, { actor: alice, threadId })).thread.archived).toBe(false);
  });

  test.each([
    ["empty threadId", { actor: alice, threadId: "" }],
    ["empty userId", { actor: { tenantId: "acme", userId: "" }, threadId: "thr" }],
    ["empty tenantId", { actor: { tenantId: "", userId: "alice" }, threadId: "thr" }],
  ])("create rejects %s with E_INVALID_ARGUMENT", async (_name, args) => {
    const t = setup();
    expect(await errorCode(t.mutation(api.threads.create, args))).toBe(ErrorCode.invalidArgument);
  });

  test("an actor missing its userId is rejected by the validator", async () => {
    const t = setup();
    const actor = { tenantId: "acme" } as unknown as typeof alice;
    await expect(t.mutation(api.threads.create, { actor, threadId: "thr" })).rejects.toThrow(/Validator error/);
  });
});
