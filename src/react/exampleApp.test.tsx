/**
 * The whole chat on the REAL component through the example app's wrappers
 * (apps/example/convex/codex.ts): a recorded codex turn streamed in event by event, a stream
 * longer than one capped replay call, and a thread that does not exist yet. The actor comes
 * from the signed-in identity, so the hooks' args are just `{ threadId }`. (Each hook's own
 * tests, on the same app, are in `use*.test.tsx`.)
 */
import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import type { InboundEvent } from "../contract/events.js";
import { codexTranscript, streamedText } from "../protocol/testing/events.js";
import { createHarness } from "./testing/harness.js";
import { useCodexConversation, type CodexConversation } from "./useCodexConversation.js";
import { useCodexMessages } from "./useCodexMessages.js";
import { useCodexThreadState } from "./useCodexThreadState.js";

let conversation: CodexConversation;
function Chat({ threadId }: { threadId: string }) {
  const messages = useCodexMessages(api.codex.threadMessages, { threadId }, { initialNumItems: 20, stream: true });
  conversation = useCodexConversation(
    {
      threadState: api.codex.threadState,
      threadItems: api.codex.threadItems,
      threadMessages: api.codex.threadMessages,
      registerTurnStart: api.codex.registerTurnStart,
      interruptActiveTurn: api.codex.interruptActiveTurn,
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
    const h = createHarness();
    const { threadId, events } = codexTranscript("streamed-text");
    h.render(<Chat threadId={threadId} />);
    await h.settle();
    const firstDelta = events.findIndex((e) => e.type === "stream_delta");
    const lastDelta = events.findLastIndex((e) => e.type === "stream_delta");
    let sawStreaming = false;
    for (const [i, event] of events.entries()) {
      await h.ingest(threadId, [event]);
      if (i > firstDelta && i < lastDelta) {
        const last = screen.queryAllByTestId("message").at(-1);
        if (last?.dataset.streaming === "true") sawStreaming = true;
        expect(conversation.state.taskRunning).toBe(true);
      }
    }
    expect(sawStreaming).toBe(true);
    const [finalText] = streamedText(events).values();
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
    const h = createHarness();
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
    await h.ingest(threadId, events);
    h.render(<Chat threadId={threadId} />);
    for (let i = 0; i < 6; i++) await h.settle();
    expect(messages()).toEqual([`assistant:${parts.join("")}`]);
  });

  test("thread state of a thread that does not exist yet reads as null, then follows it", async () => {
    const h = createHarness();
    function State() {
      const s = useCodexThreadState(api.codex.threadState, { threadId: "t-new" });
      return <p data-testid="state">{s.isLoading ? "loading" : s.state === null ? "no thread" : `active=${s.activeTurn?.turnId ?? "none"}`}</p>;
    }
    h.render(<State />);
    await h.settle();
    expect(screen.getByTestId("state").textContent).toBe("no thread");
    await h.call(api.codex.ensureThread, { threadId: "t-new" });
    expect(screen.getByTestId("state").textContent).toBe("active=none");
  });
});
