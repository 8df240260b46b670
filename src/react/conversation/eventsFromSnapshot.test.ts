import { describe, expect, test } from "vitest";
import type { CodexStream } from "../streamSync.js";
import type { ThreadStateView, TurnSummary } from "../threadState.js";
import type { CodexItemDoc } from "../types.js";
import { eventsFromSnapshot, initialEmitCursor, planSteps, type ConversationSnapshot, type EmitCursor } from "./eventsFromSnapshot.js";
import { initialConversationState, reduceConversation } from "./reduceConversation.js";

const turn = (turnId: string, status = "inProgress", startedAt = 100, completedAt?: number): TurnSummary => ({ turnId, status, startedAt, completedAt });
const thread = (active: ReturnType<typeof turn> | null, last: ReturnType<typeof turn> | null = active): ThreadStateView => ({
  exists: true,
  activeTurn: active,
  lastTurn: last,
});
// An item keeps the start time it got when first made, as a stored item does.
const startedAt = new Map<string, number>();
const startOf = (itemId: string) => startedAt.get(itemId) ?? startedAt.set(itemId, startedAt.size + 1).get(itemId)!;
let n = 0;
const item = (itemId: string, details: CodexItemDoc["details"], status: CodexItemDoc["status"] = "completed"): CodexItemDoc =>
  ({
    _id: `id-${itemId}` as CodexItemDoc["_id"],
    _creationTime: n++,
    tenantId: "t",
    userId: "u",
    threadId: "th",
    turnId: "t1",
    itemId,
    status,
    details,
    payloadJson: "{}",
    startedAt: startOf(itemId),
    completedAt: status === "inProgress" ? undefined : n,
  });
const stream = (streamId: string, itemId: string, channel: CodexStream["channel"], text: string): CodexStream => ({
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
const snap = (over: Partial<ConversationSnapshot>): ConversationSnapshot => ({ thread: thread(null), items: [], streams: [], now: 1_000, ...over });

function run(snaps: ConversationSnapshot[]) {
  let cursor: EmitCursor = initialEmitCursor;
  const all = [];
  for (const s of snaps) {
    const r = eventsFromSnapshot(cursor, s);
    cursor = r.cursor;
    all.push(r.events);
  }
  return all;
}

describe("eventsFromSnapshot", () => {
  test("a turn's life: start, deltas, final message, command, end — each reported once, in order", () => {
    startOf("u1");
    const cmdRunning = item("c1", { type: "commandExecution", command: "ls", cwd: "/", commandActions: [{ type: "listFiles", command: "ls", path: null }] }, "inProgress");
    const cmdDone = item("c1", { type: "commandExecution", command: "ls", cwd: "/", commandActions: [{ type: "listFiles", command: "ls", path: null }], exitCode: 0, aggregatedOutput: "a\nb\n" });
    const agentRunning = item("m1", { type: "agentMessage", text: "" }, "inProgress");
    const agentDone = item("m1", { type: "agentMessage", text: "Hello world" });
    const [first, second, third, fourth, fifth] = run([
      snap({ thread: thread(null) }),
      snap({ thread: thread(turn("t1")), items: [item("u1", { type: "userMessage", text: "hi" }), cmdRunning], streams: [stream("o1", "c1", "commandOutput", "a\n")] }),
      snap({ thread: thread(turn("t1")), items: [item("u1", { type: "userMessage", text: "hi" }), cmdDone, agentRunning], streams: [stream("o1", "c1", "commandOutput", "a\n"), stream("s1", "m1", "agentMessage", "Hello")] }),
      snap({ thread: thread(turn("t1")), items: [item("u1", { type: "userMessage", text: "hi" }), cmdDone, agentDone], streams: [stream("s1", "m1", "agentMessage", "Hello world")] }),
      snap({ thread: thread(null, turn("t1", "completed", 100, 900)), items: [item("u1", { type: "userMessage", text: "hi" }), cmdDone, agentDone] }),
    ]);
    expect(first).toEqual([]);
    expect(second!.map((e) => e.type)).toEqual(["turn_started", "user_message", "exec_begin", "exec_output_delta"]);
    expect(second![0]).toEqual({ type: "turn_started", turnId: "t1", at: 100 });
    expect(third!.map((e) => e.type)).toEqual(["exec_end", "agent_message_delta"]);
    // The reply is over: its final text says it all (the last delta is not told as well).
    expect(fourth).toEqual([{ type: "agent_message", itemId: "m1", turnId: "t1", text: "Hello world" }]);
    expect(fifth).toEqual([{ type: "turn_completed", turnId: "t1", at: 900 }]);
  });

  test("an interrupted turn is reported as aborted, after the items that came with it", () => {
    const [, second] = run([
      snap({ thread: thread(turn("t1")) }),
      snap({ thread: thread(null, turn("t1", "interrupted", 100, 500)), items: [item("m1", { type: "agentMessage", text: "partial" }, "interrupted")] }),
    ]);
    expect(second).toEqual([
      { type: "agent_message", itemId: "m1", turnId: "t1", text: "partial" },
      { type: "turn_aborted", turnId: "t1", at: 500, reason: "interrupted" },
    ]);
  });

  test("a turn that started and ended between two snapshots is still reported", () => {
    const [, second] = run([snap({ thread: thread(null) }), snap({ thread: thread(null, turn("t2", "completed", 200, 300)) })]);
    expect(second).toEqual([
      { type: "turn_started", turnId: "t2", at: 200 },
      { type: "turn_completed", turnId: "t2", at: 300 },
    ]);
  });

  test("items are reported in start order whatever order the wrapper returns", () => {
    const a = item("x-first", { type: "userMessage", text: "1" });
    const b = item("x-second", { type: "userMessage", text: "2" });
    const [first] = run([snap({ items: [b, a] })]);
    expect(first!.map((e) => (e.type === "user_message" ? e.text : e.type))).toEqual(["1", "2"]);
  });

  test("file changes and tool calls are reported once per status", () => {
    startOf("f1");
    const patch = (status: CodexItemDoc["status"]) =>
      item("f1", { type: "fileChange", changes: [{ path: "a.ts", kind: "update", diff: "@@" }] }, status);
    const mcp = item("t1", { type: "mcpToolCall", server: "gh", tool: "search", argumentsJson: "{}" }, "inProgress");
    const [first, second, third] = run([
      snap({ items: [patch("inProgress"), mcp] }),
      snap({ items: [patch("inProgress"), mcp] }),
      snap({ items: [patch("completed"), mcp] }),
    ]);
    expect(first).toEqual([
      { type: "patch", itemId: "f1", turnId: "t1", changes: [{ path: "a.ts", kind: "update", diff: "@@" }], status: "inProgress" },
      {
        type: "tool_call",
        itemId: "t1",
        turnId: "t1",
        title: "gh.search",
        status: "inProgress",
        detail: { itemType: "mcpToolCall", input: "{}", output: undefined, error: undefined, durationMs: undefined },
      },
    ]);
    expect(second).toEqual([]);
    expect(third).toEqual([{ type: "patch", itemId: "f1", turnId: "t1", changes: [{ path: "a.ts", kind: "update", diff: "@@" }], status: "completed" }]);
  });

  test("turns already over at the first look are history, not events", () => {
    const [first] = run([snap({ thread: thread(null, turn("t0", "completed", 1, 2)) })]);
    expect(first).toEqual([]);
  });

  test("deltas after an agent message's final text are not reported", () => {
    const [, second] = run([
      snap({ thread: thread(turn("t1")), items: [item("m1", { type: "agentMessage", text: "Done" })] }),
      snap({ thread: thread(turn("t1")), items: [item("m1", { type: "agentMessage", text: "Done" })], streams: [stream("s1", "m1", "agentMessage", "Done")] }),
    ]);
    expect(second).toEqual([]);
  });

  test("reasoning streams and plan items become reasoning_delta and plan_update", () => {
    const [first, second] = run([
      snap({ thread: thread(turn("t1")), streams: [stream("r1", "re1", "reasoningSummary", "**Look")], items: [item("p1", { type: "plan", text: "- [x] read\n- [~] edit\n- [ ] test" })] }),
      snap({ thread: thread(turn("t1")), streams: [stream("r1", "re1", "reasoningSummary", "**Looking**")], items: [item("p1", { type: "plan", text: "- [x] read\n- [~] edit\n- [ ] test" })] }),
    ]);
    expect(first).toEqual([
      { type: "turn_started", turnId: "t1", at: 100 },
      { type: "plan_update", turnId: "t1", steps: [{ step: "read", status: "completed" }, { step: "edit", status: "in_progress" }, { step: "test", status: "pending" }] },
      { type: "reasoning_delta", key: "r1", delta: "**Look", itemId: "re1", turnId: "t1", channel: "summary" },
    ]);
    expect(second).toEqual([{ type: "reasoning_delta", key: "r1", delta: "ing**", itemId: "re1", turnId: "t1", channel: "summary" }]);
  });

  test("history at the first look: each turn's plan after its items, the marker of a turn that did not finish", () => {
    const inTurn = (turnId: string, itemId: string, details: CodexItemDoc["details"]) => ({ ...item(itemId, details), turnId });
    const interrupted = { ...turn("h1", "interrupted", 10, 20), error: undefined };
    const failed = { ...turn("h2", "failed", 30, 40), error: "model unavailable", plan: { steps: [{ step: "Try", status: "inProgress" }] } };
    const [first, second] = run([
      snap({
        thread: { exists: true, activeTurn: null, lastTurn: failed, recentTurns: [failed, interrupted] },
        items: [
          inTurn("h1", "q1", { type: "userMessage", text: "one" }),
          inTurn("h1", "a1", { type: "agentMessage", text: "half" }),
          inTurn("h2", "q2", { type: "userMessage", text: "two" }),
        ],
      }),
      snap({ thread: { exists: true, activeTurn: null, lastTurn: failed, recentTurns: [failed, interrupted] }, items: [] }),
    ]);
    const state = first!.reduce(reduceConversation, initialConversationState);
    expect(state.transcript.map((c) => (c.kind === "turn_end" ? `${c.kind}:${c.status}:${c.error ?? ""}` : c.kind))).toEqual([
      "user",
      "agent",
      "turn_end:interrupted:",
      "user",
      "plan",
      "turn_end:failed:model unavailable",
    ]);
    expect(state.taskRunning).toBe(false);
    expect(state.plan).toEqual([{ step: "Try", status: "in_progress" }]);
    expect(second).toEqual([]);
  });

  test("a plan sits where codex made it: before what started after it, even when both arrive together", () => {
    const ask = { ...item("q", { type: "userMessage", text: "plan it" }), startedAt: 10 };
    const reply = { ...item("a", { type: "agentMessage", text: "The plan is set." }), startedAt: 30 };
    const planned = { ...turn("t1"), plan: { steps: [{ step: "Read", status: "inProgress" }], updatedAt: 20 } };
    const [first] = run([snap({ thread: thread(planned), items: [ask, reply] })]);
    expect(first!.map((e) => e.type)).toEqual(["turn_started", "user_message", "plan_update", "agent_message"]);
  });

  test("a dropped event is a marker where it happened, told once", () => {
    const ask = { ...item("q", { type: "userMessage", text: "go" }), startedAt: 10 };
    const reply = { ...item("a", { type: "agentMessage", text: "done" }), startedAt: 30 };
    const record = { _id: "d1", createdAt: 20, turnId: "t1", itemId: "c1", dropped: { eventType: "lifecycle_event", kind: "item/completed", code: "E_TOO_LARGE", message: "too big" } };
    const [first, second] = run([snap({ items: [ask, reply], dropped: [record] }), snap({ items: [ask, reply], dropped: [record] })]);
    expect(first!.map((e) => e.type)).toEqual(["user_message", "event_dropped", "agent_message"]);
    expect(first![1]).toEqual({ type: "event_dropped", id: "d1", turnId: "t1", itemId: "c1", what: "item/completed", code: "E_TOO_LARGE", message: "too big" });
    expect(second).toEqual([]);
    const state = first!.reduce(reduceConversation, initialConversationState);
    expect(state.transcript.map((c) => c.kind)).toEqual(["user", "dropped", "agent"]);
  });

  test("pending approvals are told when the set changes, before the items", () => {
    const cmd = item("c1", { type: "commandExecution", command: "make", cwd: "/w", commandActions: [] } as unknown as CodexItemDoc["details"], "inProgress");
    const pending = [{ turnId: "t1", itemId: "c1" }];
    const [first, again, answered, noQuery] = run([
      snap({ thread: thread(turn("t1")), items: [cmd], approvals: pending }),
      snap({ thread: thread(turn("t1")), items: [cmd], approvals: [...pending] }),
      snap({ thread: thread(turn("t1")), items: [cmd], approvals: [] }),
      snap({ thread: thread(turn("t1")), items: [cmd] }),
    ]);
    expect(first!.map((e) => e.type)).toEqual(["turn_started", "approvals_pending", "exec_begin"]);
    expect(first![1]).toEqual({ type: "approvals_pending", items: pending });
    expect(again).toEqual([]);
    expect(answered).toEqual([{ type: "approvals_pending", items: [] }]);
    // No approvals query: nothing is told.
    expect(noQuery).toEqual([]);
  });

  test("with older items left to load, a turn that started before them waits for them", () => {
    const older = { ...turn("t0", "interrupted", 5, 8), error: undefined };
    const ask = { ...item("q", { type: "userMessage", text: "go" }), startedAt: 10 };
    const view = { exists: true, activeTurn: null, lastTurn: turn("t1", "completed", 10, 20), recentTurns: [older] };
    const [left] = run([snap({ thread: view, items: [ask], olderItemsBefore: 10 })]);
    expect(left!.map((e) => e.type)).toEqual(["user_message"]);
    // All history loaded: the marker shows (with no item of its own, after what is loaded).
    const [all] = run([snap({ thread: view, items: [ask] })]);
    expect(all!.map((e) => e.type)).toEqual(["user_message", "turn_aborted"]);
  });

  test("a turn that fails while watched ends with codex's error", () => {
    const [, second] = run([
      snap({ thread: thread(turn("t1")) }),
      snap({ thread: thread(null, { ...turn("t1", "failed", 100, 300), error: "quota exceeded" }) }),
    ]);
    expect(second).toEqual([{ type: "turn_aborted", turnId: "t1", at: 300, reason: "failed", error: "quota exceeded" }]);
  });

  test("the same item id in two turns is two items", () => {
    const q1 = { ...item("same", { type: "userMessage", text: "first" }), turnId: "t1" };
    const q2 = { ...item("same", { type: "userMessage", text: "second" }), turnId: "t2", startedAt: 1_000 };
    const [first] = run([snap({ items: [q1, q2] })]);
    expect(first!.map((e) => (e.type === "user_message" ? `${e.turnId}:${e.text}` : e.type))).toEqual(["t1:first", "t2:second"]);
  });

  test("a reply kept as a preview on its item shows the stored message's full text", () => {
    const preview = item("long", { type: "agentMessage", text: "The start…", textTruncated: true });
    const full = new Map([["t1/long", "The start of a long reply, in full."]]);
    const [first, second] = run([snap({ items: [preview] }), snap({ items: [preview], fullText: full })]);
    expect(first).toEqual([{ type: "agent_message", itemId: "long", turnId: "t1", text: "The start…" }]);
    expect(second).toEqual([{ type: "agent_message", itemId: "long", turnId: "t1", text: "The start of a long reply, in full." }]);
  });

  test("folded through the reducer, streamed text and its final message make one agent cell", () => {
    const events = run([
      snap({ thread: thread(turn("t1")), streams: [stream("s1", "m1", "agentMessage", "one\ntw")] }),
      snap({ thread: thread(turn("t1")), streams: [stream("s1", "m1", "agentMessage", "one\ntwo\nthr")] }),
      snap({ thread: thread(turn("t1")), items: [item("m1", { type: "agentMessage", text: "one\ntwo\nthree" })], streams: [stream("s1", "m1", "agentMessage", "one\ntwo\nthree")] }),
    ]).flat();
    const state = events.reduce(reduceConversation, initialConversationState);
    expect(state.transcript).toEqual([{ kind: "agent", itemId: "m1", turnId: "t1", lines: ["one", "two", "three"], done: true }]);
    expect(state.streamBuffer).toBe("");
  });
});

describe("planSteps", () => {
  test.each([
    ["- [ ] a\n- [x] b", [{ step: "a", status: "pending" }, { step: "b", status: "completed" }]],
    ["1. first\n2. second", [{ step: "first", status: "pending" }, { step: "second", status: "pending" }]],
    ["Intro line\n* [-] doing", [{ step: "doing", status: "in_progress" }]],
    ["no list here", []],
  ])("%j", (text, steps) => {
    expect(planSteps(text)).toEqual(steps);
  });

  test("a compaction is one marker cell, once it completed, and stays one when seen again", () => {
    const running = item("cmp-1", { type: "contextCompaction" }, "inProgress");
    const done = { ...running, status: "completed" as const, completedAt: n++ };
    const [first, second, third] = run([snap({ items: [running] }), snap({ items: [done] }), snap({ items: [done] })]);
    expect(first).toEqual([]);
    expect(second).toEqual([{ type: "context_compacted", itemId: "cmp-1", turnId: "t1" }]);
    expect(third).toEqual([]);
    const state = [...second!, ...second!].reduce(reduceConversation, initialConversationState);
    expect(state.transcript).toEqual([{ kind: "compacted", itemId: "cmp-1", turnId: "t1" }]);
  });
});
