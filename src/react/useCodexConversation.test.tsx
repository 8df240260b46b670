import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { ConversationState } from "./conversation/reduceConversation.js";
import { api } from "./testing/app/_generated/api.js";
import { actor, createHarness, type Harness } from "./testing/harness.js";
import { useCodexConversation, type CodexConversation } from "./useCodexConversation.js";

const wrappers = {
  threadState: api.chat.threadState,
  threadItems: api.chat.threadItems,
  threadMessages: api.chat.threadMessages,
  registerTurnStart: api.chat.registerTurnStart,
  interruptActiveTurn: api.chat.interruptActiveTurn,
};

let view: CodexConversation;
function Conversation({ threadId }: { threadId: string }) {
  view = useCodexConversation(wrappers, { actor, threadId }, { tickMs: 10 });
  const { state } = view;
  return (
    <div>
      <p data-testid="status">{state.taskRunning ? `running: ${state.statusHeader}` : "idle"}</p>
      <p data-testid="queue">{state.queuedInputs.join("|")}</p>
    </div>
  );
}

const state = (): ConversationState => view.state;
const startTurnCommands = async (h: Harness) =>
  (await h.t.run(async (ctx) => await ctx.db.query("commands").collect()))
    .filter((c) => c.kind === "startTurn")
    .map((c) => [c.input?.[0]?.type === "text" ? c.input[0].text : "", c.status]);

const read = { type: "read" as const, command: "cat a.ts", name: "a.ts", path: "a.ts" };

describe("useCodexConversation", () => {
  test("a turn folds into status, header, exec, newline-gated text; queued inputs go out one per finished turn", async () => {
    const h = await createHarness();
    h.render(<Conversation threadId={h.threadId} />);
    await h.settle();
    expect(screen.getByTestId("status").textContent).toBe("idle");

    await h.bridge("startTurn", { turnId: "turn-1" });
    expect(screen.getByTestId("status").textContent).toBe("running: Working");
    await h.bridge("upsertItem", { turnId: "turn-1", itemId: "u1", status: "completed", details: { type: "userMessage", text: "first" } });

    // Typed while the turn runs: queued, not sent.
    act(() => view.submit("second"));
    act(() => view.submit("third"));
    expect(screen.getByTestId("queue").textContent).toBe("second|third");
    await h.settle();
    expect(await startTurnCommands(h)).toEqual([]);

    await h.bridge("startStream", { turnId: "turn-1", itemId: "r1", streamId: "r1", channel: "reasoningSummary" });
    await h.bridge("appendDelta", { streamId: "r1", text: "**Inspecting the repo**\n\nLooking" });
    expect(screen.getByTestId("status").textContent).toBe("running: Inspecting the repo");

    await h.bridge("upsertItem", {
      turnId: "turn-1",
      itemId: "c1",
      status: "inProgress",
      details: { type: "commandExecution", command: "cat a.ts", cwd: "/", commandActions: [read] },
    });
    expect(state().activeExec).toMatchObject({ callId: "c1", title: "Exploring", exploring: true });
    await h.bridge("upsertItem", {
      turnId: "turn-1",
      itemId: "c1",
      status: "completed",
      details: { type: "commandExecution", command: "cat a.ts", cwd: "/", commandActions: [read], exitCode: 0, aggregatedOutput: "x" },
    });
    expect(state().activeExec).toBeUndefined();

    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    await h.bridge("appendDelta", { streamId: "s1", text: "line one\nline t" });
    expect(state().streamBuffer).toBe("line t");
    await h.bridge("appendDelta", { streamId: "s1", text: "wo" });
    await h.bridge("upsertItem", { turnId: "turn-1", itemId: "a1", status: "completed", details: { type: "agentMessage", text: "line one\nline two" } });
    expect(state().transcript).toEqual([
      { kind: "user", itemId: "u1", text: "first" },
      { kind: "explored", calls: [expect.objectContaining({ callId: "c1", exitCode: 0, output: "x", done: true })] },
      { kind: "agent", itemId: "a1", lines: ["line one", "line two"], done: true },
    ]);
    expect(state().streamBuffer).toBe("");

    // The turn ends: "second" goes out (and only it).
    await h.bridge("endTurn", { turnId: "turn-1", status: "completed" });
    await h.settle();
    expect(screen.getByTestId("status").textContent).toBe("idle");
    expect(state().elapsedMs).toBeGreaterThanOrEqual(0);
    expect(await startTurnCommands(h)).toEqual([["second", "queued"]]);
    expect(screen.getByTestId("queue").textContent).toBe("third");
    expect(state().awaitingTurnStart).toBe(true);

    // The bridge starts the queued turn and it ends: "third" goes out.
    await h.bridge("startTurn", { turnId: "turn-2" });
    expect(await startTurnCommands(h)).toEqual([["second", "done"]]);
    await h.bridge("endTurn", { turnId: "turn-2", status: "completed" });
    await h.settle();
    expect(await startTurnCommands(h)).toEqual([["second", "done"], ["third", "queued"]]);
    expect(screen.getByTestId("queue").textContent).toBe("");
  });

  test("an input submitted while idle is sent right away", async () => {
    const h = await createHarness();
    h.render(<Conversation threadId={h.threadId} />);
    await h.settle();
    act(() => view.submit("hello"));
    await h.settle();
    expect(await startTurnCommands(h)).toEqual([["hello", "queued"]]);
  });

  test("a send that fails is reported and does not block the queue", async () => {
    const h = await createHarness();
    h.render(<Conversation threadId="no-such-thread" />);
    await h.settle();
    await h.act(() => view.submit("lost"));
    expect(state().lastError).toMatch(/not found/);
    expect(state().awaitingTurnStart).toBe(false);
    await h.act(() => view.submit("next"));
    // Sent (and failed) too: the queue moved on instead of waiting for a turn that never comes.
    expect(state().queuedInputs).toEqual([]);
  });

  test("elapsed time runs from the turn start and stops when it ends", async () => {
    const h = await createHarness();
    h.render(<Conversation threadId={h.threadId} />);
    await h.bridge("startTurn", { turnId: "turn-1", startedAt: Date.now() - 5_000 });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 40));
    });
    expect(state().elapsedMs).toBeGreaterThanOrEqual(5_000);
    await h.bridge("endTurn", { turnId: "turn-1", status: "interrupted" });
    const frozen = state().elapsedMs;
    await act(async () => {
      await new Promise((r) => setTimeout(r, 40));
    });
    expect(state().elapsedMs).toBe(frozen);
    expect(state().taskRunning).toBe(false);
  });

  test("interrupt queues an interrupt for the running turn", async () => {
    const h = await createHarness();
    h.render(<Conversation threadId={h.threadId} />);
    await h.bridge("startTurn", { turnId: "turn-7" });
    await act(async () => view.interrupt());
    await h.settle();
    const commands = await h.t.run(async (ctx) => await ctx.db.query("commands").collect());
    expect(commands.map((c) => [c.kind, c.turnId])).toEqual([["interruptTurn", "turn-7"]]);
  });
});
