import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { codexTranscript, indexOf, isLifecycle } from "../protocol/testing/events.js";
import { createHarness, sessionId, type Harness } from "./testing/harness.js";
import { useCodexComposer } from "./useCodexComposer.js";
import { useCodexMessages } from "./useCodexMessages.js";

/** A chat whose composer watches the commands of its sends (`commandStatus`). */
function Chat({ threadId, watchFrom = "composer" }: { threadId: string; watchFrom?: "composer" | "messages" }) {
  const commandStatus = api.codex.commandStatus;
  const messages = useCodexMessages(
    api.codex.threadMessages,
    { threadId },
    { initialNumItems: 20, commandStatus: watchFrom === "messages" ? commandStatus : undefined },
  );
  const composer = useCodexComposer(api.codex.registerTurnStart, {
    optimistic: api.codex.threadMessages,
    commandStatus: watchFrom === "composer" ? commandStatus : undefined,
  });
  return (
    <div>
      <ul>
        {messages.results.map((m) => (
          <li key={m.key}>
            <span data-testid="message">
              {m.role}:{m.text}
              {m.optimistic ? " (optimistic)" : ""}
              {m.failed ? ` (failed: ${m.error})` : ""}
            </span>
            {m.failed && <button onClick={() => void composer.retry(m.idempotencyKey!)}>retry</button>}
            {m.failed && <button onClick={() => composer.dismiss(m.idempotencyKey!)}>dismiss</button>}
          </li>
        ))}
      </ul>
      <p data-testid="error">{composer.error?.message ?? ""}</p>
      <p data-testid="failed">{composer.failed.map((f) => `${f.status}:${f.inputText}`).join("|")}</p>
      <button onClick={() => void composer.send({ threadId, inputText: "second question" })}>send</button>
    </div>
  );
}

const rows = () => screen.queryAllByTestId("message").map((span) => span.textContent);
const queuedTexts = async (h: Harness, threadId: string) =>
  (await h.backend.query(api.codex.commandsPending, { threadId })).map((c) => (c.input?.[0]?.type === "text" ? c.input[0].text : c.kind));

// Recorded: "first question" → "You said: first question", then "second question" → ….
const twoTurns = () => {
  const { threadId, events } = codexTranscript("two-turns");
  const secondTurn = indexOf(events, isLifecycle("turn/started"), 2);
  return { threadId, events, secondTurnId: events[secondTurn]!.turnId!, firstTurn: events.slice(0, secondTurn), secondTurn: events.slice(secondTurn) };
};

describe("a sent message whose command fails (commandStatus)", () => {
  test("claimed by a bridge session that goes stale: the component's sweep fails it, the message shows the error, a retry queues anew", async () => {
    const h = createHarness();
    const { threadId } = twoTurns();
    await h.backend.mutation(api.codex.ensureThread, { threadId });
    h.render(<Chat threadId={threadId} />);
    await h.settle();
    expect(h.client.watched(api.codex.commandStatus)).toEqual([]);

    await h.call(api.codex.sessionOpen, { sessionId: "short-lived", staleAfterMs: 1_000 });
    await h.act(() => screen.getByText("send").click());
    const [command] = await h.backend.query(api.codex.commandsPending, { threadId });
    // One watched query, for this send's command.
    expect(h.client.watched(api.codex.commandStatus)).toEqual([{ commandId: command!._id }]);
    await h.call(api.codex.commandClaim, { sessionId: "short-lived", commandId: command!._id });
    expect(rows()).toEqual(["user:second question (optimistic)"]);

    // The bridge goes silent: the component's own scheduled sweep retires the session.
    await h.elapse(1_600);
    const stored = await h.backend.query(api.codex.commandStatus, { commandId: command!._id });
    expect(stored).toMatchObject({ status: "failed" });
    expect(rows()).toEqual([`user:second question (optimistic) (failed: ${stored!.error})`]);
    expect(stored!.error).toMatch(/stopped sending heartbeats/);
    expect(screen.getByTestId("error").textContent).toBe(stored!.error);
    expect(screen.getByTestId("failed").textContent).toBe("failed:second question");
    // Nothing left to watch.
    expect(h.client.watched(api.codex.commandStatus)).toEqual([]);

    await h.act(() => screen.getByText("retry").click());
    const retried = await h.backend.query(api.codex.commandsPending, { threadId });
    expect(retried.map((c) => c.idempotencyKey)).not.toContain(command!.idempotencyKey);
    expect(await queuedTexts(h, threadId)).toEqual(["second question"]);
    expect(rows()).toEqual(["user:second question (optimistic)"]);
    expect(screen.getByTestId("error").textContent).toBe("");
    expect(screen.getByTestId("failed").textContent).toBe("");
    expect(h.client.watched(api.codex.commandStatus)).toEqual([{ commandId: retried[0]!._id }]);
  });

  test("refused by codex (commandComplete with an error): failed with that error; the retry runs and ends as exactly one durable message", async () => {
    const h = createHarness();
    const { threadId, firstTurn, secondTurn, secondTurnId } = twoTurns();
    await h.ingest(threadId, firstTurn);
    h.render(<Chat threadId={threadId} watchFrom="messages" />);
    await h.settle();

    await h.act(() => screen.getByText("send").click());
    const [refused] = await h.backend.query(api.codex.commandsPending, { threadId });
    await h.call(api.codex.commandClaim, { sessionId, commandId: refused!._id });
    await h.call(api.codex.commandComplete, { sessionId, commandId: refused!._id, error: "turn/start failed: thread not loaded" });
    expect(rows()).toEqual([
      "user:first question",
      "assistant:You said: first question",
      "user:second question (optimistic) (failed: turn/start failed: thread not loaded)",
    ]);
    expect(screen.getByTestId("error").textContent).toBe("turn/start failed: thread not loaded");

    await h.act(() => screen.getByText("retry").click());
    const [retried] = await h.backend.query(api.codex.commandsPending, { threadId });
    expect(retried!.idempotencyKey).not.toBe(refused!.idempotencyKey);
    expect(rows().slice(2)).toEqual(["user:second question (optimistic)"]);

    // This time the bridge runs it: codex starts the turn and reports the user message.
    await h.call(api.codex.commandClaim, { sessionId, commandId: retried!._id });
    await h.call(api.codex.commandComplete, { sessionId, commandId: retried!._id, turnId: secondTurnId });
    expect(h.client.watched(api.codex.commandStatus)).toEqual([]);
    await h.ingest(threadId, secondTurn);
    expect(rows()).toEqual([
      "user:first question",
      "assistant:You said: first question",
      "user:second question",
      "assistant:You said: second question",
    ]);
    expect(screen.getByTestId("error").textContent).toBe("");
  });

  test("a successful send is watched until done, then ends as one durable message", async () => {
    const h = createHarness();
    const { threadId, firstTurn, secondTurn, secondTurnId } = twoTurns();
    await h.ingest(threadId, firstTurn);
    h.render(<Chat threadId={threadId} />);
    await h.settle();
    await h.act(() => screen.getByText("send").click());
    const [command] = await h.backend.query(api.codex.commandsPending, { threadId });
    expect(h.client.watched(api.codex.commandStatus)).toHaveLength(1);
    await h.call(api.codex.commandClaim, { sessionId, commandId: command!._id });
    expect(h.client.watched(api.codex.commandStatus)).toHaveLength(1);
    await h.call(api.codex.commandComplete, { sessionId, commandId: command!._id, turnId: secondTurnId });
    expect(h.client.watched(api.codex.commandStatus)).toEqual([]);
    expect(rows().slice(2)).toEqual(["user:second question (optimistic)"]);
    await h.ingest(threadId, secondTurn);
    expect(rows().slice(2)).toEqual(["user:second question", "assistant:You said: second question"]);
  });

  test("dismiss drops a failed send without sending it again", async () => {
    const h = createHarness();
    const { threadId, firstTurn } = twoTurns();
    await h.ingest(threadId, firstTurn);
    h.render(<Chat threadId={threadId} />);
    await h.settle();
    await h.act(() => screen.getByText("send").click());
    const [command] = await h.backend.query(api.codex.commandsPending, { threadId });
    await h.call(api.codex.commandClaim, { sessionId, commandId: command!._id });
    await h.call(api.codex.commandComplete, { sessionId, commandId: command!._id, error: "refused" });
    expect(rows().slice(2)).toEqual(["user:second question (optimistic) (failed: refused)"]);
    await h.act(() => screen.getByText("dismiss").click());
    expect(rows()).toEqual(["user:first question", "assistant:You said: first question"]);
    expect(screen.getByTestId("error").textContent).toBe("");
    expect(await queuedTexts(h, threadId)).toEqual([]);
  });
});

/** A composer that only watches its sends' commands: no optimistic message anywhere. */
function Watcher({ threadId }: { threadId: string }) {
  const messages = useCodexMessages(api.codex.threadMessages, { threadId }, { initialNumItems: 20 });
  const composer = useCodexComposer(api.codex.registerTurnStart, { commandStatus: api.codex.commandStatus });
  return (
    <div>
      <p data-testid="count">{messages.results.length}</p>
      <p data-testid="failed">{composer.failed.map((f) => `${f.status}:${f.inputText}:${f.error}`).join("|")}</p>
      <p data-testid="error">{composer.error?.message ?? ""}</p>
      <button onClick={() => void composer.send({ threadId, inputText: "second question" })}>send</button>
      <button onClick={() => composer.failed[0] && composer.dismiss(composer.failed[0].idempotencyKey)}>dismiss</button>
    </div>
  );
}

describe("commandStatus without optimistic", () => {
  test("a refused send is listed in `failed`; a successful one is watched until done and then forgotten", async () => {
    const h = createHarness();
    const { threadId, firstTurn, secondTurnId } = twoTurns();
    await h.ingest(threadId, firstTurn);
    h.render(<Watcher threadId={threadId} />);
    await h.settle();

    await h.act(() => screen.getByText("send").click());
    const [refused] = await h.backend.query(api.codex.commandsPending, { threadId });
    expect(h.client.watched(api.codex.commandStatus)).toEqual([{ commandId: refused!._id }]);
    await h.call(api.codex.commandClaim, { sessionId, commandId: refused!._id });
    await h.call(api.codex.commandComplete, { sessionId, commandId: refused!._id, error: "turn/start failed" });
    expect(screen.getByTestId("failed").textContent).toBe("failed:second question:turn/start failed");
    expect(screen.getByTestId("error").textContent).toBe("turn/start failed");
    // Nothing shows in the message list for it: the app asked for no optimistic message.
    expect(screen.getByTestId("count").textContent).toBe("2");
    await h.act(() => screen.getByText("dismiss").click());
    expect(screen.getByTestId("failed").textContent).toBe("");

    await h.act(() => screen.getByText("send").click());
    const [ran] = await h.backend.query(api.codex.commandsPending, { threadId });
    await h.call(api.codex.commandClaim, { sessionId, commandId: ran!._id });
    await h.call(api.codex.commandComplete, { sessionId, commandId: ran!._id, turnId: secondTurnId });
    expect(h.client.watched(api.codex.commandStatus)).toEqual([]);
    expect(screen.getByTestId("failed").textContent).toBe("");
    expect(screen.getByTestId("count").textContent).toBe("2");
  });
});
