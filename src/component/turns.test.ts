import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { alice, bob, errorCode, openSession, seedActiveTurn, seedThread, setup, text } from "./test.helpers.js";

describe("turns.start", () => {
  test("the same idempotency key returns the same command; a new key enqueues another", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const first = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k1", input: text("hi") });
    const again = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k1", input: text("hi") });
    const other = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k2", input: text("hi") });

    expect(first).toMatchObject({ status: "queued", deduplicated: false });
    expect(again).toEqual({ commandId: first.commandId, status: "queued", deduplicated: true });
    expect(other.commandId).not.toBe(first.commandId);
    const pending = await t.query(api.commands.listPending, { actor: alice, threadId });
    expect(pending.map((c) => c._id)).toEqual([first.commandId, other.commandId]);
    expect(pending[0]).toMatchObject({ kind: "startTurn", input: text("hi"), deviceId: "alice-phone" });
  });

  test("a repeat after the bridge finished reports the final status and the codex turn id", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const sessionId = await openSession(t, alice);
    const { commandId } = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("hi") });
    await t.mutation(api.commands.claim, { actor: alice, sessionId, commandId });
    await t.mutation(api.commands.complete, { actor: alice, sessionId, commandId, turnId: "codex-turn-9" });

    const again = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("hi") });
    expect(again).toEqual({ commandId, status: "done", deduplicated: true, turnId: "codex-turn-9" });
    expect(await t.query(api.commands.listPending, { actor: alice })).toEqual([]);
  });

  test("reusing a key with another input is rejected, not silently merged", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("one") });
    const code = await errorCode(t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("two") }));
    expect(code).toBe(ErrorCode.idempotencyKeyReused);
  });

  test("idempotency is per owner: bob cannot hit alice's key, nor start a turn on her thread", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedThread(t, bob, threadId); // bob has his own thread with the same codex id
    const a = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("a") });
    const b = await t.mutation(api.turns.start, { actor: bob, threadId, idempotencyKey: "k", input: text("b") });
    expect(b.deduplicated).toBe(false);
    expect(b.commandId).not.toBe(a.commandId);
    expect(await errorCode(t.mutation(api.turns.start, { actor: bob, threadId: "only-alice", idempotencyKey: "x", input: text("x") })))
      .toBe(ErrorCode.threadNotFound);
  });

  test.each([
    ["empty thread id", { threadId: "", idempotencyKey: "k", input: text("x") }, ErrorCode.invalidArgument],
    ["blank idempotency key", { threadId: "thr-1", idempotencyKey: "  ", input: text("x") }, ErrorCode.invalidArgument],
    ["no input", { threadId: "thr-1", idempotencyKey: "k", input: [] }, ErrorCode.invalidArgument],
    // 100k characters, 300 KB: over the cap in bytes.
    ["oversized input", { threadId: "thr-1", idempotencyKey: "k", input: text("界".repeat(100_000)) }, ErrorCode.tooLarge],
    ["too many input parts", { threadId: "thr-1", idempotencyKey: "k", input: Array.from({ length: 33 }, () => text("x")[0]!) }, ErrorCode.tooLarge],
    ["an oversized idempotency key", { threadId: "thr-1", idempotencyKey: "k".repeat(257), input: text("x") }, ErrorCode.tooLarge],
    ["a blank idempotency key", { threadId: "thr-1", idempotencyKey: " ", input: text("x") }, ErrorCode.invalidArgument],
    ["unknown thread", { threadId: "nope", idempotencyKey: "k", input: text("x") }, ErrorCode.threadNotFound],
  ])("rejects %s with a code", async (_name, args, code) => {
    const t = setup();
    await seedThread(t, alice);
    expect(await errorCode(t.mutation(api.turns.start, { actor: alice, ...args }))).toBe(code);
    expect(await t.query(api.commands.listPending, { actor: alice })).toEqual([]);
  });

  test("the validator rejects an input part of an unknown type", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const bad = [{ type: "audio", data: "x" }] as unknown as ReturnType<typeof text>;
    await expect(t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: bad })).rejects.toThrow(
      /Validator error/,
    );
  });
});

describe("turns.interrupt", () => {
  test("targets the active turn and reuses a pending interrupt", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedActiveTurn(t, alice, threadId, "turn-7");
    const first = await t.mutation(api.turns.interrupt, { actor: alice, threadId });
    const second = await t.mutation(api.turns.interrupt, { actor: alice, threadId });
    expect(first).toMatchObject({ status: "queued", deduplicated: false, turnId: "turn-7" });
    expect(second).toEqual({ ...first, deduplicated: true });
    const pending = await t.query(api.commands.listPending, { actor: alice, threadId });
    expect(pending.filter((c) => c.kind === "interruptTurn")).toHaveLength(1);
  });

  test("a claimed interrupt still counts as pending; a finished one does not", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedActiveTurn(t, alice, threadId);
    const sessionId = await openSession(t, alice);
    const first = await t.mutation(api.turns.interrupt, { actor: alice, threadId });
    await t.mutation(api.commands.claim, { actor: alice, sessionId, commandId: first.commandId });
    expect((await t.mutation(api.turns.interrupt, { actor: alice, threadId })).commandId).toBe(first.commandId);
    await t.mutation(api.commands.complete, { actor: alice, sessionId, commandId: first.commandId, error: "codex said no" });
    expect((await t.mutation(api.turns.interrupt, { actor: alice, threadId })).commandId).not.toBe(first.commandId);
  });

  test("without an active turn, or for a finished one, it says so", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    expect(await errorCode(t.mutation(api.turns.interrupt, { actor: alice, threadId }))).toBe(ErrorCode.noActiveTurn);
    await seedActiveTurn(t, alice, threadId, "turn-1");
    await t.run(async (ctx) => {
      const turn = await ctx.db.query("turns").first();
      await ctx.db.patch(turn!._id, { status: "completed" });
    });
    expect(await errorCode(t.mutation(api.turns.interrupt, { actor: alice, threadId, turnId: "turn-1" }))).toBe(
      ErrorCode.noActiveTurn,
    );
    expect(await errorCode(t.mutation(api.turns.interrupt, { actor: alice, threadId, turnId: "turn-404" }))).toBe(
      ErrorCode.turnNotFound,
    );
  });

  test("bob cannot interrupt alice's turn", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedActiveTurn(t, alice, threadId);
    expect(await errorCode(t.mutation(api.turns.interrupt, { actor: bob, threadId }))).toBe(ErrorCode.threadNotFound);
  });
});

describe("turns.steer", () => {
  test("adds input to the active turn, idempotently, addressed to that turn", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedActiveTurn(t, alice, threadId, "turn-3");
    const args = { actor: alice, threadId, idempotencyKey: "s1", input: text("also update docs") };
    const first = await t.mutation(api.turns.steer, args);
    expect(first).toMatchObject({ status: "queued", deduplicated: false, turnId: "turn-3" });
    expect(await t.mutation(api.turns.steer, args)).toEqual({ ...first, deduplicated: true });
    const pending = await t.query(api.commands.listPending, { actor: alice, threadId });
    expect(pending.map((c) => [c.kind, c.turnId, c.input])).toEqual([["steerTurn", "turn-3", text("also update docs")]]);
  });

  test("needs a running turn, and a key not already used for another input", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const steer = (idempotencyKey: string, words: string) =>
      t.mutation(api.turns.steer, { actor: alice, threadId, idempotencyKey, input: text(words) });
    expect(await errorCode(steer("s1", "x"))).toBe(ErrorCode.noActiveTurn);
    const start = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("start") });
    await seedActiveTurn(t, alice, threadId);
    // Starts and steers have their own key spaces: a steer reusing a start's key is a steer.
    const steered = await steer("k", "not the start input");
    expect(steered).toMatchObject({ deduplicated: false, status: "queued" });
    expect(steered.commandId).not.toBe(start.commandId);
    expect(await errorCode(steer("k", "yet another input"))).toBe(ErrorCode.idempotencyKeyReused);
    expect(await errorCode(t.mutation(api.turns.steer, { actor: bob, threadId, idempotencyKey: "b", input: text("x") }))).toBe(
      ErrorCode.threadNotFound,
    );
  });
});

describe("turns.get / listByThread", () => {
  test("lists newest first, paginated, and hides other owners' turns", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    for (const turnId of ["t1", "t2", "t3"]) {
      await t.run(async (ctx) => {
        await ctx.db.insert("turns", { tenantId: "acme", userId: "alice", threadId, turnId, status: "completed", startedAt: Number(turnId.slice(1)) });
      });
    }
    const page1 = await t.query(api.turns.listByThread, { actor: alice, threadId, paginationOpts: { numItems: 2, cursor: null } });
    expect(page1.page.map((turn) => turn.turnId)).toEqual(["t3", "t2"]);
    const page2 = await t.query(api.turns.listByThread, {
      actor: alice,
      threadId,
      paginationOpts: { numItems: 2, cursor: page1.continueCursor },
    });
    expect(page2.page.map((turn) => turn.turnId)).toEqual(["t1"]);
    expect(page2.isDone).toBe(true);

    expect((await t.query(api.turns.get, { actor: alice, threadId, turnId: "t2" }))?.status).toBe("completed");
    expect(await t.query(api.turns.get, { actor: bob, threadId, turnId: "t2" })).toBeNull();
    const bobs = await t.query(api.turns.listByThread, { actor: bob, threadId, paginationOpts: { numItems: 10, cursor: null } });
    expect(bobs.page).toEqual([]);
  });
});
