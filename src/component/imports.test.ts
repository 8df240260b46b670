/**
 * Imports on convex-test with Convex's limits on, fed with a `thread/read` recorded from the
 * real codex 0.169.0 (three turns: a reply, reasoning, a command), cut into chunks by the
 * protocol's `importChunks` as the host runtime does. The end-to-end run on the real binary is
 * `src/host/import.e2e.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { IMPORT_COLLECT_IDLE_MS } from "../contract/limits.js";
import type { Thread } from "../protocol/generated/v2/Thread.js";
import { importChunks, type ImportChunk } from "../protocol/importChunks.js";
import recordedRead from "../protocol/testdata/thread-read.response.json" with { type: "json" };
import { alice, bob, newTest, snapshot, type T } from "./testdata/harness.testonly.js";
import { errorCode } from "./test.helpers.js";

const thread = recordedRead.thread as unknown as Thread;
const threadId = thread.id;

async function importAll(t: T, chunks: ImportChunk[], actor = alice) {
  const job = await t.mutation(api.imports.start, { actor, threadId, preview: thread.preview, model: thread.model ?? undefined, cwd: thread.cwd });
  let seq = job.chunks;
  for (const chunk of chunks.slice(seq)) await t.mutation(api.imports.appendChunk, { actor, jobId: job._id, seq: seq++, ...chunk });
  await t.mutation(api.imports.seal, { actor, jobId: job._id, chunkCount: seq });
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  return (await t.query(api.imports.get, { actor, jobId: job._id }))!;
}

const messages = async (t: T) =>
  (await t.query(api.messages.listMessages, { actor: alice, threadId, paginationOpts: { numItems: 50, cursor: null } })).page.map((m) => [m.role, m.text]).reverse();

describe("importing a local codex thread", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test("chunks through ingest, verified against codex's messages, synced; importing again changes nothing", async () => {
    const t = newTest();
    const chunks = await importChunks(threadId, thread.turns);
    const job = await importAll(t, chunks);
    const codexMessages = thread.turns.flatMap((turn) => turn.items.filter((i) => i.type === "userMessage" || i.type === "agentMessage"));
    expect(job).toMatchObject({
      status: "synced",
      expectedTurns: 3,
      expectedMessages: codexMessages.length,
      matchedMessages: codexMessages.length,
      mismatches: [],
      rejected: 0,
      duplicates: 0,
    });
    expect(await messages(t)).toEqual(
      codexMessages.map((i) => (i.type === "agentMessage" ? ["assistant", i.text] : ["user", i.type === "userMessage" ? (i.content[0] as { text: string }).text : ""])),
    );
    const turns = await t.query(api.turns.listByThread, { actor: alice, threadId, paginationOpts: { numItems: 10, cursor: null } });
    expect(turns.page.map((turn) => turn.status)).toEqual(["completed", "completed", "completed"]);
    // Chunks are gone once verified.
    expect(await t.run(async (ctx) => (await ctx.db.query("import_chunks").collect()).length)).toBe(0);

    const before = await snapshot(t);
    const again = await importAll(t, chunks);
    expect(again).toMatchObject({ _id: job._id, status: "synced", accepted: 0, duplicates: job.accepted, matchedMessages: codexMessages.length });
    expect(await snapshot(t)).toEqual(before);
  });

  test("a host that stopped while collecting is handed the same job back and goes on where it was", async () => {
    const t = newTest();
    const chunks = await importChunks(threadId, thread.turns);
    // One chunk per turn here: small turns pack into one chunk, so cut them apart.
    const perTurn = await Promise.all(thread.turns.map((turn) => importChunks(threadId, [turn]))).then((c) => c.flat());
    expect(chunks.length).toBe(1);
    const job = await t.mutation(api.imports.start, { actor: alice, threadId });
    await t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq: 0, ...perTurn[0]!, next: { cursor: "after-1", seq: 1 } });
    // The second page was under way when the host died: one of its chunks reached the backend.
    await t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq: 1, ...perTurn[1]! });
    const resumed = await t.mutation(api.imports.start, { actor: alice, threadId });
    expect(resumed).toMatchObject({ _id: job._id, status: "collecting", chunks: 2, sourceCursor: "after-1", sourceSeq: 1 });
    // The new host re-reads from the cursor: chunk 1 again, then the rest.
    await t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq: 1, ...perTurn[1]! });
    await t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq: 2, ...perTurn[2]!, next: { cursor: null, seq: 3 } });
    expect(await errorCode(t.mutation(api.imports.seal, { actor: alice, jobId: job._id, chunkCount: 2 }))).toBe(ErrorCode.importState);
    await t.mutation(api.imports.seal, { actor: alice, jobId: job._id, chunkCount: 3 });
    // Sealed: no more chunks, and another owner sees nothing of it.
    expect(await errorCode(t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq: 3, ...perTurn[0]! }))).toBe(ErrorCode.importState);
    expect(await t.query(api.imports.get, { actor: bob, jobId: job._id })).toBeNull();
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await t.query(api.imports.getForThread, { actor: alice, threadId })).toMatchObject({ status: "synced", expectedTurns: 3, mismatches: [] });
  });

  test("a stored message that differs from codex's fails the import, naming it", async () => {
    const t = newTest();
    const chunks = await importChunks(threadId, thread.turns);
    const tampered = chunks.map((c) => ({ ...c, expected: c.expected.map((m, i) => (i === 1 ? { ...m, sha256: "0".repeat(64) } : m)) }));
    const job = await importAll(t, tampered);
    expect(job.status).toBe("failed");
    expect(job.mismatches).toEqual([{ turnId: tampered[0]!.expected[1]!.turnId, itemId: tampered[0]!.expected[1]!.itemId, reason: expect.stringMatching(/differs/) }]);
    expect(await t.run(async (ctx) => (await ctx.db.query("import_chunks").collect()).length)).toBe(0);
  });

  test("an import whose host goes silent while collecting fails, leaving no turn running; cancelling stops one", async () => {
    const t = newTest();
    const [chunk] = await importChunks(threadId, [thread.turns[0]!]);
    // The turn's end never arrives: its events are cut after the start.
    const cut = { ...chunk!, events: chunk!.events.slice(0, 2), endsTurn: false };
    const job = await t.mutation(api.imports.start, { actor: alice, threadId });
    await t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq: 0, ...cut });
    vi.advanceTimersByTime(IMPORT_COLLECT_IDLE_MS + 1);
    await t.finishInProgressScheduledFunctions();
    expect(await t.query(api.imports.get, { actor: alice, jobId: job._id })).toMatchObject({ status: "failed", error: expect.stringMatching(/stopped sending/) });

    // Sealed with the turn cut off, then cancelled after its first chunk ran: the turn ends interrupted.
    const again = await t.mutation(api.imports.start, { actor: alice, threadId });
    expect(again).toMatchObject({ _id: job._id, status: "collecting", chunks: 0 });
    await t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq: 0, ...cut });
    await t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq: 1, ...cut, turnIds: [] });
    await t.mutation(api.imports.seal, { actor: alice, jobId: job._id, chunkCount: 2 });
    vi.advanceTimersByTime(1);
    await t.finishInProgressScheduledFunctions();
    expect(await t.query(api.imports.get, { actor: alice, jobId: job._id })).toMatchObject({ status: "running", applied: 1, openTurnId: thread.turns[0]!.id });
    expect(await t.mutation(api.imports.cancel, { actor: alice, jobId: job._id })).toMatchObject({ status: "cancelled" });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const turn = await t.query(api.turns.get, { actor: alice, threadId, turnId: thread.turns[0]!.id });
    expect(turn).toMatchObject({ status: "interrupted", error: { message: "the import was cancelled" } });
  });

  test("a thread buried while its import runs (a purge under way): the import fails and writes nothing more", async () => {
    const t = newTest();
    const chunks = await importChunks(threadId, thread.turns);
    const job = await t.mutation(api.imports.start, { actor: alice, threadId });
    for (const [seq, chunk] of chunks.entries()) await t.mutation(api.imports.appendChunk, { actor: alice, jobId: job._id, seq, ...chunk });
    await t.mutation(api.imports.seal, { actor: alice, jobId: job._id, chunkCount: chunks.length });
    // A purge's first page: the thread row gone and tombstoned, its import not reached yet.
    await t.run(async (ctx) => {
      const row = await ctx.db.query("threads").withIndex("by_owner_thread", (q) => q.eq("tenantId", alice.tenantId).eq("userId", alice.userId).eq("threadId", threadId)).unique();
      await ctx.db.delete(row!._id);
      await ctx.db.insert("tombstones", { tenantId: alice.tenantId, userId: alice.userId, threadId, deletedAt: Date.now() });
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await t.query(api.imports.get, { actor: alice, jobId: job._id })).toMatchObject({ status: "failed", error: expect.stringMatching(/deleted/) });
    expect(await t.query(api.threads.get, { actor: alice, threadId })).toBeNull();
    expect(await t.run(async (ctx) => (await ctx.db.query("messages").collect()).length)).toBe(0);
  });

  test("a deleted thread cannot be imported again", async () => {
    const t = newTest();
    await importAll(t, await importChunks(threadId, thread.turns));
    await t.mutation(api.deletion.deleteThread, { actor: alice, threadId });
    expect(await errorCode(t.mutation(api.imports.start, { actor: alice, threadId }))).toBe(ErrorCode.threadDeleted);
  });
});
