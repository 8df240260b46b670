import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { codexTranscript, indexOf, isDelta, isLifecycle } from "../protocol/testing/events.js";
import { createHarness, type Harness } from "./testing/harness.js";
import { useCodexComposer } from "./useCodexComposer.js";
import { useCodexInterruptTurn } from "./useCodexInterruptTurn.js";
import { useCodexMessages } from "./useCodexMessages.js";

function Chat({ threadId, text = "second question", onSent }: { threadId: string; text?: string; onSent?: (r: unknown) => void }) {
  const messages = useCodexMessages(api.codex.threadMessages, { threadId }, { initialNumItems: 20, stream: true });
  const composer = useCodexComposer(api.codex.registerTurnStart, { optimistic: api.codex.threadMessages });
  const interrupt = useCodexInterruptTurn(api.codex.interruptActiveTurn);
  return (
    <div>
      <ul>
        {messages.results.map((m) => (
          <li key={m.key} data-testid="message" data-optimistic={String(m.optimistic)}>
            {m.role}:{m.text}
          </li>
        ))}
      </ul>
      <p data-testid="pending">{composer.pending}</p>
      <p data-testid="error">{composer.error ? composer.error.message : ""}</p>
      <button onClick={() => void composer.send({ threadId, inputText: text }).then(onSent, () => {})}>send</button>
      <button onClick={() => void composer.send({ threadId, inputText: "again", idempotencyKey: "fixed" }).then(onSent)}>retry</button>
      <button onClick={() => void interrupt({ threadId })}>stop</button>
    </div>
  );
}

const rows = () => screen.queryAllByTestId("message").map((li) => `${li.textContent}${li.dataset.optimistic === "true" ? " (optimistic)" : ""}`);
const queued = async (h: Harness, threadId: string) =>
  (await h.backend.query(api.codex.commandsPending, { threadId })).map((c) => [c.kind, c.input?.[0]?.type === "text" ? c.input[0].text : c.turnId]);

// Recorded: "first question" → "You said: first question", then "second question" → ….
const twoTurns = () => {
  const { threadId, events } = codexTranscript("two-turns");
  const secondTurn = indexOf(events, isLifecycle("turn/started"), 2);
  const secondUser = indexOf(events, isLifecycle("item/completed", "userMessage"), 2);
  return { threadId, firstTurn: events.slice(0, secondTurn), secondTurnUpToUser: events.slice(secondTurn, secondUser + 1), rest: events.slice(secondUser + 1) };
};

describe("useCodexComposer + optimisticallySendCodexMessage (real registerTurnStart)", () => {
  test("the sent text shows at once and is replaced by the durable message codex reports, never twice", async () => {
    const h = createHarness();
    const { threadId, firstTurn, secondTurnUpToUser } = twoTurns();
    await h.ingest(threadId, firstTurn);
    h.render(<Chat threadId={threadId} />);
    await h.settle();
    const release = h.client.pause(api.codex.registerTurnStart);

    await act(async () => screen.getByText("send").click());
    expect(rows()).toEqual(["user:first question", "assistant:You said: first question", "user:second question (optimistic)"]);
    expect(screen.getByTestId("pending").textContent).toBe("1");

    // Codex reports the user message while the send is still in flight.
    await h.ingest(threadId, secondTurnUpToUser);
    expect(rows()).toEqual(["user:first question", "assistant:You said: first question", "user:second question"]);

    release();
    await h.settle();
    expect(rows()).toEqual(["user:first question", "assistant:You said: first question", "user:second question"]);
    expect(screen.getByTestId("pending").textContent).toBe("0");
  });

  test("the sent text stays after the send returns, until codex reports the user message", async () => {
    const h = createHarness();
    const { threadId, firstTurn, secondTurnUpToUser, rest } = twoTurns();
    await h.ingest(threadId, firstTurn);
    h.render(<Chat threadId={threadId} />);
    await h.settle();
    await h.act(() => screen.getByText("send").click());
    // The command is queued and the mutation returned; the turn has not started yet.
    expect(screen.getByTestId("pending").textContent).toBe("0");
    expect(await queued(h, threadId)).toEqual([["startTurn", "second question"]]);
    expect(rows().at(-1)).toBe("user:second question (optimistic)");
    // Codex starts the turn: still the optimistic copy until the user message is stored.
    await h.ingest(threadId, secondTurnUpToUser.slice(0, 1));
    expect(rows().at(-1)).toBe("user:second question (optimistic)");
    await h.ingest(threadId, secondTurnUpToUser.slice(1));
    expect(rows().slice(2)).toEqual(["user:second question"]);
    await h.ingest(threadId, rest);
    expect(rows().slice(2)).toEqual(["user:second question", "assistant:You said: second question"]);
    // A later send of the same text is its own message again.
    await h.act(() => screen.getByText("send").click());
    expect(rows().slice(2)).toEqual(["user:second question", "assistant:You said: second question", "user:second question (optimistic)"]);
  });

  test("a failed send (no such thread) takes its optimistic message away", async () => {
    const h = createHarness();
    h.render(<Chat threadId="no-such-thread" />);
    await h.settle();
    await h.act(() => screen.getByText("send").click());
    expect(screen.getByTestId("error").textContent).toMatch(/not found/);
    expect(rows()).toEqual([]);
  });

  test("each send gets its own idempotency key; a retry with the same key is deduplicated", async () => {
    const h = createHarness();
    const { threadId } = twoTurns();
    await h.backend.mutation(api.codex.ensureThread, { threadId });
    const results: Array<{ idempotencyKey: string; deduplicated: boolean }> = [];
    h.render(<Chat threadId={threadId} text="do it" onSent={(r) => results.push(r as (typeof results)[number])} />);
    await h.settle();
    for (const button of ["send", "send", "retry", "retry"]) await h.act(() => screen.getByText(button).click());
    expect(results).toHaveLength(4);
    expect(results[0]!.idempotencyKey).not.toBe(results[1]!.idempotencyKey);
    expect(results.map((r) => r.deduplicated)).toEqual([false, false, false, true]);
    expect(await queued(h, threadId)).toEqual([
      ["startTurn", "do it"],
      ["startTurn", "do it"],
      ["startTurn", "again"],
    ]);
  });

  test("useCodexInterruptTurn queues an interrupt for the running turn", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("interrupt");
    const turnId = events[indexOf(events, isLifecycle("turn/started"))]!.turnId!;
    await h.ingest(threadId, events.slice(0, indexOf(events, isDelta("agentMessage"), 2) + 1));
    h.render(<Chat threadId={threadId} />);
    await h.act(() => screen.getByText("stop").click());
    expect(await queued(h, threadId)).toEqual([["interruptTurn", turnId]]);
  });
});
