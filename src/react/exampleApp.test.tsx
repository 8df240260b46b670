/**
 * The hooks against the REAL component, through the example app's host wrappers
 * (apps/example/convex/chat.ts), fed with recorded `codex app-server` transcripts. The
 * actor comes from the signed-in identity, so the hooks' args are just `{ threadId }`.
 */
import { act, cleanup, render, screen } from "@testing-library/react";
import { ConvexProvider } from "convex/react";
import { convexTest } from "convex-test";
import { StrictMode, type ReactNode } from "react";
import { afterEach, describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import approvalJsonl from "../component/testdata/approval.jsonl?raw";
import textJsonl from "../component/testdata/text.jsonl?raw";
import { normalizeLines, parseJsonl, threadIdOf } from "../component/testdata/minimalNormalizer.testonly.js";
import type { InboundEvent } from "../component/validators.js";
import { register } from "../test.js";
import { createConvexTestClient } from "./testing/convexTestClient.js";
import { useCodexApprovals } from "./useCodexApprovals.js";
import { useCodexComposer } from "./useCodexComposer.js";
import { useCodexConversation, type CodexConversation } from "./useCodexConversation.js";
import { useCodexMessages } from "./useCodexMessages.js";
import { useCodexThreadState } from "./useCodexThreadState.js";

const modules = import.meta.glob("../../apps/example/convex/**/*.ts");
afterEach(cleanup);

function setup() {
  const t = convexTest(undefined, modules);
  register(t);
  const alice = t.withIdentity({ subject: "alice" });
  const client = createConvexTestClient(alice, { batch: (notify) => act(notify) });
  const settle = () => act(async () => client.settled());
  const ingest = async (threadId: string, event: InboundEvent) => {
    await act(async () => {
      await client.mutation(api.chat.ingestEvent, { sessionId: "s1", threadId, event });
      await client.settled();
    });
    await settle();
  };
  const show = (ui: ReactNode) =>
    render(
      <StrictMode>
        <ConvexProvider client={client.asReactClient()}>{ui}</ConvexProvider>
      </StrictMode>,
    );
  return { t, alice, client, settle, ingest, show };
}

const recorded = (jsonl: string) => {
  const lines = parseJsonl(jsonl);
  const threadId = threadIdOf(lines);
  return { threadId, events: normalizeLines(lines, threadId) };
};

let conversation: CodexConversation;
function Chat({ threadId }: { threadId: string }) {
  const messages = useCodexMessages(api.chat.threadMessages, { threadId }, { initialNumItems: 20, stream: true });
  conversation = useCodexConversation(
    {
      threadState: api.chat.threadState,
      threadItems: api.chat.threadItems,
      threadMessages: api.chat.threadMessages,
      registerTurnStart: api.chat.registerTurnStart,
      interruptActiveTurn: api.chat.interruptActiveTurn,
    },
    { threadId },
  );
  return (
    <ul>
      {messages.results.map((m) => (
        <li key={m.key} data-testid="message" data-streaming={String(m.streaming)}>{`${m.role}:${m.text}`}</li>
      ))}
    </ul>
  );
}
const messages = () => screen.queryAllByTestId("message").map((li) => li.textContent);

describe("hooks on the real component (example app wrappers, recorded codex transcripts)", () => {
  test("a recorded text turn streams into one message per item, and the conversation view follows", async () => {
    const { ingest, show, settle } = setup();
    const { threadId, events } = recorded(textJsonl);
    show(<Chat threadId={threadId} />);
    await settle();
    const firstDelta = events.findIndex((e) => e.type === "stream_delta");
    const lastDelta = events.findLastIndex((e) => e.type === "stream_delta");
    let sawStreaming = false;
    for (const [i, event] of events.entries()) {
      await ingest(threadId, event);
      if (i > firstDelta && i < lastDelta) {
        const last = screen.queryAllByTestId("message").at(-1);
        if (last?.dataset.streaming === "true") sawStreaming = true;
        expect(conversation.state.taskRunning).toBe(true);
      }
    }
    expect(sawStreaming).toBe(true);
    const finalText = events
      .filter((e): e is Extract<InboundEvent, { type: "stream_delta" }> => e.type === "stream_delta")
      .map((e) => e.delta)
      .join("");
    const shown = messages();
    expect(shown.filter((m) => m!.startsWith("assistant:"))).toEqual([`assistant:${finalText}`]);
    expect(shown.filter((m) => m!.startsWith("user:"))).toHaveLength(1);
    const cells = conversation.state.transcript.map((c) => c.kind);
    expect(cells).toEqual(["user", "agent"]);
    expect(conversation.state.transcript[1]).toMatchObject({ kind: "agent", done: true });
    expect((conversation.state.transcript[1] as { lines: string[] }).lines.join("\n")).toBe(finalText);
    expect(conversation.state.taskRunning).toBe(false);
    expect(conversation.state.streamBuffer).toBe("");
  });

  test("a stream longer than one replay call (capped rows) is read to its end", async () => {
    const { show, settle, client } = setup();
    const threadId = "t-long";
    const turnId = "T1";
    const parts = Array.from({ length: 450 }, (_, i) => `${i % 10}`);
    const events: InboundEvent[] = [
      { type: "lifecycle_event", eventId: "ts", turnId, kind: "turn/started", createdAt: 1,
        payloadJson: JSON.stringify({ threadId, turn: { id: turnId, status: "inProgress", items: [], error: null, startedAt: 1, durationMs: null } }) },
      { type: "lifecycle_event", eventId: "is", turnId, itemId: "a1", kind: "item/started", createdAt: 2,
        payloadJson: JSON.stringify({ threadId, turnId, item: { type: "agentMessage", id: "a1", text: "", phase: null, startedAtMs: 2 } }) },
      ...parts.map((delta, i) => ({
        type: "stream_delta" as const, eventId: `${turnId}:a1@${i}`, turnId, itemId: "a1", streamId: `${turnId}:a1`,
        channel: "agentMessage" as const, delta, cursorStart: i, cursorEnd: i + 1, createdAt: 3 + i,
      })),
    ];
    await act(async () => {
      await client.mutation(api.chat.ingestBatch, { sessionId: "s1", threadId, events });
      await client.settled();
    });
    show(<Chat threadId={threadId} />);
    for (let i = 0; i < 6; i++) await settle();
    expect(messages()).toEqual([`assistant:${parts.join("")}`]);
  });

  test("thread state of a thread that does not exist yet reads as null, then follows it", async () => {
    const { show, settle, client } = setup();
    function State() {
      const s = useCodexThreadState(api.chat.threadState, { threadId: "t-new" });
      return <p data-testid="state">{s.isLoading ? "loading" : s.state === null ? "no thread" : `active=${s.activeTurn?.turnId ?? "none"}`}</p>;
    }
    show(<State />);
    await settle();
    expect(screen.getByTestId("state").textContent).toBe("no thread");
    await act(async () => {
      await client.mutation(api.chat.ensureThread, { threadId: "t-new" });
      await client.settled();
    });
    expect(screen.getByTestId("state").textContent).toBe("active=none");
  });

  test("a recorded approval appears, is answered through the real wrapper, and disappears", async () => {
    const { ingest, show, settle, alice } = setup();
    const { threadId, events } = recorded(approvalJsonl);
    function Approvals() {
      const { approvals, respond } = useCodexApprovals(api.chat.pendingApprovals, { threadId }, api.chat.approvalRespond);
      return (
        <ul>
          {approvals.map((a) => (
            <li key={a._id} data-testid="approval">
              {a.kind}
              <button onClick={() => void respond(a, "accepted")}>approve</button>
            </li>
          ))}
        </ul>
      );
    }
    show(<Approvals />);
    await settle();
    const request = events.findIndex((e) => e.type === "server_request");
    for (const event of events.slice(0, request + 1)) await ingest(threadId, event);
    expect(screen.getAllByTestId("approval").map((li) => li.firstChild?.textContent)).toEqual(["commandExecution"]);
    await act(async () => {
      screen.getByText("approve").click();
      await settle();
    });
    await settle();
    expect(screen.queryAllByTestId("approval")).toEqual([]);
    // The answer is queued for the bridge as a command.
    const pending = await alice.query(api.chat.commandsPending, { threadId });
    expect(pending.map((c) => c.kind)).toContain("respondServerRequest");
  });

  test("an optimistic send through the real registerTurnStart stays until codex reports the user message", async () => {
    const { ingest, show, settle, client, alice } = setup();
    const { threadId, events } = recorded(textJsonl);
    await alice.mutation(api.chat.ensureThread, { threadId });
    const userText = (() => {
      const started = events.find((e) => e.type === "lifecycle_event" && e.kind === "item/completed" && e.payloadJson.includes('"userMessage"'));
      const item = JSON.parse((started as { payloadJson: string }).payloadJson).item as { content: Array<{ text: string }> };
      return item.content[0]!.text;
    })();
    function Send() {
      const composer = useCodexComposer(api.chat.registerTurnStart, { optimistic: api.chat.threadMessages });
      return <button onClick={() => void composer.send({ threadId, inputText: userText })}>send</button>;
    }
    show(
      <>
        <Chat threadId={threadId} />
        <Send />
      </>,
    );
    await settle();
    await act(async () => {
      screen.getByText("send").click();
      await client.settled();
    });
    await settle();
    expect(messages()).toEqual([`user:${userText}`]);
    expect((await alice.query(api.chat.commandsPending, { threadId })).map((c) => c.kind)).toEqual(["startTurn"]);
    for (const event of events) await ingest(threadId, event);
    expect(messages().filter((m) => m!.startsWith("user:"))).toEqual([`user:${userText}`]);
    expect(messages()).toHaveLength(2);
  });
});
