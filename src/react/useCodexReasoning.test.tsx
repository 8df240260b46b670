import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { extractBoldHeader } from "./reasoningHeader.js";
import { codexTranscript, indexOf, isDelta, isLifecycle } from "../protocol/testing/events.js";
import { createHarness } from "./testing/harness.js";
import { useCodexReasoning, useCodexStreamingReasoning } from "./useCodexReasoning.js";

function Reasoning({ threadId }: { threadId: string }) {
  const durable = useCodexReasoning(api.codex.threadReasoning, { threadId }, { initialNumItems: 10, stream: api.codex.threadMessages });
  const live = useCodexStreamingReasoning(api.codex.threadMessages, { threadId });
  return (
    <div>
      <ul>
        {durable.results.map((r) => (
          <li key={r.key} data-testid="segment">{`${r.channel}:${r.text}${r.streaming ? " (streaming)" : ""}`}</li>
        ))}
      </ul>
      <ul>
        {live
          .filter((s) => s.status === "streaming")
          .map((s) => (
            <li key={s.streamId} data-testid="live">{`${s.channel}|${s.header ?? "-"}|${s.text}`}</li>
          ))}
      </ul>
    </div>
  );
}

const segments = () => screen.queryAllByTestId("segment").map((li) => li.textContent);
const live = () => screen.queryAllByTestId("live").map((li) => li.textContent);

// Recorded: summary part 0 "**Thinking it over|**\n\nThe user wants| a short answer.", summary
// part 1 "**Answerin|g**\n\nKeep |it brief.", raw content "Let me consid|er the reques|t carefully."
const thinking = "**Thinking it over**\n\nThe user wants a short answer.";
const answering = "**Answering**\n\nKeep it brief.";
const raw = "Let me consider the request carefully.";

describe("useCodexReasoning / useCodexStreamingReasoning (real component, recorded reasoning)", () => {
  test("live reasoning with its bold header as it streams; then the stored segments, once each, oldest first", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("reasoning");
    h.render(<Reasoning threadId={threadId} />);
    await h.settle();
    expect(segments()).toEqual([]);

    const summaryDelta = (n: number) => indexOf(events, isDelta("reasoningSummary"), n);
    await h.ingestEach(threadId, events.slice(0, summaryDelta(1) + 1));
    expect(live()).toEqual(["reasoningSummary|-|**Thinking it over"]);
    await h.ingest(threadId, [events[summaryDelta(2)]!]);
    expect(live()).toEqual(["reasoningSummary|Thinking it over|**Thinking it over**\n\nThe user wants"]);
    expect(segments()).toEqual(["summary:**Thinking it over**\n\nThe user wants (streaming)"]);

    await h.ingestEach(threadId, events.slice(summaryDelta(2) + 1, summaryDelta(5) + 1));
    expect(live().at(-1)).toBe("reasoningSummary|Answering|**Answering**\n\nKeep ");
    // Each summary part is its own segment; both stream until codex completes the item.
    expect(segments()).toEqual([`summary:${thinking} (streaming)`, "summary:**Answering**\n\nKeep  (streaming)"]);

    const completed = indexOf(events, isLifecycle("item/completed", "reasoning"));
    await h.ingestEach(threadId, events.slice(summaryDelta(5) + 1, completed + 1));
    expect(live()).toEqual([]);
    expect(segments()).toEqual([`summary:${thinking}`, `summary:${answering}`, `raw:${raw}`]);
    await h.ingest(threadId, events.slice(completed + 1));
    expect(segments()).toEqual([`summary:${thinking}`, `summary:${answering}`, `raw:${raw}`]);
  });

  test.each([
    ["**Header** rest", "Header"],
    ["intro **First** and **Second**", "First"],
    ["**unclosed", undefined],
    ["** **", undefined],
    ["no bold", undefined],
  ])("extractBoldHeader(%j)", (text, header) => {
    expect(extractBoldHeader(text)).toBe(header);
  });
});
