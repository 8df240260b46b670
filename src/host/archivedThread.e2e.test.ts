// End to end on the REAL codex (scripted model on 127.0.0.1, the dev backend over ConvexClient):
// a message sent from a device to an archived thread restores it — the host unarchives it in
// codex, resumes it and runs the turn, and codex's `thread/unarchived` clears the row's flag.
// Archiving while a turn runs ends the turn (codex interrupts it) and the next message works
// the same. When codex refuses to unarchive, the message fails with a coded reason.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ErrorCode, commandErrorCode } from "../contract/errors.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 50, cursor: null };
type Turn = { turnId: string; status: string };
type Msg = { role: string; text: string; turnId: string };
type Command = { status: string; turnId?: string; error?: string };

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.runtime.connect();
}, 30_000);
afterAll(async () => await h.close());

const archivedRow = async (threadId: string) => ((await h.device.query(chat.threadState, { threadId })) as { thread: { archived: boolean } }).thread.archived;
const turns = async (threadId: string) => ((await h.device.query(chat.threadTurns, { threadId, paginationOpts: page })) as { page: Turn[] }).page.reverse();
const messages = async (threadId: string) => [...((await h.device.query(chat.threadMessages, { threadId, paginationOpts: page })) as { page: Msg[] }).page].reverse();
const archivedInCodex = async () => (await h.runtime.listThreads({ archived: true })).data.map((t) => t.threadId);
const settled = (commandId: string) =>
  waitFor(async () => (await h.device.query(chat.commandStatus, { commandId })) as Command, (c) => c.status !== "queued" && c.status !== "claimed", 20_000);

/** A message from the phone, through the command queue. */
async function send(threadId: string, inputText: string) {
  const ticket = (await h.device.mutation(chat.registerTurnStart, { threadId, inputText, idempotencyKey: `${threadId}:${inputText}`, deviceId: "phone" })) as { commandId: string };
  return ticket.commandId;
}

/** The phone archives the thread; resolves once codex has archived it and the row says so. */
async function archive(threadId: string) {
  await h.device.mutation(chat.archiveThread, { threadId });
  await waitFor(archivedInCodex, (ids) => ids.includes(threadId), 20_000);
  await waitFor(() => archivedRow(threadId), Boolean);
}

async function threadWith(input: string) {
  const { threadId } = await h.runtime.openThread({ mode: "start" });
  const done = await settled(await send(threadId, input));
  expect(done.status).toBe("done");
  await waitFor(() => turns(threadId), (list) => list.at(-1)?.status === "completed", 20_000);
  return threadId;
}

describe("a message sent to an archived thread", () => {
  test("restores the thread: codex unarchives it, the turn runs, the row is archived no more", async () => {
    const threadId = await threadWith("before the archive");
    await archive(threadId);

    const done = await settled(await send(threadId, "after the archive"));
    expect(done).toMatchObject({ status: "done" });
    await waitFor(() => turns(threadId), (list) => list.length === 2 && list.at(-1)?.turnId === done.turnId && list.at(-1)?.status === "completed", 20_000);
    expect((await messages(threadId)).map((m) => m.text)).toEqual(["before the archive", "You said: before the archive", "after the archive", "You said: after the archive"]);
    // codex's own `thread/unarchived` is what cleared the flag.
    await waitFor(() => archivedRow(threadId), (archived) => !archived);
    expect(await archivedInCodex()).not.toContain(threadId);
    const listed = ((await h.device.query(chat.listThreads, { paginationOpts: page })) as { page: Array<{ threadId: string }> }).page.map((t) => t.threadId);
    expect(listed).toContain(threadId);
  }, 60_000);

  test("archive and send at once, before the host ran either: codex archives, then the message restores it", async () => {
    const threadId = await threadWith("first");
    await h.device.mutation(chat.archiveThread, { threadId });
    const done = await settled(await send(threadId, "right after"));
    expect(done).toMatchObject({ status: "done" });
    await waitFor(() => turns(threadId), (list) => list.at(-1)?.turnId === done.turnId && list.at(-1)?.status === "completed", 20_000);
    await waitFor(() => archivedRow(threadId), (archived) => !archived);
    expect(await archivedInCodex()).not.toContain(threadId);
  }, 60_000);

  test("archive and unarchive at once: however the host meets them, codex and the row agree on not archived", async () => {
    const threadId = await threadWith("changing my mind");
    await h.device.mutation(chat.archiveThread, { threadId });
    await h.device.mutation(chat.unarchiveThread, { threadId });
    const open = async () => ((await h.device.query(chat.threadState, { threadId })) as { openCommands: unknown[] }).openCommands;
    await waitFor(open, (list) => list.length === 0, 20_000);
    expect(await archivedRow(threadId)).toBe(false);
    expect(await archivedInCodex()).not.toContain(threadId);
    // And the conversation goes on.
    expect((await settled(await send(threadId, "never mind"))).status).toBe("done");
  }, 60_000);

  test("archived while a turn runs: codex interrupts the turn, it ends, and the next message restores the thread", async () => {
    const threadId = await threadWith("warm up");
    const slow = await settled(await send(threadId, "[slow]"));
    expect(slow.status).toBe("done");
    // The reply streams for ~10 s: the archive lands mid-turn.
    await waitFor(() => turns(threadId), (list) => list.at(-1)?.turnId === slow.turnId && list.at(-1)?.status === "inProgress");
    await archive(threadId);

    const ended = await waitFor(() => turns(threadId), (list) => list.at(-1)?.status !== "inProgress", 20_000);
    expect(ended.at(-1)).toMatchObject({ turnId: slow.turnId, status: "interrupted" });
    const state = (await h.device.query(chat.threadState, { threadId })) as { activeTurn: unknown; openCommands: unknown[] };
    expect(state).toMatchObject({ activeTurn: null, openCommands: [] });

    const next = await settled(await send(threadId, "still there?"));
    expect(next).toMatchObject({ status: "done" });
    await waitFor(() => turns(threadId), (list) => list.at(-1)?.turnId === next.turnId && list.at(-1)?.status === "completed", 20_000);
    await waitFor(() => archivedRow(threadId), (archived) => !archived);
  }, 60_000);

  test("codex refusing to unarchive: the message fails with E_THREAD_NOT_RESUMABLE and codex's reasons, the thread stays archived", async () => {
    const threadId = await threadWith("to be archived");
    const rollout = (await h.runtime.readThread(threadId, false)).thread.path!;
    await archive(threadId);
    // codex moves the rollout back into its day's folder on unarchive: a file in that folder's
    // place makes it fail ("File exists"). The folder is put back afterwards.
    const day = dirname(rollout);
    renameSync(day, `${day}.aside`);
    writeFileSync(day, "not a folder");
    let failed: Command;
    try {
      failed = await settled(await send(threadId, "can you hear me?"));
    } finally {
      rmSync(day);
      renameSync(`${day}.aside`, day);
    }
    expect(failed.status).toBe("failed");
    expect(commandErrorCode(failed.error)).toBe(ErrorCode.threadNotResumable);
    expect(failed.error).toMatch(/is archived/);
    expect(failed.error).toMatch(/unarchiving it failed too/);
    // Row and codex agree: archived, no turn started.
    expect(await archivedRow(threadId)).toBe(true);
    expect(await archivedInCodex()).toContain(threadId);
    expect(await turns(threadId)).toHaveLength(1);

    // With the folder back, the same message sent again goes through.
    const retried = await settled(await send(threadId, "can you hear me now?"));
    expect(retried).toMatchObject({ status: "done" });
    await waitFor(() => archivedRow(threadId), (archived) => !archived);
  }, 60_000);
});
