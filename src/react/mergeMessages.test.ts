import { describe, expect, test } from "vitest";
import { mergeMessages } from "./mergeMessages.js";
import type { CodexStream } from "./streamSync.js";
import type { CodexMessageDoc } from "./types.js";

const msg = (itemId: string, order: number, over: Partial<CodexMessageDoc> = {}): CodexMessageDoc => ({
  _id: `id-${itemId}` as CodexMessageDoc["_id"],
  _creationTime: order,
  tenantId: "t",
  userId: "u",
  threadId: "th",
  turnId: "t1",
  itemId,
  role: "assistant",
  status: "completed",
  text: itemId,
  order,
  createdAt: order,
  ...over,
});
const stream = (itemId: string, text: string, status: CodexStream["status"] = "streaming"): CodexStream => ({
  streamId: `s-${itemId}`,
  turnId: "t1",
  itemId,
  channel: "agentMessage",
  status,
  text,
  from: 0,
  cursor: text.length,
  serverCursor: text.length,
});

describe("mergeMessages", () => {
  test("newest-first pages come out oldest first", () => {
    expect(mergeMessages([msg("c", 2), msg("b", 1), msg("a", 0)], []).map((m) => m.itemId)).toEqual(["a", "b", "c"]);
  });

  test("a stream without a durable row is appended as a streaming assistant message", () => {
    const out = mergeMessages([msg("u", 0, { role: "user" })], [stream("a", "Hel")], "th");
    expect(out.map((m) => [m.key, m.text, m.status, m.streaming])).toEqual([
      ["t1/u", "u", "completed", false],
      ["t1/a", "Hel", "streaming", true],
    ]);
    expect(out[1]!.threadId).toBe("th");
  });

  test("a streaming durable row shows the stream's text, under the same key", () => {
    const out = mergeMessages([msg("a", 0, { status: "streaming", text: "" })], [stream("a", "Hello")]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ key: "t1/a", text: "Hello", streaming: true, status: "streaming" });
  });

  test("a completed durable row wins over its stream", () => {
    const out = mergeMessages([msg("a", 0, { text: "Hello!" })], [stream("a", "Hello, and more that came late", "streaming")]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ text: "Hello!", streaming: false, status: "completed" });
  });

  test("an ended stream whose row is not loaded (older than the page) is not shown at the end", () => {
    // The newest page: a question and its answer. An older turn's reply was interrupted; its
    // aborted stream is still listed, its row is on an older page.
    const page = [msg("q", 60, { role: "user", turnId: "t9" }), msg("answer", 61, { turnId: "t9" })];
    const old = { ...stream("partial", "Half a rep", "aborted"), turnId: "t2" };
    expect(mergeMessages(page, [old]).map((m) => m.itemId)).toEqual(["q", "answer"]);
    // Once that page is loaded the row takes its place, in order.
    const older = msg("partial", 5, { turnId: "t2", status: "interrupted", text: "Half a rep" });
    expect(mergeMessages([...page, older], [old]).map((m) => m.itemId)).toEqual(["partial", "q", "answer"]);
  });

  test("an item id reused by another turn is another message", () => {
    const first = msg("msg_1", 0, { turnId: "t1", text: "first answer" });
    const live = { ...stream("msg_1", "second ans"), turnId: "t2" };
    const out = mergeMessages([first], [live]);
    expect(out.map((m) => [m.key, m.text, m.streaming])).toEqual([
      ["t1/msg_1", "first answer", false],
      ["t2/msg_1", "second ans", true],
    ]);
  });

  test("a stream with no text yet still shows (as an empty streaming message)", () => {
    expect(mergeMessages([], [stream("a", "")])).toMatchObject([{ text: "", streaming: true }]);
  });

  test("reasoning streams are not messages", () => {
    expect(mergeMessages([], [{ ...stream("r", "think"), channel: "reasoningSummary" }])).toEqual([]);
  });

  test("an optimistic message gives way to the durable user message with its text", () => {
    const optimistic = msg("optimistic:k1", 3, { _id: "optimistic:k1" as CodexMessageDoc["_id"], role: "user", text: "do it" });
    const earlierSameText = msg("u0", 1, { role: "user", text: "do it" });
    expect(mergeMessages([optimistic, earlierSameText], []).map((m) => [m.itemId, m.optimistic])).toEqual([
      ["u0", false],
      ["optimistic:k1", true],
    ]);
    // Stored as codex received it (surrounding whitespace aside).
    const durable = msg("u1", 3, { role: "user", text: "do it\n" });
    expect(mergeMessages([durable, optimistic, earlierSameText], []).map((m) => m.itemId)).toEqual(["u0", "u1"]);
    // One durable message replaces one optimistic message, not two.
    const second = msg("optimistic:k2", 3, { _id: "optimistic:k2" as CodexMessageDoc["_id"], role: "user", text: "do it" });
    expect(mergeMessages([durable, optimistic, second], []).map((m) => m.itemId)).toEqual(["u1", "optimistic:k2"]);
  });

  test("a failed send stays, marked, and leaves the durable message to the send that carried it", () => {
    const failed = { ...msg("optimistic:k1", 3, { _id: "optimistic:k1" as CodexMessageDoc["_id"], role: "user", text: "do it" }), failed: true, error: "refused" };
    const retry = msg("optimistic:k2", 3, { _id: "optimistic:k2" as CodexMessageDoc["_id"], _creationTime: 9, role: "user", text: "do it" });
    const durable = msg("u1", 4, { role: "user", text: "do it" });
    const merged = mergeMessages([durable, failed, retry], []);
    expect(merged.map((m) => [m.itemId, m.optimistic, m.failed, m.error, m.idempotencyKey])).toEqual([
      ["optimistic:k1", true, true, "refused", "k1"],
      ["u1", false, false, undefined, undefined],
    ]);
  });
});
