/**
 * Deletion jobs on convex-test with Convex's transaction limits on: a thread too large for one
 * transaction is refused for immediate deletion and deleted by a job in pages; a page too
 * large fails and the job goes on with smaller ones; scheduled jobs wait, can be cancelled or
 * forced; what is deleted stays deleted (ingest refused, a deleted turn's events rejected).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { JOB_MAX_ATTEMPTS } from "./lib/jobs.js";
import { alice, bob, ingest, itemCompleted, newTest, turnCompleted, turnStarted, userItem, type T } from "./testdata/harness.testonly.js";
import { errorCode } from "./test.helpers.js";
import type { Actor } from "./validators.js";

const THREAD = "thr-big";

/** A thread of `turns` turns × `perTurn` messages (each with its item), inserted directly: what years of use leave. */
async function seedLargeThread(t: T, actor: Actor, turns: number, perTurn: number) {
  await t.mutation(api.threads.create, { actor, threadId: THREAD });
  const owner = { tenantId: actor.tenantId, userId: actor.userId };
  const turnsPerTransaction = Math.max(1, Math.floor(2_000 / perTurn));
  for (let first = 0; first < turns; first += turnsPerTransaction) {
    await t.run(async (ctx) => {
      for (let n = first; n < Math.min(turns, first + turnsPerTransaction); n++) {
        const turnId = `turn-${n}`;
        await ctx.db.insert("turns", { ...owner, threadId: THREAD, turnId, status: "completed", startedAt: n, completedAt: n });
        for (let m = 0; m < perTurn; m++) {
          const itemId = `item-${m}`;
          const order = n * perTurn + m;
          const text = `message ${order}`;
          await ctx.db.insert("messages", { ...owner, threadId: THREAD, turnId, itemId, role: m % 2 ? "assistant" : "user", status: "completed", text, order, createdAt: n });
          await ctx.db.insert("items", { ...owner, threadId: THREAD, turnId, itemId, status: "completed", details: { type: "agentMessage", text: text.slice(0, 40) }, payloadJson: "{}", startedAt: n });
        }
      }
    });
  }
  await t.run(async (ctx) => {
    const thread = await ctx.db.query("threads").withIndex("by_owner_thread", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", THREAD)).unique();
    await ctx.db.patch(thread!._id, { turnCount: turns, messageCount: turns * perTurn, lastTurnId: `turn-${turns - 1}` });
  });
}

async function rowsOf(t: T, actor: Actor) {
  return await t.run(async (ctx) => {
    const count = async (table: "turns" | "messages" | "items" | "threads") =>
      (await ctx.db.query(table).collect()).filter((r) => r.tenantId === actor.tenantId && r.userId === actor.userId).length;
    return { threads: await count("threads"), turns: await count("turns"), messages: await count("messages"), items: await count("items") };
  });
}

const job = (t: T, jobId: string, actor = alice) => t.query(api.deletion.getStatus, { actor, jobId });

describe("deletion jobs", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test("a 10,000-message thread: refused for immediate deletion, deleted by a job in pages within Convex's limits", async () => {
    const t = newTest();
    await seedLargeThread(t, alice, 1_000, 10);
    await seedLargeThread(t, bob, 2, 10);
    expect(await rowsOf(t, alice)).toEqual({ threads: 1, turns: 1_000, messages: 10_000, items: 10_000 });

    // Too large for one transaction: refused, and nothing deleted.
    expect(await errorCode(t.mutation(api.deletion.deleteThread, { actor: alice, threadId: THREAD }))).toBe(ErrorCode.deletionTooLarge);
    expect(await rowsOf(t, alice)).toEqual({ threads: 1, turns: 1_000, messages: 10_000, items: 10_000 });

    const ticket = await t.mutation(api.deletion.scheduleDeleteThread, { actor: alice, threadId: THREAD });
    expect(ticket).toMatchObject({ status: "scheduled", deduplicated: false });
    // Scheduling again gives the same job.
    expect(await t.mutation(api.deletion.scheduleDeleteThread, { actor: alice, threadId: THREAD })).toMatchObject({ jobId: ticket.jobId, deduplicated: true });
    await t.finishAllScheduledFunctions(vi.runAllTimers);

    const done = await job(t, ticket.jobId);
    expect(done).toMatchObject({ status: "completed", attempts: 0, deleted: { threads: 1, turns: 1_000, messages: 10_000, items: 10_000 } });
    // 21,001 rows at 4,000 per page.
    expect(done!.pages).toBe(6);
    expect(await rowsOf(t, alice)).toEqual({ threads: 0, turns: 0, messages: 0, items: 0 });
    expect(await rowsOf(t, bob)).toEqual({ threads: 1, turns: 2, messages: 20, items: 20 });
    // Nothing of the job stays scheduled.
    const pending = await t.run(async (ctx) => (await ctx.db.system.query("_scheduled_functions").collect()).filter((f) => f.state.kind === "pending"));
    expect(pending).toEqual([]);
  }, 120_000);

  test("a page too large for one transaction fails; the watchdog runs it again with half the rows, and the job completes", async () => {
    const t = newTest();
    await seedLargeThread(t, alice, 900, 10);
    // 16,000 rows in one page: more writes than one transaction may make.
    const ticket = await t.mutation(api.deletion.scheduleDeleteThread, { actor: alice, threadId: THREAD, pageRows: 16_000 });
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(logged.mock.calls.map((c) => String(c[1])).join("\n")).toMatch(/Too many documents written|too many|limit/i);
    const done = await job(t, ticket.jobId);
    expect(done).toMatchObject({ status: "completed", pageRows: 8_000, deleted: { threads: 1, turns: 900, messages: 9_000, items: 9_000 } });
    // The failed page left nothing behind; two pages of 8,000 rows and one of the rest did it.
    expect(done!.pages).toBe(3);
    expect(await rowsOf(t, alice)).toEqual({ threads: 0, turns: 0, messages: 0, items: 0 });
  }, 120_000);

  test("a job whose pages keep failing ends failed, with the reason, after JOB_MAX_ATTEMPTS", async () => {
    const t = newTest();
    await seedLargeThread(t, alice, 1, 2);
    const ticket = await t.mutation(api.deletion.scheduleDeleteThread, { actor: alice, threadId: THREAD, delayMs: 60_000 });
    // The page it waits for was lost (cancelled behind its back), JOB_MAX_ATTEMPTS - 1 times already.
    await t.run(async (ctx) => {
      const row = (await ctx.db.get(ticket.jobId))!;
      await ctx.scheduler.cancel(row.scheduledId!);
      await ctx.db.patch(ticket.jobId, { attempts: JOB_MAX_ATTEMPTS - 1 });
    });
    await t.mutation(internal.deletion.watchdog, { jobId: ticket.jobId });
    expect(await job(t, ticket.jobId)).toMatchObject({ status: "failed", error: expect.stringMatching(/pages in a row did not complete/) });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await job(t, ticket.jobId))!.status).toBe("failed");
    expect((await rowsOf(t, alice)).messages).toBe(2);
  });

  test("a scheduled deletion waits; it can be cancelled, or forced to run now", async () => {
    const t = newTest();
    await seedLargeThread(t, alice, 2, 2);
    const hour = 3_600_000;
    const first = await t.mutation(api.deletion.scheduleDeleteThread, { actor: alice, threadId: THREAD, delayMs: hour });
    vi.advanceTimersByTime(hour / 2);
    await t.finishInProgressScheduledFunctions();
    expect(await job(t, first.jobId)).toMatchObject({ status: "scheduled", pages: 0 });
    expect((await rowsOf(t, alice)).messages).toBe(4);

    // Cancelled: it never runs.
    expect(await t.mutation(api.deletion.cancel, { actor: alice, jobId: first.jobId })).toMatchObject({ status: "cancelled" });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await job(t, first.jobId)).toMatchObject({ status: "cancelled", pages: 0, deleted: {} });
    expect((await rowsOf(t, alice)).messages).toBe(4);
    expect(await errorCode(t.mutation(api.deletion.forceRun, { actor: alice, jobId: first.jobId }))).toBe(ErrorCode.deletionNotCancellable);

    // Another owner sees no such job, and cannot touch it.
    const second = await t.mutation(api.deletion.scheduleDeleteThread, { actor: alice, threadId: THREAD, delayMs: hour });
    expect(second.jobId).not.toBe(first.jobId);
    expect(await job(t, second.jobId, bob)).toBeNull();
    expect(await errorCode(t.mutation(api.deletion.cancel, { actor: bob, jobId: second.jobId }))).toBe(ErrorCode.deletionNotFound);
    expect(await errorCode(t.mutation(api.deletion.forceRun, { actor: bob, jobId: second.jobId }))).toBe(ErrorCode.deletionNotFound);

    // Forced: it runs at once, not in an hour.
    expect(await t.mutation(api.deletion.forceRun, { actor: alice, jobId: second.jobId })).toMatchObject({ status: "scheduled" });
    vi.advanceTimersByTime(10);
    await t.finishInProgressScheduledFunctions();
    expect(await job(t, second.jobId)).toMatchObject({ status: "completed", pages: 1, deleted: { threads: 1, messages: 4 } });
    expect(await errorCode(t.mutation(api.deletion.cancel, { actor: alice, jobId: second.jobId }))).toBe(ErrorCode.deletionNotCancellable);
    const listed = await t.query(api.deletion.list, { actor: alice, paginationOpts: { numItems: 10, cursor: null } });
    expect(listed.page.map((j) => [j._id, j.status])).toEqual([
      [second.jobId, "completed"],
      [first.jobId, "cancelled"],
    ]);
  });
});

describe("what is deleted stays deleted", () => {
  test("ingest for a deleted thread is refused as a whole; it cannot be created again", async () => {
    const t = newTest();
    await t.mutation(api.threads.create, { actor: alice, threadId: "thr" });
    await ingest(t, alice, "thr", [turnStarted("t1"), turnCompleted("t1", "completed")]);
    await t.mutation(api.deletion.deleteThread, { actor: alice, threadId: "thr" });
    expect(await errorCode(ingest(t, alice, "thr", [turnStarted("t2")]))).toBe(ErrorCode.threadDeleted);
    expect(await errorCode(t.mutation(api.threads.create, { actor: alice, threadId: "thr" }))).toBe(ErrorCode.threadDeleted);
    expect(await t.query(api.threads.get, { actor: alice, threadId: "thr" })).toBeNull();
    // Another owner's thread of the same id is theirs to write.
    expect((await ingest(t, bob, "thr", [turnStarted("t1")])).accepted).toBe(1);
  });

  test("a deleted turn's events are rejected one by one (a resume re-sends codex's history); the others land", async () => {
    const t = newTest();
    await t.mutation(api.threads.create, { actor: alice, threadId: "thr" });
    const turn = (id: string) => [turnStarted(id), itemCompleted(id, userItem(`u-${id}`, `hi ${id}`)), turnCompleted(id, "completed")].map((e) => ({ ...e, turnId: id }));
    await ingest(t, alice, "thr", [...turn("t1"), ...turn("t2")]);
    await expect(t.mutation(api.deletion.deleteTurn, { actor: alice, threadId: "thr", turnId: "t1" })).resolves.toMatchObject({ deleted: { turns: 1, messages: 1 } });
    // The same history again, as a backfill sends it, with new event ids.
    const again = [...turn("t1"), ...turn("t2")].map((e) => ({ ...e, eventId: `again:${e.eventId}` }));
    const result = await ingest(t, alice, "thr", again);
    expect(result.rejected.map((r) => r.code)).toEqual([ErrorCode.turnDeleted, ErrorCode.turnDeleted, ErrorCode.turnDeleted]);
    const messages = await t.query(api.messages.listMessages, { actor: alice, threadId: "thr", paginationOpts: { numItems: 10, cursor: null } });
    expect(messages.page.map((m) => m.turnId)).toEqual(["t2"]);
  });

  test("a running turn cannot be deleted; an unknown one is not found", async () => {
    const t = newTest();
    await t.mutation(api.threads.create, { actor: alice, threadId: "thr" });
    await ingest(t, alice, "thr", [turnStarted("t1")]);
    expect(await errorCode(t.mutation(api.deletion.deleteTurn, { actor: alice, threadId: "thr", turnId: "t1" }))).toBe(ErrorCode.turnInProgress);
    expect(await errorCode(t.mutation(api.deletion.scheduleDeleteTurn, { actor: alice, threadId: "thr", turnId: "nope" }))).toBe(ErrorCode.turnNotFound);
    expect(await errorCode(t.mutation(api.deletion.deleteThread, { actor: bob, threadId: "thr" }))).toBe(ErrorCode.threadNotFound);
  });
});
