// End to end on the REAL codex: a thread recorded by the binary itself (a codex-only runtime,
// nothing persisted) is imported into a fresh backend — listed first through `thread/list`,
// then imported as a job the backend verifies against what codex reports; importing it again
// changes nothing; a host killed mid-import leaves a job the next host resumes, and the import
// it sealed finishes without any host.
import { afterEach, describe, expect, test } from "vitest";
import { ErrorCode, isCodexLocalError } from "../contract/errors.js";
import type { CodexPersistence } from "./persistence/port.js";
import { createCodexHostRuntime } from "./runtime.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 100, cursor: null };
type Job = { _id: string; status: string; chunks: number; expectedMessages: number; matchedMessages: number; mismatches: unknown[]; accepted: number; duplicates: number };

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

/** The host's port, until it "dies": then every backend call hangs, as in a killed process. */
function mortal(port: CodexPersistence, dieAfterChunks: number) {
  let chunks = 0;
  const never = new Promise<never>(() => undefined);
  return {
    ...port,
    async appendImportChunk(args: Parameters<CodexPersistence["appendImportChunk"]>[0]) {
      if (chunks++ >= dieAfterChunks) return await never;
      return await port.appendImportChunk(args);
    },
  } satisfies CodexPersistence;
}

/** A harness, and a thread recorded by codex alone (codex-only: the backend has nothing of it). */
async function recorded(inputs: string[], wrap?: (port: CodexPersistence) => CodexPersistence) {
  const h = await startHarness({ wrapPersistence: wrap, runtime: { onServerRequest: () => ({ decision: "accept" }) } });
  open.push(h);
  const ended = new Set<string>();
  const local = createCodexHostRuntime({
    mode: "codex-only",
    bridge: h.bridgeConfig,
    thread: { cwd: h.cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" },
    onServerRequest: () => ({ decision: "accept" }),
    onError: () => undefined,
    onEvent: ({ message }) => {
      if (message.kind === "notification" && message.method === "turn/completed") ended.add((message.params as { turn: { id: string } }).turn.id);
    },
  });
  await local.connect();
  const { threadId } = await local.openThread({ mode: "start" });
  for (const input of inputs) {
    const { turnId } = await local.sendTurn(input);
    await waitFor(async () => ended.has(turnId), Boolean, 20_000);
  }
  const codex = (await local.readThread(threadId)).thread;
  // The imported thread's history must not be open anywhere else: the recording host goes away.
  await local.stop();
  // The expected conversation, as codex reports it.
  const conversation = codex.turns.flatMap((turn) =>
    turn.items.flatMap((item) =>
      item.type === "userMessage" ? [[turn.id, "user", item.content.map((c) => (c.type === "text" ? c.text : "")).join("\n")]] : item.type === "agentMessage" ? [[turn.id, "assistant", item.text]] : [],
    ),
  );
  return { h, threadId, codex, conversation };
}

const stored = async (h: Harness, threadId: string) =>
  [...((await h.device.query(chat.threadMessages, { threadId, paginationOpts: page })) as { page: Array<{ turnId: string; role: string; text: string }> }).page]
    .reverse()
    .map((m) => [m.turnId, m.role, m.text]);
/** Every row the thread has, whole (ids and creation times included). */
const snapshot = async (h: Harness, threadId: string) => ({
  messages: await h.device.query(chat.threadMessages, { threadId, paginationOpts: page }),
  items: await h.device.query(chat.threadItems, { threadId }),
  turns: await h.device.query(chat.threadTurns, { threadId, paginationOpts: page }),
  reasoning: await h.device.query(chat.threadReasoning, { threadId, paginationOpts: page }),
});

describe("importing a thread the real codex recorded", () => {
  test("listed, imported and verified against codex; importing it again changes nothing", async () => {
    const { h, threadId, codex, conversation } = await recorded(["hello there", "[reasoning] think about it", "[command] echo imported"]);
    await h.runtime.connect();
    // What can be imported: codex's threads, in pages.
    const listing = await h.runtime.listThreads({ limit: 10 });
    expect(listing.data.find((t) => t.threadId === threadId)).toMatchObject({ messageCount: conversation.length });
    expect(await h.device.query(chat.threadState, { threadId }).catch((e: unknown) => (e as Error).message)).toMatch(/E_THREAD_NOT_FOUND/);

    const first = await h.runtime.importLocalThreadToPersistence(threadId, { pageSize: 2 });
    expect(first).toMatchObject({ threadId, status: "synced" });
    expect(first.job).toMatchObject({ expectedTurns: 3, expectedMessages: conversation.length, matchedMessages: conversation.length, mismatches: [], duplicates: 0 });
    // Two pages of turns: more than one chunk.
    expect(first.job.chunks).toBeGreaterThanOrEqual(2);
    expect(await stored(h, threadId)).toEqual(conversation);
    const state = (await h.device.query(chat.threadState, { threadId })) as { thread: { preview?: string; turnCount: number; messageCount: number } };
    expect(state.thread).toMatchObject({ preview: codex.preview, turnCount: 3, messageCount: conversation.length });
    const items = (await h.device.query(chat.threadItems, { threadId })) as Array<{ details: { type: string; exitCode?: number } }>;
    expect(items.find((i) => i.details.type === "commandExecution")?.details.exitCode).toBe(0);
    expect(items.some((i) => i.details.type === "reasoning")).toBe(true);

    const before = await snapshot(h, threadId);
    const second = await h.runtime.importLocalThreadToPersistence(threadId);
    expect(second).toMatchObject({ jobId: first.jobId, status: "synced" });
    expect(second.job).toMatchObject({ accepted: 0, matchedMessages: conversation.length });
    expect(second.job.duplicates).toBe(first.job.accepted);
    expect(await snapshot(h, threadId)).toEqual(before);
    const job = (await h.device.query(chat.threadSyncJob, { threadId })) as Job;
    expect(job).toMatchObject({ _id: first.jobId, status: "synced" });
  }, 90_000);

  test("a host killed mid-import: the next host resumes the same job from where it was cut off; a sealed import ends without any host", async () => {
    const { h, threadId, conversation } = await recorded(["one", "two", "three"], (port) => mortal(port, 1));
    const dying = h.runtime;
    await dying.connect();
    // One turn per page: the host dies with its second chunk in flight.
    void dying.importLocalThreadToPersistence(threadId, { pageSize: 1 }).catch(() => undefined);
    const cut = await waitFor(async () => (await h.device.query(chat.threadSyncJob, { threadId })) as Job | null, (j) => j?.chunks === 1);
    expect(cut).toMatchObject({ status: "collecting" });
    dying.bridge.child!.kill("SIGKILL");
    await waitFor(async () => dying.getLifecycleState(), (s) => s.phase !== "running");

    // The machine comes back: another host, the same codex home and backend (a port that works).
    const port = h.newPersistence();
    const sent: number[] = [];
    const persistence: CodexPersistence = { ...port, appendImportChunk: (args) => (sent.push(args.seq), port.appendImportChunk(args)) };
    const next = createCodexHostRuntime({ mode: "codex+replica", persistence, deviceId: "laptop", bridge: h.bridgeConfig, onError: () => undefined });
    await next.connect();
    // It does not wait: once sealed, the backend goes on alone.
    const sealed = await next.importLocalThreadToPersistence(threadId, { pageSize: 1, wait: false });
    expect(sealed).toMatchObject({ jobId: cut!._id });
    // It went on from codex's cursor after the first turn: the chunk in flight and the rest, not the first again.
    expect(sent).toEqual([1, 2]);
    expect(["sealed", "running", "verifying", "synced"]).toContain(sealed.status);
    await next.stop();
    await dying.stop().catch(() => undefined);
    const done = await waitFor(async () => (await h.device.query(chat.threadSyncJob, { threadId })) as Job, (j) => j.status === "synced" || j.status === "failed", 20_000);
    expect(done).toMatchObject({ _id: cut!._id, status: "synced", chunks: 3, expectedMessages: conversation.length, matchedMessages: conversation.length });
    expect(await stored(h, threadId)).toEqual(conversation);
  }, 90_000);

  test("without a backend (codex-only) there is nothing to import into: E_PERSISTENCE_DISABLED", async () => {
    const runtime = createCodexHostRuntime({ mode: "codex-only" });
    const error = await runtime.importLocalThreadToPersistence("any").catch((e: unknown) => e);
    expect(isCodexLocalError(error, ErrorCode.persistenceDisabled)).toBe(true);
  });
});
