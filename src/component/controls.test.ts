/**
 * Thread controls in the component: what a device's request queues for a host, what a newer
 * one withdraws, what codex refusing undoes, and what a host's completion records. (On the real
 * codex: `src/host/controls.e2e.test.ts`.)
 */
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { alice, bob, ingest, lifecycle, newTest, turnCompleted, turnStarted, type T } from "./testdata/harness.testonly.js";
import { THREAD_ROLLED_BACK_KIND } from "../contract/events.js";
import { errorCode } from "./test.helpers.js";

const THREAD = "thr";
const SESSION = "session-1";

async function setup() {
  const t = newTest();
  await t.mutation(api.threads.create, { actor: alice, threadId: THREAD });
  await t.mutation(api.sessions.open, { actor: alice, sessionId: SESSION });
  return t;
}
const queued = async (t: T) => (await t.query(api.commands.listPending, { actor: alice, sessionId: SESSION })).map((c) => [c.kind, c.name ?? c.turnId]);
const thread = async (t: T) => (await t.query(api.threads.get, { actor: alice, threadId: THREAD }))!;
/** A host takes the oldest queued command and reports `outcome`. */
async function run(t: T, outcome: { error?: string; threadId?: string }) {
  const [command] = await t.query(api.commands.listPending, { actor: alice, sessionId: SESSION });
  await t.mutation(api.commands.claim, { actor: alice, sessionId: SESSION, commandId: command!._id });
  return await t.mutation(api.commands.complete, { actor: alice, sessionId: SESSION, commandId: command!._id, ...outcome });
}

describe("thread controls", () => {
  test("renames: the name shows at once, only the last one queued goes to codex", async () => {
    const t = await setup();
    await t.mutation(api.threads.setName, { actor: alice, threadId: THREAD, name: "first" });
    await t.mutation(api.threads.setName, { actor: alice, threadId: THREAD, name: "second" });
    expect((await thread(t)).name).toBe("second");
    expect(await queued(t)).toEqual([["renameThread", "second"]]);
    const all = await t.run(async (ctx) => (await ctx.db.query("commands").collect()).map((c) => [c.name, c.status, c.error ?? null]));
    expect(all).toEqual([
      ["first", "cancelled", "superseded by a later renameThread"],
      ["second", "queued", null],
    ]);
  });

  test("archive: the list follows at once; codex refusing it puts the thread back, unless an unarchive is on its way", async () => {
    const t = await setup();
    await t.mutation(api.threads.archive, { actor: alice, threadId: THREAD });
    expect((await thread(t)).archived).toBe(true);
    expect(await run(t, { error: "codex: thread is running" })).toMatchObject({ kind: "archiveThread", status: "failed" });
    expect((await thread(t)).archived).toBe(false);

    // Archive then unarchive before any host ran them: codex never heard of the archive, so
    // withdrawing it is all (an unarchive of a thread codex has not archived, codex refuses).
    await t.mutation(api.threads.archive, { actor: alice, threadId: THREAD });
    await t.mutation(api.threads.unarchive, { actor: alice, threadId: THREAD });
    expect(await queued(t)).toEqual([]);
    expect((await thread(t)).archived).toBe(false);
    const archives = await t.run(async (ctx) => (await ctx.db.query("commands").collect()).filter((c) => c.kind !== "unarchiveThread").map((c) => [c.status, c.error]));
    expect(archives.at(-1)).toEqual(["cancelled", "withdrawn by a later unarchiveThread"]);
    expect(await t.run(async (ctx) => (await ctx.db.query("commands").collect()).filter((c) => c.kind === "unarchiveThread").length)).toBe(0);
    // Unarchiving a thread that is not archived asks nothing of codex.
    await t.mutation(api.threads.unarchive, { actor: alice, threadId: THREAD });
    expect(await queued(t)).toEqual([]);
    // codex's own notification (from any client of codex) is what the flag follows too.
    await ingest(t, alice, THREAD, [{ type: "lifecycle_event", eventId: "a1", kind: "thread/archived", payloadJson: JSON.stringify({ threadId: THREAD }), createdAt: 1 }]);
    expect((await thread(t)).archived).toBe(true);
  });

  test("archive withdrawn by the device before a host ran it: the thread is listed again; an archive already running is codex's to report", async () => {
    const t = await setup();
    await t.mutation(api.threads.archive, { actor: alice, threadId: THREAD });
    const [archive] = await t.query(api.commands.listPending, { actor: alice, sessionId: SESSION });
    await t.mutation(api.commands.cancel, { actor: alice, commandId: archive!._id });
    expect((await thread(t)).archived).toBe(false);

    // Archived again, and unarchived while the archive runs: the unarchive is queued after it.
    await t.mutation(api.threads.archive, { actor: alice, threadId: THREAD });
    const [running] = await t.query(api.commands.listPending, { actor: alice, sessionId: SESSION });
    await t.mutation(api.commands.claim, { actor: alice, sessionId: SESSION, commandId: running!._id });
    await t.mutation(api.threads.unarchive, { actor: alice, threadId: THREAD });
    expect(await queued(t)).toEqual([["unarchiveThread", undefined]]);
    // Withdrawing that unarchive leaves the flag to the archive codex is running.
    const [unarchive] = await t.query(api.commands.listPending, { actor: alice, sessionId: SESSION });
    await t.mutation(api.commands.cancel, { actor: alice, commandId: unarchive!._id });
    expect((await thread(t)).archived).toBe(true);
  });

  test("a turn codex runs in a thread flagged archived: the flag clears, unless an archive or unarchive is on its way", async () => {
    const t = await setup();
    // An archive the backend failed with its host's session (whether codex archived is unknown).
    await t.mutation(api.threads.archive, { actor: alice, threadId: THREAD });
    const [archive] = await t.query(api.commands.listPending, { actor: alice, sessionId: SESSION });
    await t.mutation(api.commands.claim, { actor: alice, sessionId: SESSION, commandId: archive!._id });
    await t.mutation(api.sessions.close, { actor: alice, sessionId: SESSION });
    expect(await t.query(api.commands.get, { actor: alice, commandId: archive!._id })).toMatchObject({ status: "failed" });
    expect((await thread(t)).archived).toBe(true);
    // codex runs a turn there (a new host's session): it is not archived in codex.
    await t.mutation(api.sessions.open, { actor: alice, sessionId: "session-2" });
    await ingest(t, alice, THREAD, [{ ...turnStarted("t1"), turnId: "t1" }], "session-2");
    expect((await thread(t)).archived).toBe(false);

    // Archived while that turn runs: codex will interrupt it and report the archive; a turn
    // report arriving meanwhile leaves the flag alone.
    await t.mutation(api.threads.archive, { actor: alice, threadId: THREAD });
    await ingest(t, alice, THREAD, [{ ...turnStarted("t2"), turnId: "t2" }], "session-2");
    expect((await thread(t)).archived).toBe(true);
  });

  test("fork, rollback, compact: one command per idempotency key; a fork completes with the new thread, which must exist", async () => {
    const t = await setup();
    await ingest(t, alice, THREAD, [turnStarted("t1"), turnCompleted("t1", "completed")].map((e) => ({ ...e, turnId: "t1" })));
    const fork = await t.mutation(api.controls.requestFork, { actor: alice, threadId: THREAD, idempotencyKey: "k", lastTurnId: "t1" });
    expect(await t.mutation(api.controls.requestFork, { actor: alice, threadId: THREAD, idempotencyKey: "k" })).toEqual({ ...fork, deduplicated: true });
    await t.mutation(api.controls.requestRollback, { actor: alice, threadId: THREAD, idempotencyKey: "k", beforeTurnId: "t1" });
    await t.mutation(api.controls.requestCompact, { actor: alice, threadId: THREAD, idempotencyKey: "k" });
    expect(await queued(t)).toEqual([
      ["forkThread", "t1"],
      ["rollbackThread", "t1"],
      ["compactThread", undefined],
    ]);
    expect(await errorCode(t.mutation(api.controls.requestRollback, { actor: alice, threadId: THREAD, idempotencyKey: "x", beforeTurnId: "nope" }))).toBe(ErrorCode.turnNotFound);
    expect(await errorCode(t.mutation(api.controls.requestCompact, { actor: bob, threadId: THREAD, idempotencyKey: "x" }))).toBe(ErrorCode.threadNotFound);

    const [command] = await t.query(api.commands.listPending, { actor: alice, sessionId: SESSION });
    await t.mutation(api.commands.claim, { actor: alice, sessionId: SESSION, commandId: command!._id });
    const complete = (threadId?: string) => t.mutation(api.commands.complete, { actor: alice, sessionId: SESSION, commandId: command!._id, ...(threadId ? { threadId } : {}) });
    expect(await errorCode(complete())).toBe(ErrorCode.invalidArgument);
    expect(await errorCode(complete("the-fork"))).toBe(ErrorCode.threadNotFound);
    await t.mutation(api.threads.create, { actor: alice, threadId: "the-fork" });
    expect(await complete("the-fork")).toMatchObject({ status: "done", createdThreadId: "the-fork" });
  });

  test("a rollback deletes the turns it drops, not its own command: the device still reads how it ended", async () => {
    const t = await setup();
    for (const [k, turnId] of ["t1", "t2"].entries()) {
      await ingest(t, alice, THREAD, [turnStarted(turnId), turnCompleted(turnId, "completed")].map((e) => ({ ...e, turnId, createdAt: 1_000 * (k + 1) })));
    }
    const { commandId } = await t.mutation(api.controls.requestRollback, { actor: alice, threadId: THREAD, idempotencyKey: "rb", beforeTurnId: "t2" });
    await t.mutation(api.commands.claim, { actor: alice, sessionId: SESSION, commandId });
    // codex reverted: the host reports what it kept before it completes the command.
    await ingest(t, alice, THREAD, [lifecycle(THREAD_ROLLED_BACK_KIND, { keptTurnId: "t1" }, { createdAt: 10_000 })]);
    expect((await t.query(api.turns.listByThread, { actor: alice, threadId: THREAD, paginationOpts: { numItems: 10, cursor: null } })).page.map((r) => r.turnId)).toEqual(["t1"]);
    await t.mutation(api.commands.complete, { actor: alice, sessionId: SESSION, commandId });
    expect(await t.query(api.commands.get, { actor: alice, commandId })).toMatchObject({ kind: "rollbackThread", turnId: "t2", status: "done" });
  });
});
