import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "./testing/app/_generated/api.js";
import { actor, createHarness } from "./testing/harness.js";
import { useCodexThreadState } from "./useCodexThreadState.js";
import { useCodexTurn } from "./useCodexTurn.js";

function Turn({ threadId, turnId }: { threadId: string; turnId: string }) {
  const thread = useCodexThreadState(api.chat.threadState, { actor, threadId });
  const turn = useCodexTurn(api.chat.turnMessages, { actor, threadId, turnId }, { streamsQuery: api.chat.threadMessages });
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

describe("useCodexTurn / useCodexThreadState", () => {
  test("a turn's messages with its own streams only, and the thread's turn state", async () => {
    const h = await createHarness();
    h.render(<Turn threadId={h.threadId} turnId="turn-2" />);
    await h.settle();
    expect(screen.getByTestId("thread").textContent).toBe("active=none last=none");
    expect(screen.getByTestId("turn").textContent).toBe("idle");

    await h.bridge("startTurn", { turnId: "turn-1" });
    await h.bridge("putMessage", { turnId: "turn-1", itemId: "u1", role: "user", status: "completed", text: "one" });
    await h.bridge("endTurn", { turnId: "turn-1", status: "completed" });
    await h.bridge("startTurn", { turnId: "turn-2" });
    expect(screen.getByTestId("thread").textContent).toBe("active=turn-2 last=inProgress");
    await h.bridge("putMessage", { turnId: "turn-2", itemId: "u2", role: "user", status: "completed", text: "two" });
    await h.bridge("startStream", { turnId: "turn-2", itemId: "a2", streamId: "s2", channel: "agentMessage" });
    await h.bridge("appendDelta", { streamId: "s2", text: "answer" });
    expect(messages()).toEqual(["user:two", "assistant:answer"]);
    expect(screen.getByTestId("turn").textContent).toBe("streaming");

    await h.bridge("putMessage", { turnId: "turn-2", itemId: "a2", role: "assistant", status: "completed", text: "answer." });
    await h.bridge("finishStream", { streamId: "s2", status: "finished" });
    await h.bridge("endTurn", { turnId: "turn-2", status: "interrupted" });
    expect(messages()).toEqual(["user:two", "assistant:answer."]);
    expect(screen.getByTestId("turn").textContent).toBe("idle");
    expect(screen.getByTestId("thread").textContent).toBe("active=none last=interrupted");
  });
});
