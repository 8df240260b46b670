import { describe, expect, test } from "vitest";
import { mergeReasoning } from "./mergeReasoning.js";
import type { CodexStream } from "./streamSync.js";
import type { CodexReasoningDoc } from "./types.js";

const seg = (itemId: string, order: number, over: Partial<CodexReasoningDoc> = {}): CodexReasoningDoc => ({
  _id: `id-${itemId}-${order}` as CodexReasoningDoc["_id"],
  _creationTime: order,
  tenantId: "t",
  userId: "u",
  threadId: "th",
  turnId: "t1",
  itemId,
  channel: "summary",
  index: 0,
  text: `text ${itemId}`,
  status: "completed",
  order,
  createdAt: order,
  ...over,
});
const stream = (streamId: string, itemId: string, text: string, channel: CodexStream["channel"] = "reasoningSummary"): CodexStream => ({
  streamId,
  turnId: "t1",
  itemId,
  channel,
  status: "streaming",
  text,
  from: 0,
  cursor: text.length,
  serverCursor: text.length,
});

describe("mergeReasoning", () => {
  test("segments oldest first, with headers", () => {
    const out = mergeReasoning([seg("b", 1, { text: "**B** x" }), seg("a", 0)], []);
    expect(out.map((r) => [r.itemId, r.header])).toEqual([["a", undefined], ["b", "B"]]);
  });

  test("a stream without a segment is appended; raw content maps to the raw channel", () => {
    const out = mergeReasoning([], [stream("s1", "r1", "**Plan** it", "reasoningContent")], "th");
    expect(out).toMatchObject([{ key: "s1", channel: "raw", text: "**Plan** it", header: "Plan", streaming: true, threadId: "th" }]);
  });

  test("a completed segment wins over its stream (matched by streamId)", () => {
    const out = mergeReasoning([seg("r1", 0, { streamId: "s1", text: "final" })], [stream("s1", "r1", "final plus late")]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ text: "final", streaming: false });
  });

  test("a streaming segment shows its stream's text (matched by item and channel)", () => {
    const out = mergeReasoning([seg("r1", 0, { status: "streaming", text: "" })], [stream("s1", "r1", "live")]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ text: "live", streaming: true });
  });

  test("agent-message streams are ignored", () => {
    expect(mergeReasoning([], [stream("s1", "a1", "hello", "agentMessage")])).toEqual([]);
  });
});
