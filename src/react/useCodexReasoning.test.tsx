import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { extractBoldHeader } from "./reasoningHeader.js";
import { api } from "./testing/app/_generated/api.js";
import { actor, createHarness } from "./testing/harness.js";
import { useCodexReasoning, useCodexStreamingReasoning } from "./useCodexReasoning.js";

function Reasoning({ threadId }: { threadId: string }) {
  const durable = useCodexReasoning(api.chat.threadReasoning, { actor, threadId }, { initialNumItems: 10, stream: api.chat.threadMessages });
  const live = useCodexStreamingReasoning(api.chat.threadMessages, { actor, threadId });
  return (
    <div>
      <ul>
        {durable.results.map((r) => (
          <li key={r.key} data-testid="segment">{`${r.channel}:${r.text}${r.streaming ? " (streaming)" : ""}`}</li>
        ))}
      </ul>
      <ul>
        {live.map((s) => (
          <li key={s.streamId} data-testid="live">{`${s.channel}|${s.header ?? "-"}|${s.text}`}</li>
        ))}
      </ul>
    </div>
  );
}

describe("useCodexReasoning / useCodexStreamingReasoning", () => {
  test("durable segments oldest first; live reasoning with its bold header", async () => {
    const h = await createHarness();
    await h.t.run(async (ctx) => {
      for (const [order, text] of ["first thought", "second thought"].entries()) {
        await ctx.db.insert("reasoning_segments", {
          ...actor,
          threadId: h.threadId,
          turnId: "turn-1",
          itemId: `r${order}`,
          channel: "summary",
          index: 0,
          text,
          status: "completed",
          order,
          createdAt: order,
        });
      }
    });
    h.render(<Reasoning threadId={h.threadId} />);
    await h.settle();
    expect(screen.getAllByTestId("segment").map((li) => li.textContent)).toEqual(["summary:first thought", "summary:second thought"]);

    await h.bridge("startStream", { turnId: "turn-2", itemId: "r9", streamId: "r9/summary/0", channel: "reasoningSummary" });
    await h.bridge("startStream", { turnId: "turn-2", itemId: "a9", streamId: "a9", channel: "agentMessage" });
    await h.bridge("appendDelta", { streamId: "r9/summary/0", text: "**Checking tes" });
    expect(screen.getAllByTestId("live").map((li) => li.textContent)).toEqual(["reasoningSummary|-|**Checking tes"]);
    await h.bridge("appendDelta", { streamId: "r9/summary/0", text: "ts** now" });
    expect(screen.getAllByTestId("live").map((li) => li.textContent)).toEqual(["reasoningSummary|Checking tests|**Checking tests** now"]);
    const segments = () => screen.getAllByTestId("segment").map((li) => li.textContent);
    expect(segments()).toEqual(["summary:first thought", "summary:second thought", "summary:**Checking tests** now (streaming)"]);

    // The component stores the finished segment: one entry, the stored one.
    await h.bridge("finishStream", { streamId: "r9/summary/0", status: "finished" });
    await h.t.run(async (ctx) => {
      await ctx.db.insert("reasoning_segments", {
        ...actor,
        threadId: h.threadId,
        turnId: "turn-2",
        itemId: "r9",
        channel: "summary",
        index: 0,
        text: "**Checking tests** now.",
        status: "completed",
        streamId: "r9/summary/0",
        order: 2,
        createdAt: 2,
      });
    });
    await h.bridge("ensureThread", {});
    expect(segments()).toEqual(["summary:first thought", "summary:second thought", "summary:**Checking tests** now."]);
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
