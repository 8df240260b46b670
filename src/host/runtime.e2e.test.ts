// End to end: the REAL codex binary against the scripted model on 127.0.0.1, persisting
// through the host runtime into the example app + component running in process. Every
// assertion reads back through the app's queries.
import { afterEach, describe, expect, test } from "vitest";
import { INGEST_MAX_BATCH_BYTES, INGEST_MAX_EVENTS, eventBytes } from "../contract/limits.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 50, cursor: null };
type Msg = { role: string; text: string; status: string; turnId: string };
type Item = { itemId: string; status: string; details: Record<string, unknown> & { type: string } };
type Turn = { turnId: string; status: string; error?: { message: string; willRetry?: boolean } };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function messages(harness: Harness, threadId: string): Promise<Msg[]> {
  const result = (await harness.device.query(chat.threadMessages, { threadId, paginationOpts: page })) as { page: Msg[] };
  return [...result.page].reverse();
}
const items = async (harness: Harness, threadId: string, turnId?: string) =>
  (await harness.device.query(chat.threadItems, { threadId, ...(turnId ? { turnId } : {}) })) as Item[];
const state = async (harness: Harness, threadId: string) =>
  (await harness.device.query(chat.threadState, { threadId })) as {
    activeTurn: Turn | null;
    recentTurns: Turn[];
    openCommands: Array<{ status: string }>;
  };
const turnOf = async (harness: Harness, threadId: string, turnId: string) =>
  (await state(harness, threadId)).recentTurns.find((t) => t.turnId === turnId);

describe("host runtime against the real codex", () => {
  test("a text turn lands as a completed message with exactly the streamed text", async () => {
    h = await startHarness();
    h.model.enqueue({ type: "text", text: "Hello from the scripted model, streamed in pieces.", chunks: 7 });
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("say hello");
    const harness = h;
    const turn = await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    expect(turn?.status).toBe("completed");
    const msgs = await messages(h, threadId);
    expect(msgs.map((m) => [m.role, m.text, m.status])).toEqual([
      ["user", "say hello", "completed"],
      ["assistant", "Hello from the scripted model, streamed in pieces.", "completed"],
    ]);
    // The stream's stored deltas (merged by the outbox) replay to exactly the same text.
    type Replay = { streams: Array<{ streamId: string; channel: string }>; deltas: Array<{ cursorStart: number; text: string }> };
    const listed = (await h.device.query(chat.streamSync, { threadId, streamCursorsById: [] })) as Replay;
    const streamId = listed.streams.find((st) => st.channel === "agentMessage")!.streamId;
    const replay = (await h.device.query(chat.streamSync, { threadId, streamCursorsById: [{ streamId, cursor: 0 }] })) as Replay;
    const reply = [...replay.deltas].sort((a, b) => a.cursorStart - b.cursorStart);
    expect(reply.map((d) => d.text).join("")).toBe("Hello from the scripted model, streamed in pieces.");
    expect(h.runtime.getLifecycleState()).toMatchObject({ running: true, phase: "running", threadId, turnId: undefined });
  }, 30_000);

  test("a turn started from another device is claimed and run exactly once", async () => {
    h = await startHarness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    // A turn for a thread this machine's codex does not have stays queued for its own machine.
    await h.device.mutation(chat.ensureThread, { threadId: "thread-on-another-machine" });
    const foreign = (await h.device.mutation(chat.registerTurnStart, {
      threadId: "thread-on-another-machine",
      inputText: "not for this laptop",
      idempotencyKey: "other-1",
    })) as { commandId: string };
    const args = { threadId, inputText: "from my phone", idempotencyKey: "phone-1", deviceId: "phone" };
    const ticket = (await h.device.mutation(chat.registerTurnStart, args)) as { commandId: string };
    // The same request again (a retrying phone) is the same command, not a second turn.
    expect(await h.device.mutation(chat.registerTurnStart, args)).toMatchObject({ commandId: ticket.commandId });
    const harness = h;
    const done = await waitFor(
      () => state(harness, threadId),
      (s) => s.recentTurns.length > 0 && s.recentTurns[0]!.status === "completed" && s.openCommands.length === 0,
    );
    expect(done.recentTurns).toHaveLength(1);
    expect(done.recentTurns[0]).toMatchObject({ commandId: ticket.commandId, status: "completed" });
    expect((await messages(h, threadId)).map((m) => [m.role, m.text])).toEqual([
      ["user", "from my phone"],
      ["assistant", "You said: from my phone"],
    ]);
    expect(h.model.requests.filter((r) => r.lastUserText === "from my phone")).toHaveLength(1);
    const elsewhere = (await h.device.query(chat.commandsPending, {})) as Array<{ _id: string; status: string }>;
    expect(elsewhere.map((c) => [c._id, c.status])).toEqual([[foreign.commandId, "queued"]]);

    // A turn typed on the laptop right after: the thread lists it first (newest first), even
    // within the same second (the row of the phone's turn was written by the claim path).
    const local = await h.runtime.sendTurn("from the laptop");
    const after = await waitFor(() => state(harness, threadId), (s) => s.recentTurns.length === 2 && s.activeTurn === null);
    expect(after.recentTurns.map((t) => t.turnId)).toEqual([local.turnId, done.recentTurns[0]!.turnId]);
  }, 30_000);

  test("a command approved from a device runs; its output and exit code are stored", async () => {
    h = await startHarness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("[command] echo approved-output");
    const harness = h;
    const [approval] = await waitFor(
      async () => (await harness.device.query(chat.pendingApprovals, { threadId })) as Array<{ itemId: string; turnId: string; command?: string }>,
      (list) => list.length === 1,
    );
    expect(approval).toMatchObject({ turnId, kind: "commandExecution" });
    await h.device.mutation(chat.approvalRespond, {
      threadId,
      turnId,
      itemId: approval!.itemId,
      decision: "accepted",
      deviceId: "phone",
    });
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    const command = (await items(h, threadId, turnId)).find((i) => i.details.type === "commandExecution");
    expect(command).toMatchObject({ status: "completed", details: { aggregatedOutput: "approved-output\n", exitCode: 0 } });
    expect(await h.device.query(chat.pendingApprovals, { threadId })).toEqual([]);
    expect((await messages(h, threadId)).at(-1)).toMatchObject({ role: "assistant", text: "The command finished.", status: "completed" });
  }, 30_000);

  test("any codex request can be answered with raw JSON through the generic server-request path", async () => {
    h = await startHarness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("[command] echo raw-answer");
    const harness = h;
    const [request] = await waitFor(
      async () =>
        (await harness.device.query(chat.pendingServerRequests, { threadId })) as Array<{
          sessionId: string;
          requestId: number | string;
          method: string;
        }>,
      (list) => list.length === 1,
    );
    expect(request).toMatchObject({ method: "item/commandExecution/requestApproval", sessionId: h.runtime.sessionId, requestId: 0 });
    await h.device.mutation(chat.resolveServerRequest, {
      threadId,
      sessionId: request!.sessionId,
      requestId: request!.requestId,
      responseJson: JSON.stringify({ decision: "accept" }),
    });
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    const command = (await items(h, threadId, turnId)).find((i) => i.details.type === "commandExecution");
    expect(command).toMatchObject({ status: "completed", details: { aggregatedOutput: "raw-answer\n", exitCode: 0 } });
    expect(await h.device.query(chat.pendingServerRequests, { threadId })).toEqual([]);
  }, 30_000);

  test("a declined command is marked declined and the turn goes on to its answer", async () => {
    h = await startHarness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("[command] echo never-runs");
    const harness = h;
    const [approval] = await waitFor(
      async () => (await harness.device.query(chat.pendingApprovals, { threadId })) as Array<{ itemId: string }>,
      (list) => list.length === 1,
    );
    await h.device.mutation(chat.approvalRespond, { threadId, turnId, itemId: approval!.itemId, decision: "declined" });
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    const command = (await items(h, threadId, turnId)).find((i) => i.details.type === "commandExecution");
    expect(command?.status).toBe("declined");
    expect(command?.details.aggregatedOutput ?? "").not.toContain("never-runs\n");
    expect((await messages(h, threadId)).at(-1)).toMatchObject({ role: "assistant", status: "completed" });
  }, 30_000);

  test("a file change approved from a device is applied; its diff is stored", async () => {
    h = await startHarness();
    await h.runtime.connect();
    // read-only: codex must ask before writing inside the workspace.
    const { threadId } = await h.runtime.openThread({ mode: "start", sandbox: "read-only" });
    const { turnId } = await h.runtime.sendTurn("[patch] notes.txt");
    const harness = h;
    const [approval] = await waitFor(
      async () => (await harness.device.query(chat.pendingApprovals, { threadId })) as Array<{ itemId: string; kind: string }>,
      (list) => list.length === 1,
    );
    expect(approval?.kind).toBe("fileChange");
    await h.device.mutation(chat.approvalRespond, { threadId, turnId, itemId: approval!.itemId, decision: "accepted" });
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    const change = (await items(h, threadId, turnId)).find((i) => i.details.type === "fileChange");
    expect(change?.status).toBe("completed");
    const changes = change?.details.changes as Array<{ path: string; kind: string; diff: string }>;
    expect(changes).toHaveLength(1);
    expect(changes[0]!.path).toContain("notes.txt");
    expect(changes[0]!.diff).toContain("hello from the scripted model");
  }, 30_000);

  test("an interrupt from a device stops the turn mid-stream: partial text kept, open items closed", async () => {
    h = await startHarness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("[slow]");
    const harness = h;
    // Wait until some of the reply has reached the backend.
    await waitFor(
      // A stream row exists once its first delta is stored.
      async () => (await harness.device.query(chat.streamSync, { threadId, streamCursorsById: [] })) as { streams: Array<{ channel: string }> },
      (r) => r.streams.some((st) => st.channel === "agentMessage"),
    );
    await h.device.mutation(chat.interruptActiveTurn, { threadId, deviceId: "phone" });
    const turn = await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "interrupted");
    expect(turn?.status).toBe("interrupted");
    const reply = (await messages(h, threadId)).find((m) => m.role === "assistant");
    expect(reply?.status).toBe("interrupted");
    expect(reply?.text).toMatch(/^(still going… )+/);
    expect((await items(h, threadId, turnId)).filter((i) => i.status === "inProgress")).toEqual([]);
    expect((await state(h, threadId)).activeTurn).toBeNull();
  }, 30_000);

  test("a model HTTP 500 fails the turn and stores the error", async () => {
    h = await startHarness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("[error] the model is down");
    const harness = h;
    const turn = await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "failed");
    expect(turn?.error?.message).toBeTruthy();
    expect((await state(h, threadId)).activeTurn).toBeNull();
  }, 30_000);

  test("a 429 codex retries: the turn shows the retry while it waits, and completes without an error", async () => {
    h = await startHarness({ codexHome: { streamMaxRetries: 2 } });
    h.model.enqueue({ type: "error", status: 429, code: "rate_limit_exceeded", retryAfterSeconds: 1, message: "slow down" }, { type: "text", text: "Through at last." });
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("are you there");
    const harness = h;
    const retrying = await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.error !== undefined || t?.status === "completed");
    expect(retrying).toMatchObject({ status: "inProgress", error: { willRetry: true } });
    const turn = await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    expect(turn).not.toHaveProperty("error");
    expect((await messages(h, threadId)).map((m) => [m.role, m.text])).toEqual([
      ["user", "are you there"],
      ["assistant", "Through at last."],
    ]);
  }, 30_000);

  test("a cancel from a device ends the turn interrupted and closes the command item", async () => {
    h = await startHarness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("[command] echo cancelled-run");
    const harness = h;
    const [approval] = await waitFor(
      async () => (await harness.device.query(chat.pendingApprovals, { threadId })) as Array<{ itemId: string }>,
      (list) => list.length === 1,
    );
    await h.device.mutation(chat.approvalRespond, { threadId, turnId, itemId: approval!.itemId, decision: "cancelled" });
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "interrupted");
    const open = (await items(h, threadId, turnId)).filter((i) => i.status === "inProgress");
    expect(open).toEqual([]);
    const command = (await items(h, threadId, turnId)).find((i) => i.details.type === "commandExecution");
    expect(command?.status === "declined" || command?.status === "interrupted").toBe(true);
    expect((await state(h, threadId)).activeTurn).toBeNull();
  }, 30_000);

  test("a steer from a device reaches the running turn", async () => {
    h = await startHarness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    h.model.enqueue({ type: "text", text: "A reply that takes a little while to stream, about one second.", chunks: 20, chunkDelayMs: 50 });
    const { turnId } = await h.runtime.sendTurn("start slowly");
    const harness = h;
    await waitFor(() => state(harness, threadId), (s) => s.activeTurn?.turnId === turnId);
    await h.device.mutation(chat.steerActiveTurn, { threadId, inputText: "also mention the docs", idempotencyKey: "steer-1" });
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    // codex took the steer into the same turn: the model was asked again with it.
    expect(h.model.requests.map((r) => r.lastUserText)).toContain("also mention the docs");
    expect((await state(h, threadId)).recentTurns).toHaveLength(1);
  }, 30_000);

  test("megabytes of command output: every streamed character reaches the stream over several batches; the item keeps a flagged cut", async () => {
    const batches: Array<{ bytes: number; events: number }> = [];
    let streamed = 0;
    h = await startHarness({
      runtime: {
        onBatchSent: (b) => void batches.push({ bytes: b.events.reduce((n, e) => n + eventBytes(e), 0), events: b.events.length }),
        onEvent: ({ event }) => {
          if (event.type === "stream_delta" && event.channel === "commandOutput") streamed += event.delta.length;
        },
      },
    });
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start", approvalPolicy: "never" });
    // Written over ~0.3 s, so codex streams it as output deltas (an instant burst it may only report at the end).
    const command = "for i in 1 2 3 4 5 6; do head -c 500000 /dev/zero | tr '\\0' x; sleep 0.05; done";
    h.model.enqueue({ type: "command", command, escalated: false, finalText: "Lots of x." });
    const { turnId } = await h.runtime.sendTurn("make noise");
    const harness = h;
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed", 30_000);
    const replay = (await h.device.query(chat.streamSync, { threadId, streamCursorsById: [] })) as {
      streams: Array<{ channel: string; cursor: number; status: string }>;
    };
    const output = replay.streams.find((s) => s.channel === "commandOutput");
    expect(output?.status).toBe("finished");
    // codex streams the first 2,000,000 characters of a command's output; all of them are stored.
    expect(streamed).toBeGreaterThan(INGEST_MAX_BATCH_BYTES / 4);
    expect(output!.cursor).toBe(streamed);
    const item = (await items(h, threadId, turnId)).find((i) => i.details.type === "commandExecution");
    expect(item).toMatchObject({ status: "completed", details: { exitCode: 0, outputTruncated: true } });
    // More output than one batch may carry: it had to go in several.
    expect(batches.filter((b) => b.bytes > 100_000).length).toBeGreaterThan(1);
    expect(batches.every((b) => b.bytes <= INGEST_MAX_BATCH_BYTES && b.events <= INGEST_MAX_EVENTS)).toBe(true);
  }, 40_000);
});
