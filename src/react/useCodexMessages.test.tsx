import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { codexTranscript, indexOf, isDelta, isLifecycle, streamedText, userText } from "../protocol/testing/events.js";
import { createHarness, sessionId } from "./testing/harness.js";
import type { ThreadMessagesResult } from "./types.js";
import { useCodexMessages, useCodexStreamingMessages } from "./useCodexMessages.js";

let renders = 0;
function Messages({ threadId, initialNumItems = 10 }: { threadId: string; initialNumItems?: number }) {
  renders++;
  const { results, status, loadMore } = useCodexMessages(api.codex.threadMessages, { threadId }, { initialNumItems, stream: true });
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
const deltaSubscriptions = (h: ReturnType<typeof createHarness>) =>
  h.client
    .watched(api.codex.threadMessages)
    .map((a) => a.streamArgs as { kind?: string } | undefined)
    .filter((a) => a?.kind === "deltas");

// "Grüße 🌍 — stream this back to me, please" echoed back in four deltas (multi-byte text).
const streamed = () => {
  const { threadId, events } = codexTranscript("streamed-text");
  const reply = [...streamedText(events).values()][0]!;
  const deltas = events.flatMap((e) => (e.type === "stream_delta" ? [e.delta] : []));
  return { threadId, events, reply, deltas, user: `user:${userText(events)}` };
};

describe("useCodexMessages (real component, recorded codex turns)", () => {
  test("a streamed reply and its durable message end as one message with the full text", async () => {
    const h = createHarness();
    const { threadId, events, reply, deltas, user } = streamed();
    h.render(<Messages threadId={threadId} />);
    await h.settle();
    expect(screen.getByTestId("status").textContent).toBe("Exhausted");

    const first = indexOf(events, isDelta("agentMessage"));
    await h.ingestEach(threadId, events.slice(0, first + 1));
    expect(texts()).toEqual([user, `assistant:${deltas[0]}`]);
    await h.ingest(threadId, [events[first + 1]!]);
    expect(texts()).toEqual([user, `assistant:${deltas[0]}${deltas[1]}`]);
    expect(screen.getAllByTestId("message")[1]!.dataset.streaming).toBe("true");

    await h.ingestEach(threadId, events.slice(first + 2));
    expect(texts()).toEqual([user, `assistant:${reply}`]);
    const last = screen.getAllByTestId("message")[1]!;
    expect(last.dataset.status).toBe("completed");
    expect(last.dataset.streaming).toBe("false");
  });

  test("the last delta and the completed item in one batch: the reply still shows once, in full", async () => {
    const h = createHarness();
    const { threadId, events, reply, user } = streamed();
    h.render(<Messages threadId={threadId} />);
    const lastDelta = indexOf(events, isDelta("agentMessage"), 4);
    const completed = indexOf(events, isLifecycle("item/completed", "agentMessage"));
    expect(completed).toBe(lastDelta + 1);
    await h.ingestEach(threadId, events.slice(0, lastDelta));
    await h.ingest(threadId, events.slice(lastDelta, completed + 1));
    expect(texts()).toEqual([user, `assistant:${reply}`]);
    await h.ingest(threadId, events.slice(completed + 1));
    expect(texts()).toEqual([user, `assistant:${reply}`]);
  });

  test("a live stream that goes quiet renders and settles (no render loop)", async () => {
    const h = createHarness();
    const { threadId, events, deltas } = streamed();
    renders = 0;
    h.render(<Messages threadId={threadId} />);
    await h.ingestEach(threadId, events.slice(0, indexOf(events, isDelta("agentMessage")) + 1));
    expect(screen.getAllByTestId("message")[1]!.dataset.streaming).toBe("true");
    const settledAt = renders;
    await act(async () => {
      await new Promise((r) => setTimeout(r, 50));
    });
    await h.settle();
    expect(renders).toBe(settledAt);
    expect(renders).toBeLessThan(40);
    // Exactly one deltas subscription, asking from the end of what arrived.
    const [streamId] = streamedText(events).keys();
    expect(deltaSubscriptions(h)).toEqual([{ kind: "deltas", cursors: [{ streamId, cursor: deltas[0]!.length }] }]);
  });

  test("each delta reaches the client once: cursors advance, old deltas are not re-sent", async () => {
    const h = createHarness();
    const { threadId, events, reply } = streamed();
    let deltasSent = 0;
    h.client.observeResults((name, _args, result) => {
      if (name === "codex:threadMessages") {
        const streams = (result as ThreadMessagesResult).streams;
        if (streams?.kind === "deltas") deltasSent += streams.deltas.length;
      }
    });
    h.render(<Messages threadId={threadId} />);
    const lastDelta = indexOf(events, isDelta("agentMessage"), 4);
    await h.ingestEach(threadId, events.slice(0, lastDelta + 1));
    expect(texts().at(-1)).toBe(`assistant:${reply}`);
    expect(deltasSent).toBe(4);
    const [streamId] = streamedText(events).keys();
    expect(deltaSubscriptions(h)).toEqual([{ kind: "deltas", cursors: [{ streamId, cursor: reply.length }] }]);
  });

  test("pages load newest first and show oldest first; loadMore adds older ones above", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("two-turns");
    await h.ingest(threadId, events);
    h.render(<Messages threadId={threadId} initialNumItems={3} />);
    await h.settle();
    expect(texts()).toEqual(["assistant:You said: first question", "user:second question", "assistant:You said: second question"]);
    expect(screen.getByTestId("status").textContent).toBe("CanLoadMore");
    await act(async () => screen.getByText("more").click());
    await h.settle();
    expect(texts()).toEqual([
      "user:first question",
      "assistant:You said: first question",
      "user:second question",
      "assistant:You said: second question",
    ]);
    expect(screen.getByTestId("status").textContent).toBe("Exhausted");
  });

  test("an old interrupted reply stays in its place: not below the newest answer while its page is not loaded", async () => {
    const h = createHarness();
    // A reply cut off by an interrupt (its stream ends aborted and stays listed for a while),
    // then two more turns in the same thread: the first page holds only the newest three.
    const interrupted = codexTranscript("interrupt");
    const later = codexTranscript("two-turns");
    const threadId = interrupted.threadId;
    await h.ingest(threadId, interrupted.events);
    await h.ingest(threadId, later.events);
    h.render(<Messages threadId={threadId} initialNumItems={3} />);
    await h.settle();
    expect(texts()).toEqual(["assistant:You said: first question", "user:second question", "assistant:You said: second question"]);
    await act(async () => screen.getByText("more").click());
    await h.settle();
    const all = texts();
    expect(all.slice(-4)).toEqual([
      "user:first question",
      "assistant:You said: first question",
      "user:second question",
      "assistant:You said: second question",
    ]);
    // The interrupted reply is where it happened: right after its own question, first.
    expect(all[0]).toBe(`user:${userText(interrupted.events)}`);
    expect(screen.getAllByTestId("message")[1]!.dataset.status).toBe("interrupted");
  });
});

function Streaming({ threadId }: { threadId: string }) {
  const streams = useCodexStreamingMessages(api.codex.threadMessages, { threadId });
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
const streams = () => screen.getAllByTestId("stream").map((li) => li.textContent);

describe("useCodexStreamingMessages (real component)", () => {
  // Reasoning (summary and raw) streams first, then the reply "Short a|nswer, |please.".
  test("lists the live reply stream with its text, not the reasoning streams", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("reasoning");
    h.render(<Streaming threadId={threadId} />);
    const firstReply = indexOf(events, isDelta("agentMessage"));
    await h.ingestEach(threadId, events.slice(0, firstReply + 1));
    expect(streams()).toEqual(["streaming:Short a"]);
    await h.ingest(threadId, [events[firstReply + 1]!]);
    expect(streams()).toEqual(["streaming:Short answer, "]);
  });

  test("a stream whose last delta and end land in one update shows its full text, finished", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("reasoning");
    h.render(<Streaming threadId={threadId} />);
    const lastReply = indexOf(events, isDelta("agentMessage"), 3);
    await h.ingestEach(threadId, events.slice(0, lastReply));
    expect(streams()).toEqual(["streaming:Short answer, "]);
    // Two bridge batches (the last delta, then the completed item) reach the client in one push.
    await act(async () => {
      await h.client.inOneUpdate(async () => {
        for (const event of events.slice(lastReply, lastReply + 2)) {
          await h.backend.mutation(api.codex.ingestBatch, { sessionId, threadId, events: [event] });
        }
      });
    });
    await h.settle();
    expect(streams()).toEqual(["finished:Short answer, please."]);
  });
});
