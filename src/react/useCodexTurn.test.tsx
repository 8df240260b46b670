import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { codexTranscript, indexOf, isDelta, isLifecycle } from "../protocol/testing/events.js";
import { createHarness } from "./testing/harness.js";
import { useCodexThreadState } from "./useCodexThreadState.js";
import { useCodexTurn } from "./useCodexTurn.js";

function Turn({ threadId, turnId }: { threadId: string; turnId: string }) {
  const thread = useCodexThreadState(api.codex.threadState, { threadId });
  const turn = useCodexTurn(api.codex.turnMessages, { threadId, turnId }, { streamsQuery: api.codex.threadMessages });
  return (
    <div>
      <p data-testid="thread">{thread.isLoading ? "loading" : `active=${thread.activeTurn?.turnId ?? "none"} last=${thread.lastTurn?.status ?? "none"}`}</p>
      <p data-testid="turn">{turn.status}</p>
      <ul>
        {turn.messages.map((m) => (
          <li key={m.key} data-testid="message">{`${m.role}:${m.text}`}</li>
        ))}
      </ul>
    </div>
  );
}

const messages = () => screen.queryAllByTestId("message").map((li) => li.textContent);
const thread = () => screen.getByTestId("thread").textContent;
const turn = () => screen.getByTestId("turn").textContent;

describe("useCodexTurn / useCodexThreadState (real component, recorded two-turn conversation)", () => {
  test("a turn's messages with its own streams only, and the thread's turn state", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("two-turns");
    const turnStarted = (n: number) => indexOf(events, isLifecycle("turn/started"), n);
    const second = events[turnStarted(2)]!.turnId!;
    h.render(<Turn threadId={threadId} turnId={second} />);
    await h.settle();
    expect(thread()).toBe("active=none last=none");
    expect(turn()).toBe("idle");

    // The first turn, start to end: none of it is the second turn's.
    await h.ingestEach(threadId, events.slice(0, turnStarted(2)));
    expect(thread()).toBe(`active=none last=completed`);
    expect(messages()).toEqual([]);

    const firstReply = indexOf(events, isDelta("agentMessage"), 5);
    await h.ingest(threadId, [events[turnStarted(2)]!]);
    expect(thread()).toBe(`active=${second} last=inProgress`);
    await h.ingestEach(threadId, events.slice(turnStarted(2) + 1, firstReply + 1));
    expect(messages()).toEqual(["user:second question", "assistant:You sai"]);
    expect(turn()).toBe("streaming");

    await h.ingestEach(threadId, events.slice(firstReply + 1));
    expect(messages()).toEqual(["user:second question", "assistant:You said: second question"]);
    expect(turn()).toBe("idle");
    expect(thread()).toBe("active=none last=completed");
  });

  test("an interrupted turn keeps its partial reply and the thread shows it interrupted", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("interrupt");
    const turnId = events[indexOf(events, isLifecycle("turn/started"))]!.turnId!;
    h.render(<Turn threadId={threadId} turnId={turnId} />);
    const thirdDelta = indexOf(events, isDelta("agentMessage"), 3);
    await h.ingestEach(threadId, events.slice(0, thirdDelta + 1));
    expect(turn()).toBe("streaming");
    expect(thread()).toBe(`active=${turnId} last=inProgress`);
    await h.ingestEach(threadId, events.slice(thirdDelta + 1));
    expect(messages()).toEqual(["user:[slow]", "assistant:still going… still going… still going… "]);
    expect(turn()).toBe("idle");
    expect(thread()).toBe("active=none last=interrupted");
  });
});
