import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { codexTranscript, indexOf, isDelta, streamedText } from "../protocol/testing/events.js";
import { createHarness } from "./testing/harness.js";
import type { StreamCursor } from "./types.js";
import { useCodexAutoResume, type CodexAutoResumeOptions } from "./useCodexAutoResume.js";

function Streams({ threadId, options }: { threadId: string; options?: CodexAutoResumeOptions }) {
  const { streams, resyncs, isLoaded } = useCodexAutoResume(api.codex.streamSync, { threadId }, options);
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

// A command whose output codex streamed in three deltas ("line-1\n", "line-2\n", "line-3\n"),
// then a two-delta reply.
const output = () => {
  const { threadId, events } = codexTranscript("command-streamed-output");
  const outputStream = [...streamedText(events).keys()][0]!;
  return { threadId, events, outputStream };
};
const DAY = 24 * 60 * 60 * 1000;

describe("useCodexAutoResume (real component, recorded codex output)", () => {
  test("follows every channel's stream through the streamSync wrapper", async () => {
    const h = createHarness();
    const { threadId, events } = output();
    h.render(<Streams threadId={threadId} />);
    await h.settle();
    expect(meta()).toBe("loaded resyncs=0");
    const secondLine = indexOf(events, isDelta("commandOutput"), 2);
    await h.ingestEach(threadId, events.slice(0, secondLine + 1));
    expect(shown()).toEqual(["commandOutput@0:line-1\nline-2\n"]);
    await h.ingestEach(threadId, events.slice(secondLine + 1));
    expect(shown()).toEqual(["commandOutput@0:line-1\nline-2\nline-3\n", "agentMessage@0:The command finished."]);
    expect(meta()).toBe("loaded resyncs=0");
  });

  test("rebased: a client behind what cleanup kept restarts at the server's window", async () => {
    const h = createHarness();
    const { threadId, events } = output();
    // One batch per event: one stored delta row per codex delta.
    await h.ingestEach(threadId, events);
    // The streams finished a day ago; cleanup deletes one delta row (the oldest stream's first).
    const [swept] = await h.sweep({ now: Date.now() + DAY, ttlMs: 60_000, maxDeltaRows: 1 });
    expect(swept).toMatchObject({ deletedDeltaRows: 1, deletedStreams: 0, more: true });
    h.render(<Streams threadId={threadId} />);
    await h.settle();
    expect(shown()).toEqual(["commandOutput@7:line-2\nline-3\n", "agentMessage@0:The command finished."]);
    expect(meta()).toBe("loaded resyncs=1");
    // The rest of the cleanup removes what this client already holds: it keeps its text.
    await h.sweep({ now: Date.now() + DAY, ttlMs: 60_000 });
    expect(shown()).toEqual(["commandOutput@7:line-2\nline-3\n", "agentMessage@0:The command finished."]);
    expect(meta()).toBe("loaded resyncs=1");
  });

  test("stale: a stream cleanup removed while the client was behind is dropped and not asked for again", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("interrupt");
    h.render(<Streams threadId={threadId} />);
    const secondDelta = indexOf(events, isDelta("agentMessage"), 2);
    await h.ingestEach(threadId, events.slice(0, secondDelta + 1));
    expect(shown()).toEqual(["agentMessage@0:still going… still going… "]);
    // The bridge went away mid-turn. Cleanup aborts the idle stream, and a day later deletes
    // it; the client hears of both at once.
    const later = Date.now() + DAY;
    const [abort, purge] = await h.sweep({ now: later, idleMs: 60_000 }, { now: later + DAY, ttlMs: 60_000 });
    expect(abort!.aborted).toBe(1);
    expect(purge!.deletedStreams).toBe(1);
    expect(shown()).toEqual([]);
    expect(meta()).toBe("loaded resyncs=1");
    const asked = h.client.watched(api.codex.streamSync).map((a) => a.streamCursorsById);
    expect(asked).toEqual([[]]);
  });

  test("starts from saved checkpoints and reports the server's next ones", async () => {
    const h = createHarness();
    const { threadId, events, outputStream } = output();
    const secondLine = indexOf(events, isDelta("commandOutput"), 2);
    await h.ingestEach(threadId, events.slice(0, secondLine + 1));
    const seen: StreamCursor[][] = [];
    const options = { initialCursors: [{ streamId: outputStream, cursor: 7 }], onCheckpoint: (c: StreamCursor[]) => seen.push(c) };
    h.render(<Streams threadId={threadId} options={options} />);
    await h.settle();
    expect(shown()).toEqual(["commandOutput@7:line-2\n"]);
    expect(seen.at(-1)).toEqual([{ streamId: outputStream, cursor: 14 }]);
    await h.ingest(threadId, [events[secondLine + 1]!]);
    expect(shown()).toEqual(["commandOutput@7:line-2\nline-3\n"]);
    expect(seen.at(-1)).toEqual([{ streamId: outputStream, cursor: 21 }]);
  });

  test("channels narrows what is followed", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("reasoning");
    h.render(<Streams threadId={threadId} options={{ channels: ["reasoningSummary"] }} />);
    const firstReply = indexOf(events, isDelta("agentMessage"));
    await h.ingestEach(threadId, events.slice(0, firstReply + 1));
    expect(shown()).toEqual([
      "reasoningSummary@0:**Thinking it over**\n\nThe user wants a short answer.",
      "reasoningSummary@0:**Answering**\n\nKeep it brief.",
    ]);
    // The reply and the raw reasoning streamed too, on channels this client does not follow.
    await h.ingestEach(threadId, events.slice(firstReply + 1));
    expect(shown()).toEqual([
      "reasoningSummary@0:**Thinking it over**\n\nThe user wants a short answer.",
      "reasoningSummary@0:**Answering**\n\nKeep it brief.",
    ]);
    expect(h.client.watched(api.codex.streamSync).flatMap((a) => a.streamCursorsById as Array<{ streamId: string }>)).toEqual([]);
  });
});
