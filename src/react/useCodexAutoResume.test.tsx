import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "./testing/app/_generated/api.js";
import { actor, createHarness } from "./testing/harness.js";
import type { StreamCursor } from "./types.js";
import { useCodexAutoResume, type CodexAutoResumeOptions } from "./useCodexAutoResume.js";

function Streams({ threadId, options }: { threadId: string; options?: CodexAutoResumeOptions }) {
  const { streams, resyncs, isLoaded } = useCodexAutoResume(api.chat.streamSync, { actor, threadId }, options);
  return (
    <div>
      <p data-testid="meta">{`${isLoaded ? "loaded" : "loading"} resyncs=${resyncs}`}</p>
      <ul>
        {streams.map((s) => (
          <li key={s.streamId} data-testid="stream">{`${s.channel}@${s.from}:${s.text}`}</li>
        ))}
      </ul>
    </div>
  );
}

const shown = () => screen.queryAllByTestId("stream").map((li) => li.textContent);
const meta = () => screen.getByTestId("meta").textContent;

describe("useCodexAutoResume", () => {
  test("follows every channel's stream through the streamSync wrapper", async () => {
    const h = await createHarness();
    h.render(<Streams threadId={h.threadId} />);
    await h.settle();
    expect(meta()).toBe("loaded resyncs=0");
    await h.bridge("startStream", { turnId: "turn-1", itemId: "c1", streamId: "o1", channel: "commandOutput" });
    await h.bridge("appendDelta", { streamId: "o1", text: "$ ls\n" });
    await h.bridge("appendDelta", { streamId: "o1", text: "a.ts\n" });
    expect(shown()).toEqual(["commandOutput@0:$ ls\na.ts\n"]);
  });

  test("rebased: a client behind the retained window restarts at the server's window", async () => {
    const h = await createHarness();
    await h.bridge("startStream", { turnId: "turn-1", itemId: "c1", streamId: "o1", channel: "commandOutput" });
    await h.bridge("appendDelta", { streamId: "o1", text: "0123456789" });
    await h.bridge("appendDelta", { streamId: "o1", text: "abc" });
    // Cleanup drops the first delta before this client ever reads the stream.
    await h.bridge("trimStream", { streamId: "o1", retainedFrom: 10 });
    h.render(<Streams threadId={h.threadId} />);
    await h.settle();
    expect(shown()).toEqual(["commandOutput@10:abc"]);
    expect(meta()).toBe("loaded resyncs=1");
    await h.bridge("appendDelta", { streamId: "o1", text: "def" });
    expect(shown()).toEqual(["commandOutput@10:abcdef"]);
    expect(meta()).toBe("loaded resyncs=1");
  });

  test("stale: a stream that is gone is dropped and not asked for again", async () => {
    const h = await createHarness();
    h.render(<Streams threadId={h.threadId} />);
    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    await h.bridge("appendDelta", { streamId: "s1", text: "Hi" });
    expect(shown()).toEqual(["agentMessage@0:Hi"]);
    await h.bridge("deleteStream", { streamId: "s1" });
    expect(shown()).toEqual([]);
    expect(meta()).toBe("loaded resyncs=1");
    const asked = h.client.watched(api.chat.streamSync).map((a) => a.streamCursorsById);
    expect(asked).toEqual([[]]);
  });

  test("starts from saved checkpoints and reports the server's next ones", async () => {
    const h = await createHarness();
    await h.bridge("startStream", { turnId: "turn-1", itemId: "c1", streamId: "o1", channel: "commandOutput" });
    await h.bridge("appendDelta", { streamId: "o1", text: "old " });
    await h.bridge("appendDelta", { streamId: "o1", text: "new" });
    const seen: StreamCursor[][] = [];
    const options = { initialCursors: [{ streamId: "o1", cursor: 4 }], onCheckpoint: (c: StreamCursor[]) => seen.push(c) };
    h.render(<Streams threadId={h.threadId} options={options} />);
    await h.settle();
    expect(shown()).toEqual(["commandOutput@4:new"]);
    expect(seen.at(-1)).toEqual([{ streamId: "o1", cursor: 7 }]);
  });

  test("channels narrows what is followed", async () => {
    const h = await createHarness();
    h.render(<Streams threadId={h.threadId} options={{ channels: ["reasoningSummary"] }} />);
    await h.bridge("startStream", { turnId: "turn-1", itemId: "a1", streamId: "s1", channel: "agentMessage" });
    await h.bridge("startStream", { turnId: "turn-1", itemId: "r1", streamId: "r1", channel: "reasoningSummary" });
    await h.bridge("appendDelta", { streamId: "r1", text: "hmm" });
    await h.bridge("appendDelta", { streamId: "s1", text: "text" });
    expect(shown()).toEqual(["reasoningSummary@0:hmm"]);
  });
});
