import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "./testing/app/_generated/api.js";
import { actor, createHarness } from "./testing/harness.js";
import { useCodexMessages } from "./useCodexMessages.js";

function Messages({ threadId }: { threadId: string }) {
  const { results, status } = useCodexMessages(api.chat.threadMessages, { actor, threadId }, { initialNumItems: 10, stream: true });
  return (
    <div>
      <p data-testid="status">{status}</p>
      <ul>
        {results.map((m) => (
          <li key={m.key} data-testid="message" data-status={m.status} data-streaming={String(m.streaming)}>
            {m.role}:{m.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

const texts = () => screen.queryAllByTestId("message").map((li) => li.textContent);

describe("useCodexMessages", () => {
  test("a streamed agent message and its durable row end as one message with the full text", async () => {
    const h = await createHarness();
    h.render(<Messages threadId={h.threadId} />);
    await h.settle();
    expect(screen.getByTestId("status").textContent).toBe("Exhausted");

    await h.bridge("putMessage", { turnId: "turn-1", itemId: "u1", role: "user", status: "completed", text: "hi" });
    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    await h.bridge("putMessage", { turnId: "turn-1", itemId: "a1", role: "assistant", status: "streaming", text: "", streamId: "s1" });
    await h.bridge("appendDelta", { streamId: "s1", text: "Hello" });
    expect(texts()).toEqual(["user:hi", "assistant:Hello"]);
    await h.bridge("appendDelta", { streamId: "s1", text: ", world" });
    expect(texts()).toEqual(["user:hi", "assistant:Hello, world"]);
    expect(screen.getAllByTestId("message")[1]!.dataset.streaming).toBe("true");

    await h.bridge("finishStream", { streamId: "s1", status: "finished" });
    await h.bridge("putMessage", { turnId: "turn-1", itemId: "a1", role: "assistant", status: "completed", text: "Hello, world!" });
    expect(texts()).toEqual(["user:hi", "assistant:Hello, world!"]);
    const last = screen.getAllByTestId("message")[1]!;
    expect(last.dataset.status).toBe("completed");
    expect(last.dataset.streaming).toBe("false");
  });
});
