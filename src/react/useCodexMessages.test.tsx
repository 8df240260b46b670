import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "./testing/app/_generated/api.js";
import { actor, createHarness } from "./testing/harness.js";
import type { ThreadMessagesResult } from "./types.js";
import { useCodexMessages, useCodexStreamingMessages } from "./useCodexMessages.js";

let renders = 0;
function Messages({ threadId, initialNumItems = 10 }: { threadId: string; initialNumItems?: number }) {
  renders++;
  const { results, status, loadMore } = useCodexMessages(api.chat.threadMessages, { actor, threadId }, { initialNumItems, stream: true });
  return (
    <div>
      <p data-testid="status">{status}</p>
      <button onClick={() => loadMore(10)}>more</button>
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

  test("a stream whose durable row only appears at the end never shows twice", async () => {
    const h = await createHarness();
    h.render(<Messages threadId={h.threadId} />);
    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    await h.bridge("appendDelta", { streamId: "s1", text: "partial" });
    expect(texts()).toEqual(["assistant:partial"]);
    // The durable message lands while the stream is still listed as live.
    await h.bridge("putMessage", { turnId: "turn-1", itemId: "a1", role: "assistant", status: "completed", text: "partial and final" });
    expect(texts()).toEqual(["assistant:partial and final"]);
    await h.bridge("finishStream", { streamId: "s1", status: "finished" });
    expect(texts()).toEqual(["assistant:partial and final"]);
  });

  test("a stream with zero deltas renders once and settles (no render loop)", async () => {
    const h = await createHarness();
    renders = 0;
    h.render(<Messages threadId={h.threadId} />);
    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    expect(screen.getAllByTestId("message")).toHaveLength(1);
    expect(screen.getByTestId("message").dataset.streaming).toBe("true");
    const settledAt = renders;
    await act(async () => {
      await new Promise((r) => setTimeout(r, 50));
    });
    await h.settle();
    expect(renders).toBe(settledAt);
    expect(renders).toBeLessThan(15);
    // Exactly one deltas subscription, asking from cursor 0.
    const deltaSubs = h.client.watched(api.chat.threadMessages).filter((a) => (a.streamArgs as { kind?: string })?.kind === "deltas");
    expect(deltaSubs.map((a) => a.streamArgs)).toEqual([{ kind: "deltas", cursors: [{ streamId: "s1", cursor: 0 }] }]);
  });

  test("each delta reaches the client once: cursors advance, old deltas are not re-sent", async () => {
    const h = await createHarness();
    let deltasSent = 0;
    h.client.observeResults((name, _args, result) => {
      if (name === "chat:threadMessages") {
        const streams = (result as ThreadMessagesResult).streams;
        if (streams?.kind === "deltas") deltasSent += streams.deltas.length;
      }
    });
    h.render(<Messages threadId={h.threadId} />);
    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    const parts = ["a", "bb", "ccc", "dddd", "eeeee", "f", "g", "h"];
    for (const p of parts) await h.bridge("appendDelta", { streamId: "s1", text: p });
    expect(texts()).toEqual([`assistant:${parts.join("")}`]);
    expect(deltasSent).toBe(parts.length);
    const deltaSubs = h.client.watched(api.chat.threadMessages).filter((a) => (a.streamArgs as { kind?: string })?.kind === "deltas");
    expect(deltaSubs.map((a) => a.streamArgs)).toEqual([{ kind: "deltas", cursors: [{ streamId: "s1", cursor: parts.join("").length }] }]);
  });

  test("pages load newest first and show oldest first; loadMore adds older ones above", async () => {
    const h = await createHarness();
    for (let i = 0; i < 5; i++) {
      await h.bridge("putMessage", { turnId: "turn-1", itemId: `m${i}`, role: i % 2 ? "assistant" : "user", status: "completed", text: `#${i}` });
    }
    h.render(<Messages threadId={h.threadId} initialNumItems={3} />);
    await h.settle();
    expect(texts()).toEqual(["user:#2", "assistant:#3", "user:#4"]);
    expect(screen.getByTestId("status").textContent).toBe("CanLoadMore");
    await act(async () => screen.getByText("more").click());
    await h.settle();
    expect(texts()).toEqual(["user:#0", "assistant:#1", "user:#2", "assistant:#3", "user:#4"]);
    expect(screen.getByTestId("status").textContent).toBe("Exhausted");
  });
});

function Streaming({ threadId }: { threadId: string }) {
  const streams = useCodexStreamingMessages(api.chat.threadMessages, { actor, threadId });
  return (
    <ul>
      {streams.map((s) => (
        <li key={s.streamId} data-testid="stream">
          {s.status}:{s.text}
        </li>
      ))}
    </ul>
  );
}

describe("useCodexStreamingMessages", () => {
  test("lists live agent streams with their text, not other channels", async () => {
    const h = await createHarness();
    h.render(<Streaming threadId={h.threadId} />);
    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    await h.bridge("startStream", { turnId: "turn-1", itemId: "r1", streamId: "r1", channel: "reasoningSummary" });
    await h.bridge("appendDelta", { streamId: "s1", text: "Hi" });
    await h.bridge("appendDelta", { streamId: "r1", text: "thinking" });
    expect(screen.getAllByTestId("stream").map((li) => li.textContent)).toEqual(["streaming:Hi"]);
    // Its last delta and its end land together: the tail is still read.
    await h.bridge("appendDelta", { streamId: "s1", text: " there" });
    expect(screen.getAllByTestId("stream").map((li) => li.textContent)).toEqual(["streaming:Hi there"]);
  });

  test("a stream whose last delta and end land in one update shows its full text, finished", async () => {
    const h = await createHarness();
    h.render(<Streaming threadId={h.threadId} />);
    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    await h.bridge("appendDelta", { streamId: "s1", text: "Hi" });
    await act(async () => {
      await h.client.inOneUpdate(async () => {
        await h.client.mutation(api.bridge.appendDelta, { actor, threadId: h.threadId, streamId: "s1", text: " there" });
        await h.client.mutation(api.bridge.finishStream, { actor, threadId: h.threadId, streamId: "s1", status: "finished" });
      });
    });
    await h.settle();
    expect(screen.getAllByTestId("stream").map((li) => li.textContent)).toEqual(["finished:Hi there"]);
  });
});
