import { act, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import type { ConversationState } from "./conversation/reduceConversation.js";
import { codexTranscript, indexOf, isDelta, isLifecycle } from "../protocol/testing/events.js";
import { eventDroppedRecord } from "../contract/limits.js";
import { createHarness, sessionId, type Harness } from "./testing/harness.js";
import { useCodexConversation, type CodexConversation } from "./useCodexConversation.js";

const wrappers = {
  threadState: api.codex.threadState,
  threadItems: api.codex.threadItems,
  threadMessages: api.codex.threadMessages,
  registerTurnStart: api.codex.registerTurnStart,
  interruptActiveTurn: api.codex.interruptActiveTurn,
  commandStatus: api.codex.commandStatus,
  steerActiveTurn: api.codex.steerActiveTurn,
  threadTurns: api.codex.threadTurns,
  cancelQueuedCommand: api.codex.cancelQueuedCommand,
  droppedEvents: api.codex.droppedEvents,
};

let view: CodexConversation;
/**
 * The elapsed-time clock ticks only while a test lets time pass inside act (`ticking`):
 * otherwise a tick could land between two steps of a test, outside act.
 */
let setTickMs: (ms: number) => void = () => undefined;
function Conversation({ threadId }: { threadId: string }) {
  const [tickMs, setTick] = useState(60_000);
  setTickMs = setTick;
  view = useCodexConversation(wrappers, { threadId }, { tickMs });
  const { state } = view;
  return (
    <div>
      <p data-testid="status">{state.taskRunning ? `running: ${state.statusHeader}` : "idle"}</p>
      <p data-testid="queue">{state.queuedInputs.join("|")}</p>
    </div>
  );
}

const state = (): ConversationState => view.state;
const status = () => screen.getByTestId("status").textContent;
const queuedOf = async (h: Harness, threadId: string, kind: string) =>
  (await h.backend.query(api.codex.commandsPending, { threadId }))
    .filter((c) => c.kind === kind)
    .map((c) => (c.input?.[0]?.type === "text" ? c.input[0].text : ""));
const queuedTurns = (h: Harness, threadId: string) => queuedOf(h, threadId, "startTurn");
const sleep = (ms: number) => act(async () => void (await new Promise((r) => setTimeout(r, ms))));
/** Lets `ms` pass inside act with the clock ticking every 10 ms. */
const ticking = async (ms: number) => {
  act(() => setTickMs(10));
  await sleep(ms);
  act(() => setTickMs(60_000));
};

describe("useCodexConversation (real component, recorded codex turns)", () => {
  test("a command turn: status, the running command with its streamed output, then exec and reply cells", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("command-streamed-output");
    h.render(<Conversation threadId={threadId} />);
    await h.settle();
    expect(status()).toBe("idle");

    const secondLine = indexOf(events, isDelta("commandOutput"), 2);
    await h.ingestEach(threadId, events.slice(0, secondLine + 1));
    expect(status()).toBe("running: Working");
    expect(state().activeExec).toMatchObject({
      callId: "call_commandstreamedoutput_2",
      title: "Running",
      exploring: false,
      output: "line-1\nline-2\n",
      done: false,
    });

    const commandDone = indexOf(events, isLifecycle("item/completed", "commandExecution"));
    await h.ingestEach(threadId, events.slice(secondLine + 1, commandDone + 1));
    expect(state().activeExec).toBeUndefined();
    await h.ingestEach(threadId, events.slice(commandDone + 1));
    expect(status()).toBe("idle");
    expect(state().transcript).toEqual([
      { kind: "user", itemId: expect.any(String), turnId: expect.any(String), text: "[command] for i in 1 2 3; do echo line-$i; sleep 0.3; done" },
      {
        kind: "exec",
        call: expect.objectContaining({
          callId: "call_commandstreamedoutput_2",
          exitCode: 0,
          output: "line-1\nline-2\nline-3\n",
          done: true,
          status: "completed",
          cwd: expect.any(String),
          durationMs: expect.any(Number),
        }),
      },
      { kind: "agent", itemId: "msg_commandstreamedoutput_5", turnId: expect.any(String), lines: ["The command finished."], done: true },
    ]);
  });

  test("a read-only command shows as exploring (command actions survive the component)", async () => {
    const h = createHarness();
    const read = { type: "read", command: "cat notes.txt", name: "notes.txt", path: "notes.txt" };
    // The recorded command, as codex reports a `cat`: every action a read.
    const { threadId, events } = codexTranscript("command-accept", (m) => {
      const item = m.params?.item as { type?: string; commandActions?: unknown[] } | undefined;
      if (item?.type === "commandExecution") item.commandActions = [read];
      return m;
    });
    h.render(<Conversation threadId={threadId} />);
    const started = indexOf(events, isLifecycle("item/started", "commandExecution"));
    await h.ingestEach(threadId, events.slice(0, started + 1));
    expect(state().activeExec).toMatchObject({ title: "Exploring", exploring: true, commandActions: [read] });
    await h.ingestEach(threadId, events.slice(started + 1));
    expect(state().transcript.map((c) => c.kind)).toEqual(["user", "explored", "agent"]);
  });

  test("the reasoning header becomes the status", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("reasoning");
    h.render(<Conversation threadId={threadId} />);
    await h.ingestEach(threadId, events.slice(0, indexOf(events, isDelta("reasoningSummary"), 2) + 1));
    expect(status()).toBe("running: Thinking it over");
    await h.ingestEach(threadId, events.slice(indexOf(events, isDelta("reasoningSummary"), 2) + 1, indexOf(events, isDelta("reasoningSummary"), 5) + 1));
    expect(status()).toBe("running: Answering");
  });

  test("reply text shows line by line: the unfinished line waits in the buffer", async () => {
    // The recorded reply, with a line break codex could have sent in its second delta.
    const lines = codexTranscript("streamed-text", (m) => JSON.parse(JSON.stringify(m).replaceAll(" — ", "\\n")) as typeof m);
    const h = createHarness();
    h.render(<Conversation threadId={lines.threadId} />);
    const secondDelta = indexOf(lines.events, isDelta("agentMessage"), 2);
    await h.ingestEach(lines.threadId, lines.events.slice(0, secondDelta + 1));
    expect(state().transcript.at(-1)).toMatchObject({ kind: "agent", itemId: "msg_streamedtext_2", lines: ["You said: Grüße 🌍"], done: false });
    expect(state().streamBuffer).toBe("stream");
    await h.ingestEach(lines.threadId, lines.events.slice(secondDelta + 1));
    expect(state().transcript.at(-1)).toMatchObject({
      kind: "agent",
      itemId: "msg_streamedtext_2",
      lines: ["You said: Grüße 🌍", "stream this back to me, please"],
      done: true,
    });
    expect(state().streamBuffer).toBe("");
  });

  test("inputs typed while a turn runs are queued and go out one per finished turn, through the real command queue", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("two-turns");
    const turnStart = (n: number) => indexOf(events, isLifecycle("turn/started"), n);
    const secondTurnId = events[turnStart(2)]!.turnId!;
    h.render(<Conversation threadId={threadId} />);
    await h.ingestEach(threadId, events.slice(0, indexOf(events, isDelta("agentMessage")) + 1));
    expect(status()).toBe("running: Working");

    act(() => view.submit("second question"));
    act(() => view.submit("third question"));
    expect(screen.getByTestId("queue").textContent).toBe("second question|third question");
    await h.settle();
    expect(await queuedTurns(h, threadId)).toEqual([]);

    // The first turn ends: "second question" goes out (and only it). The send is held until
    // released inside act, so its result lands inside act too.
    let release = h.client.pause(api.codex.registerTurnStart);
    await h.ingestEach(threadId, events.slice(indexOf(events, isDelta("agentMessage")) + 1, turnStart(2)));
    await h.act(release);
    expect(status()).toBe("idle");
    expect(await queuedTurns(h, threadId)).toEqual(["second question"]);
    expect(screen.getByTestId("queue").textContent).toBe("third question");
    expect(state().awaitingTurnStart).toBe(true);

    // The bridge claims the command and codex runs it (the recorded second turn).
    const [command] = await h.backend.query(api.codex.commandsPending, { threadId });
    await h.call(api.codex.commandClaim, { sessionId, commandId: command!._id });
    await h.call(api.codex.commandComplete, { sessionId, commandId: command!._id, turnId: secondTurnId });
    await h.ingest(threadId, [events[turnStart(2)]!]);
    expect(state().awaitingTurnStart).toBe(false);
    expect(status()).toBe("running: Working");
    expect(await queuedTurns(h, threadId)).toEqual([]);
    release = h.client.pause(api.codex.registerTurnStart);
    await h.ingestEach(threadId, events.slice(turnStart(2) + 1));
    await h.act(release);
    expect(await queuedTurns(h, threadId)).toEqual(["third question"]);
    expect(screen.getByTestId("queue").textContent).toBe("");
    expect(state().transcript.filter((c) => c.kind === "user").map((c) => (c as { text: string }).text)).toEqual([
      "first question",
      "second question",
    ]);
  });

  test("an input submitted while idle is sent right away", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("streamed-text");
    await h.ingest(threadId, events);
    h.render(<Conversation threadId={threadId} />);
    await h.settle();
    act(() => view.submit("hello"));
    await h.settle();
    expect(await queuedTurns(h, threadId)).toEqual(["hello"]);
  });

  test("a read-only view (no send/interrupt/steer/cancel wrappers) says so when asked to act, instead of queueing forever", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("streamed-text");
    await h.ingest(threadId, events);
    let readOnly: CodexConversation | undefined;
    function Viewer() {
      readOnly = useCodexConversation({ threadState: api.codex.threadState, threadItems: api.codex.threadItems }, { threadId });
      return null;
    }
    h.render(<Viewer />);
    await h.settle();
    expect(() => readOnly!.submit("hello")).toThrow(/submit\(\) needs api\.registerTurnStart/);
    expect(readOnly!.state.queuedInputs).toEqual([]);
    await expect(readOnly!.interrupt()).rejects.toThrow(/api\.interruptActiveTurn/);
    await expect(readOnly!.steer()).rejects.toThrow(/api\.steerActiveTurn/);
    await expect(readOnly!.cancelPending()).rejects.toThrow(/api\.cancelQueuedCommand/);
    expect(await queuedTurns(h, threadId)).toEqual([]);
  });

  test("a send that fails is reported and does not block the queue", async () => {
    const h = createHarness();
    h.render(<Conversation threadId="no-such-thread" />);
    await h.settle();
    await h.act(() => view.submit("lost"));
    await h.settle();
    // The component's coded error, read as its message (not the serialized ConvexError data).
    expect(state().lastError).toBe("thread no-such-thread not found");
    expect(state().awaitingTurnStart).toBe(false);
    await h.act(() => view.submit("next"));
    await h.settle();
    // Sent (and failed) too: the queue moved on instead of waiting for a turn that never comes.
    expect(state().queuedInputs).toEqual([]);
  });

  test("elapsed time runs from the recorded turn start and freezes at its recorded end (interrupted)", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("interrupt");
    h.render(<Conversation threadId={threadId} />);
    await h.ingestEach(threadId, events.slice(0, indexOf(events, isDelta("agentMessage")) + 1));
    const startedAt = state().turnStartedAt!;
    await ticking(40);
    expect(state().elapsedMs).toBeGreaterThanOrEqual(Date.now() - startedAt - 100);
    await h.ingestEach(threadId, events.slice(indexOf(events, isDelta("agentMessage")) + 1));
    expect(state().taskRunning).toBe(false);
    // The turn lasted 164 ms when recorded: elapsed is its length, not the time until now.
    const stored = (await h.backend.query(api.codex.threadState, { threadId })).recentTurns[0]!;
    expect(stored.status).toBe("interrupted");
    expect(state().elapsedMs).toBe(stored.completedAt! - stored.startedAt);
    expect(state().elapsedMs).toBeLessThan(5_000);
    const frozen = state().elapsedMs;
    await ticking(40);
    expect(state().elapsedMs).toBe(frozen);
  });

  test("a turn that fails is reported with codex's own error, and marked where it ended", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("model-error");
    h.render(<Conversation threadId={threadId} />);
    await h.ingestEach(threadId, events.slice(0, indexOf(events, isLifecycle("turn/completed"))));
    expect(status()).toBe("running: Working");
    expect(state().lastError).toBeUndefined();
    await h.ingestEach(threadId, events.slice(indexOf(events, isLifecycle("turn/completed"))));
    expect(status()).toBe("idle");
    // What codex said (stored with the turn), not a generic sentence.
    const stored = (await h.backend.query(api.codex.threadState, { threadId })).recentTurns[0]!;
    expect(stored.status).toBe("failed");
    expect(state().lastError).toBe(stored.error!.message);
    expect(state().transcript.at(-1)).toEqual({ kind: "turn_end", turnId: stored.turnId, status: "failed", error: stored.error!.message });
  });

  test("interrupt queues an interrupt for the running turn", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("interrupt");
    const turnId = events[indexOf(events, isLifecycle("turn/started"))]!.turnId!;
    h.render(<Conversation threadId={threadId} />);
    await h.ingestEach(threadId, events.slice(0, indexOf(events, isDelta("agentMessage")) + 1));
    await act(async () => view.interrupt());
    await h.settle();
    const commands = await h.backend.query(api.codex.commandsPending, { threadId });
    expect(commands.map((c) => [c.kind, c.turnId])).toEqual([["interruptTurn", turnId]]);
  });

  test("the plan codex reported (update_plan): the turn's plan cell and the live plan, with codex's explanation", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("plan");
    h.render(<Conversation threadId={threadId} />);
    const planned = indexOf(events, isLifecycle("turn/plan/updated"));
    await h.ingestEach(threadId, events.slice(0, planned + 1));
    expect(status()).toBe("running: Working");
    const steps = [
      { step: "Read the failing test", status: "completed" },
      { step: "Fix the parser", status: "in_progress" },
      { step: "Run the suite", status: "pending" },
    ];
    expect(state().plan).toEqual(steps);
    expect(state().planExplanation).toBe("Three steps to get there.");
    expect(state().transcript.map((c) => c.kind)).toEqual(["user", "plan"]);
    await h.ingestEach(threadId, events.slice(planned + 1));
    expect(state().transcript.map((c) => c.kind)).toEqual(["user", "plan", "agent"]);
    expect(state().transcript[1]).toMatchObject({ kind: "plan", steps, explanation: "Three steps to get there." });
  });

  test("opened after the fact: reasoning shows as a cell under its header, an interrupted turn is marked", async () => {
    const h = createHarness();
    const reasoning = codexTranscript("reasoning");
    const interrupted = codexTranscript("interrupt");
    await h.ingest(reasoning.threadId, reasoning.events);
    await h.ingest(reasoning.threadId, interrupted.events);
    h.render(<Conversation threadId={reasoning.threadId} />);
    await h.settle();
    expect(status()).toBe("idle");
    const cells = state().transcript;
    expect(cells.map((c) => c.kind)).toEqual(["user", "reasoning", "agent", "user", "agent", "turn_end"]);
    expect(cells[1]).toMatchObject({ kind: "reasoning", header: "Thinking it over", done: true });
    expect((cells[1] as { summary: string }).summary).toContain("**Answering**");
    expect(cells[5]).toMatchObject({ kind: "turn_end", status: "interrupted" });
  });

  test("steer now: a queued input goes into the running turn instead of waiting for it to end", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("two-turns");
    h.render(<Conversation threadId={threadId} />);
    await h.ingestEach(threadId, events.slice(0, indexOf(events, isDelta("agentMessage")) + 1));
    act(() => view.submit("also check the README"));
    act(() => view.submit("and the changelog"));
    await h.act(() => view.steer(1));
    expect(await queuedOf(h, threadId, "steerTurn")).toEqual(["and the changelog"]);
    expect(await queuedTurns(h, threadId)).toEqual([]);
    expect(state().queuedInputs).toEqual(["also check the README"]);
  });

  test("a steer whose turn ends before a host takes it up is listed as failed, not lost", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("two-turns");
    const firstEnd = indexOf(events, isLifecycle("turn/completed"));
    h.render(<Conversation threadId={threadId} />);
    await h.ingestEach(threadId, events.slice(0, indexOf(events, isDelta("agentMessage")) + 1));
    act(() => view.submit("also check the README"));
    await h.act(() => view.steer(0));
    expect(await queuedOf(h, threadId, "steerTurn")).toEqual(["also check the README"]);
    expect(state().queuedInputs).toEqual([]);
    // codex finishes the turn; no host took the steer up.
    await h.ingest(threadId, events.slice(indexOf(events, isDelta("agentMessage")) + 1, firstEnd + 1));
    await h.settle();
    expect(await queuedOf(h, threadId, "steerTurn")).toEqual([]);
    expect(state().failedInputs).toEqual([{ text: "also check the README", error: expect.stringMatching(/ended before this input reached it/) }]);
  });

  test("a sent input whose command fails is listed as failed with its error; retry queues it again", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("streamed-text");
    await h.ingest(threadId, events);
    h.render(<Conversation threadId={threadId} />);
    await h.settle();
    await h.act(() => view.submit("hello"));
    expect(state().pendingInput).toBe("hello");
    const [command] = await h.backend.query(api.codex.commandsPending, { threadId });
    expect(state().pendingCommandId).toBe(command!._id);
    // The bridge takes it and codex refuses the turn.
    await h.call(api.codex.commandClaim, { sessionId, commandId: command!._id });
    await h.call(api.codex.commandComplete, { sessionId, commandId: command!._id, error: "codex refused turn/start: model unavailable" });
    expect(state().failedInputs).toEqual([{ text: "hello", error: "codex refused turn/start: model unavailable" }]);
    expect(state().awaitingTurnStart).toBe(false);
    expect(state().pendingInput).toBeUndefined();
    await h.act(() => view.retryFailed(0));
    expect(state().failedInputs).toEqual([]);
    expect(await queuedTurns(h, threadId)).toEqual(["hello"]);
  });

  test("cancelPending withdraws a send nobody picked up (no host is running)", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("streamed-text");
    await h.ingest(threadId, events);
    h.render(<Conversation threadId={threadId} />);
    await h.settle();
    await h.act(() => view.submit("are you there?"));
    expect(await queuedTurns(h, threadId)).toEqual(["are you there?"]);
    await h.act(() => view.cancelPending());
    expect(await queuedTurns(h, threadId)).toEqual([]);
    expect(state().failedInputs.map((f) => f.text)).toEqual(["are you there?"]);
    expect(state().awaitingTurnStart).toBe(false);
  });

  test("cancelPending with commandStatus but no threadMessages: the cancel is still reported, the input not left pending", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("streamed-text");
    await h.ingest(threadId, events);
    let bare: CodexConversation | undefined;
    function Bare() {
      const { threadMessages: _messages, ...noMessages } = wrappers;
      bare = useCodexConversation(noMessages, { threadId });
      return null;
    }
    h.render(<Bare />);
    await h.settle();
    await h.act(() => bare!.submit("are you there?"));
    await h.act(() => bare!.cancelPending());
    await h.settle();
    expect(bare!.state.failedInputs.map((f) => f.text)).toEqual(["are you there?"]);
    expect(bare!.state.awaitingTurnStart).toBe(false);
    expect(bare!.state.pendingInput).toBeUndefined();
  });

  test("what the backend refused to store shows as a marker in the turn (the host's dropped-event record)", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("command-accept");
    const completed = indexOf(events, isLifecycle("item/completed", "commandExecution"));
    const lost = events[completed]!;
    h.render(<Conversation threadId={threadId} />);
    // The outbox could not store the command's end; it sends its record in that event's place.
    await h.ingestEach(threadId, events.slice(0, completed));
    await h.ingest(threadId, [eventDroppedRecord(lost, { code: "E_TOO_LARGE", message: "the command's output did not fit" })]);
    await h.ingestEach(threadId, events.slice(completed + 1));
    const dropped = state().transcript.filter((c) => c.kind === "dropped");
    expect(dropped).toEqual([
      expect.objectContaining({ kind: "dropped", what: "item/completed", code: "E_TOO_LARGE", message: "the command's output did not fit", turnId: lost.turnId }),
    ]);
    expect(status()).toBe("idle");
  });
});
