import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "./testing/app/_generated/api.js";
import { actor, createHarness } from "./testing/harness.js";
import { useCodexComposer } from "./useCodexComposer.js";
import { useCodexInterruptTurn } from "./useCodexInterruptTurn.js";
import { useCodexMessages } from "./useCodexMessages.js";

function Chat({ threadId, onSent }: { threadId: string; onSent?: (r: unknown) => void }) {
  const messages = useCodexMessages(api.chat.threadMessages, { actor, threadId }, { initialNumItems: 20, stream: true });
  const composer = useCodexComposer(api.chat.registerTurnStart, { optimistic: api.chat.threadMessages });
  const interrupt = useCodexInterruptTurn(api.chat.interruptActiveTurn);
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
      <p data-testid="error">{composer.error ? "failed" : ""}</p>
      <button onClick={() => void composer.send({ actor, threadId, inputText: "do it" }).then(onSent, () => {})}>send</button>
      <button onClick={() => void composer.send({ actor, threadId, inputText: "again", idempotencyKey: "fixed" }).then(onSent)}>retry</button>
      <button onClick={() => void interrupt({ actor, threadId, turnId: "turn-1" })}>stop</button>
    </div>
  );
}

const rows = () => screen.queryAllByTestId("message").map((li) => `${li.textContent}${li.dataset.optimistic === "true" ? " (optimistic)" : ""}`);

describe("useCodexComposer + optimisticallySendCodexMessage", () => {
  test("the sent text shows at once and is replaced by the durable message, never twice", async () => {
    const h = await createHarness();
    await h.bridge("putMessage", { turnId: "turn-0", itemId: "u0", role: "user", status: "completed", text: "do it" });
    await h.bridge("putMessage", { turnId: "turn-0", itemId: "a0", role: "assistant", status: "completed", text: "done" });
    h.render(<Chat threadId={h.threadId} />);
    await h.settle();
    const release = h.client.pause(api.chat.registerTurnStart);

    await act(async () => screen.getByText("send").click());
    expect(rows()).toEqual(["user:do it", "assistant:done", "user:do it (optimistic)"]);
    expect(screen.getByTestId("pending").textContent).toBe("1");

    // The bridge stores the user message while the send is still in flight.
    await h.bridge("putMessage", { turnId: "turn-1", itemId: "u1", role: "user", status: "completed", text: "do it" });
    expect(rows()).toEqual(["user:do it", "assistant:done", "user:do it"]);

    release();
    await h.settle();
    expect(rows()).toEqual(["user:do it", "assistant:done", "user:do it"]);
    expect(screen.getByTestId("pending").textContent).toBe("0");
  });

  test("the sent text stays after the send returns, until the bridge stores the user message", async () => {
    const h = await createHarness();
    h.render(<Chat threadId={h.threadId} />);
    await h.settle();
    await h.act(() => screen.getByText("send").click());
    // The command is queued and the mutation returned; the turn has not started yet.
    expect(screen.getByTestId("pending").textContent).toBe("0");
    expect(rows()).toEqual(["user:do it (optimistic)"]);
    await h.bridge("startTurn", { turnId: "turn-1" });
    await h.bridge("putMessage", { turnId: "turn-1", itemId: "u1", role: "user", status: "completed", text: "do it" });
    expect(rows()).toEqual(["user:do it"]);
    // A later send of the same text is its own message again.
    await h.act(() => screen.getByText("send").click());
    expect(rows()).toEqual(["user:do it", "user:do it (optimistic)"]);
  });

  test("a failed send takes its optimistic message away", async () => {
    const h = await createHarness();
    h.render(<Chat threadId="no-such-thread" />);
    await h.settle();
    await h.act(() => screen.getByText("send").click());
    expect(screen.getByTestId("error").textContent).toBe("failed");
    expect(rows()).toEqual([]);
  });

  test("each send gets its own idempotency key; a retry with the same key is deduplicated", async () => {
    const h = await createHarness();
    const results: Array<{ idempotencyKey: string; deduplicated: boolean }> = [];
    h.render(<Chat threadId={h.threadId} onSent={(r) => results.push(r as (typeof results)[number])} />);
    await h.settle();
    for (const button of ["send", "send", "retry", "retry"]) await h.act(() => screen.getByText(button).click());
    expect(results).toHaveLength(4);
    expect(results[0]!.idempotencyKey).not.toBe(results[1]!.idempotencyKey);
    expect(results.map((r) => r.deduplicated)).toEqual([false, false, false, true]);
    const commands = await h.t.run(async (ctx) => await ctx.db.query("commands").collect());
    expect(commands.map((c) => [c.kind, c.input?.[0]])).toEqual([
      ["startTurn", { type: "text", text: "do it" }],
      ["startTurn", { type: "text", text: "do it" }],
      ["startTurn", { type: "text", text: "again" }],
    ]);
  });

  test("useCodexInterruptTurn queues an interrupt for the turn", async () => {
    const h = await createHarness();
    h.render(<Chat threadId={h.threadId} />);
    await h.act(() => screen.getByText("stop").click());
    const commands = await h.t.run(async (ctx) => await ctx.db.query("commands").collect());
    expect(commands.map((c) => [c.kind, c.turnId, c.status])).toEqual([["interruptTurn", "turn-1", "queued"]]);
  });
});
