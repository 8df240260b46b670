// End to end on the REAL codex (scripted model on 127.0.0.1, the dev backend over ConvexClient):
// every thread control from a device goes through the command queue to codex, and what codex
// then reports — rename, archive, fork, rollback, compaction — is what the backend shows; the
// same from the host runtime's own methods. A thread deleted in the backend is let go.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { InboundEvent } from "../contract/events.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 50, cursor: null };
type Msg = { role: string; text: string; turnId: string };
type Turn = { turnId: string; status: string };
type Thread = { threadId: string; name?: string; archived: boolean; forkedFromThreadId?: string; turnCount: number; messageCount: number; lastTurnId?: string };
type Command = { status: string; createdThreadId?: string; error?: string };

let h: Harness;
const errors: Array<{ context: string; message: string }> = [];
/** Ingest batches sent, per thread. */
const ingested = new Map<string, InboundEvent[][]>();

beforeAll(async () => {
  h = await startHarness({
    runtime: { onError: (error, context) => void errors.push({ context, message: (error as Error).message }) },
    wrapPersistence: (port) => ({
      ...port,
      ingest: async (args) => {
        ingested.set(args.threadId, [...(ingested.get(args.threadId) ?? []), args.events]);
        return await port.ingest(args);
      },
    }),
  });
  await h.runtime.connect();
}, 30_000);
afterAll(async () => await h.close());

const thread = async (threadId: string) => (await h.device.query(chat.threadState, { threadId }).catch(() => null)) as { thread: Thread } | null;
const turns = async (threadId: string) => ((await h.device.query(chat.threadTurns, { threadId, paginationOpts: page })) as { page: Turn[] }).page.reverse();
const messages = async (threadId: string) => [...((await h.device.query(chat.threadMessages, { threadId, paginationOpts: page })) as { page: Msg[] }).page].reverse();
const command = (commandId: string) => waitFor(async () => (await h.device.query(chat.commandStatus, { commandId })) as Command, (c) => c.status !== "queued" && c.status !== "claimed", 20_000);
const listed = async (includeArchived = false) => ((await h.device.query(chat.listThreads, { paginationOpts: page, includeArchived })) as { page: Thread[] }).page.map((t) => t.threadId);

/** A thread with finished turns, opened by the runtime. */
async function threadWith(...inputs: string[]) {
  const { threadId } = await h.runtime.openThread({ mode: "start" });
  const turnIds: string[] = [];
  for (const input of inputs) {
    const { turnId } = await h.runtime.sendTurn(input, threadId);
    await waitFor(() => turns(threadId), (list) => list.some((t) => t.turnId === turnId && t.status === "completed"), 20_000);
    turnIds.push(turnId);
  }
  await h.runtime.flush();
  return { threadId, turnIds };
}

describe("thread controls reach codex and come back", () => {
  test("rename, archive, unarchive from a device: codex does it, and the backend follows codex", async () => {
    const { threadId } = await threadWith("hello");
    await h.device.mutation(chat.renameThread, { threadId, name: "Named from the phone" });
    await waitFor(async () => (await h.runtime.readThread(threadId, false)).thread.name, (name) => name === "Named from the phone");
    expect((await thread(threadId))!.thread.name).toBe("Named from the phone");

    await h.device.mutation(chat.archiveThread, { threadId });
    expect(await listed()).not.toContain(threadId);
    const archivedInCodex = async () => (await h.runtime.listThreads({ archived: true })).data.map((t) => t.threadId);
    await waitFor(archivedInCodex, (ids) => ids.includes(threadId));
    await h.device.mutation(chat.unarchiveThread, { threadId });
    await waitFor(archivedInCodex, (ids) => !ids.includes(threadId));
    await waitFor(() => listed(), (ids) => ids.includes(threadId));

    // From the runtime: codex's own notification is what the backend records.
    await h.runtime.archiveThread(threadId);
    await waitFor(async () => (await thread(threadId))!.thread.archived, Boolean);
    await h.runtime.unarchiveThread(threadId);
    await h.runtime.setThreadName("Named on the laptop", threadId);
    await waitFor(async () => (await thread(threadId))!.thread, (t) => !t.archived && t.name === "Named on the laptop");
  }, 60_000);

  test("fork from a device: a new thread linked to its parent, with the inherited history written", async () => {
    const { threadId, turnIds } = await threadWith("first question", "second question");
    const ticket = (await h.device.mutation(chat.forkThread, { threadId, idempotencyKey: "fork-1", lastTurnId: turnIds[0] })) as { commandId: string };
    const done = await command(ticket.commandId);
    expect(done).toMatchObject({ status: "done" });
    const forkId = done.createdThreadId!;
    expect(forkId).not.toBe(threadId);
    const fork = await waitFor(() => thread(forkId), (t) => t?.thread.forkedFromThreadId === threadId && t.thread.turnCount === 1);
    expect(fork!.thread).toMatchObject({ forkedFromThreadId: threadId, messageCount: 2 });
    // Only the history through the first turn came along.
    expect((await messages(forkId)).map((m) => [m.role, m.text])).toEqual([
      ["user", "first question"],
      ["assistant", "You said: first question"],
    ]);
    // The runtime's own fork carries the whole history.
    const { threadId: second } = await h.runtime.forkThread(threadId);
    await h.runtime.flush();
    expect((await messages(second)).map((m) => m.text)).toEqual((await messages(threadId)).map((m) => m.text));
    expect((await thread(second))!.thread.forkedFromThreadId).toBe(threadId);
  }, 60_000);

  test("rollback from a device: the dropped turns leave messages, items, reasoning and streams alike", async () => {
    const { threadId, turnIds } = await threadWith("keep me", "[reasoning] drop me", "drop me too");
    const reasoning = async () => ((await h.device.query(chat.threadReasoning, { threadId, paginationOpts: page })) as { page: Array<{ turnId: string }> }).page;
    const streams = async () =>
      ((await h.device.query(chat.threadMessages, { threadId, paginationOpts: { numItems: 0, cursor: null }, streamArgs: { kind: "list" } })) as { streams: { streams: Array<{ turnId: string }> } })
        .streams.streams;
    expect((await reasoning()).length).toBeGreaterThan(0);
    expect(new Set((await streams()).map((s) => s.turnId))).toEqual(new Set(turnIds));

    const ticket = (await h.device.mutation(chat.rollbackThread, { threadId, beforeTurnId: turnIds[1]!, idempotencyKey: "rb-1" })) as { commandId: string };
    expect(await command(ticket.commandId)).toMatchObject({ status: "done" });
    await waitFor(() => turns(threadId), (list) => list.length === 1);
    // codex has the same history.
    expect((await h.runtime.readThread(threadId)).thread.turns.map((t) => t.id)).toEqual([turnIds[0]]);
    expect((await turns(threadId)).map((t) => t.turnId)).toEqual([turnIds[0]]);
    expect(new Set((await messages(threadId)).map((m) => m.turnId))).toEqual(new Set([turnIds[0]]));
    const items = (await h.device.query(chat.threadItems, { threadId })) as Array<{ turnId: string }>;
    expect(new Set(items.map((i) => i.turnId))).toEqual(new Set([turnIds[0]]));
    expect(await reasoning()).toEqual([]);
    expect(new Set((await streams()).map((s) => s.turnId))).toEqual(new Set([turnIds[0]]));
    expect((await thread(threadId))!.thread).toMatchObject({ turnCount: 1, messageCount: 2, lastTurnId: turnIds[0] });

    // The conversation goes on, and the runtime's own rollback works the same.
    const { turnId: next } = await h.runtime.sendTurn("after the rollback", threadId);
    await waitFor(() => turns(threadId), (list) => list.at(-1)?.turnId === next && list.at(-1)?.status === "completed");
    await h.runtime.rollbackThread(next, threadId);
    await waitFor(() => turns(threadId), (list) => list.map((t) => t.turnId).join() === turnIds[0]);
  }, 90_000);

  test("compact from a device: codex compacts, the conversation gets its compaction marker", async () => {
    const { threadId } = await threadWith("something to summarize");
    const ticket = (await h.device.mutation(chat.compactThread, { threadId, idempotencyKey: "c-1" })) as { commandId: string };
    expect(await command(ticket.commandId)).toMatchObject({ status: "done" });
    const items = await waitFor(
      async () => (await h.device.query(chat.threadItems, { threadId })) as Array<{ turnId: string; details: { type: string }; status: string }>,
      (list) => list.some((i) => i.details.type === "contextCompaction" && i.status === "completed"),
      20_000,
    );
    const marker = items.find((i) => i.details.type === "contextCompaction")!;
    await waitFor(() => turns(threadId), (list) => list.some((t) => t.turnId === marker.turnId && t.status === "completed"));
  }, 60_000);

  test("what codex tells of its threads: the loaded ones, and one thread's summary (name, preview, counts, last turn)", async () => {
    const { threadId, turnIds } = await threadWith("summarize me", "and me");
    await h.runtime.setThreadName("Summed up", threadId);
    const loaded = await h.runtime.listLoadedThreads();
    expect(loaded.data).toContain(threadId);
    expect(await h.runtime.getThreadSummary(threadId)).toMatchObject({
      threadId,
      name: "Summed up",
      preview: "summarize me",
      turnCount: 2,
      messageCount: 4,
      lastTurn: { turnId: turnIds[1], status: "completed" },
      forkedFromThreadId: null,
    });
  }, 30_000);

  test("a thread deleted in the backend while codex writes it: the runtime stops writing it after one refused batch", async () => {
    const { threadId } = await threadWith("before the deletion");
    await h.device.mutation(chat.deleteThread, { threadId });
    const before = ingested.get(threadId)?.length ?? 0;
    const { turnId } = await h.runtime.sendTurn("after the deletion", threadId);
    await waitFor(async () => errors.some((e) => e.context === "thread deleted" && e.message.includes(threadId)), Boolean, 20_000);
    // codex finishes the turn; nothing of it is sent.
    await waitFor(async () => (await h.runtime.readThread(threadId)).thread.turns.find((t) => t.id === turnId)?.status, (s) => s === "completed", 20_000);
    await h.runtime.flush();
    await h.runtime.sendTurn("and again", threadId).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    await h.runtime.flush();
    expect((ingested.get(threadId)?.length ?? 0) - before).toBe(1);
    expect(await thread(threadId)).toBeNull();
    expect(errors.filter((e) => e.context === "thread deleted")).toHaveLength(1);
    // The rest of the runtime goes on.
    await threadWith("another thread is fine");
  }, 60_000);
});
