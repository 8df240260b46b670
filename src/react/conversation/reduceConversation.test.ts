import { describe, expect, test } from "vitest";
import type { CommandAction } from "../../component/validators.js";
import type { ConversationEvent } from "./events.js";
import {
  commitLines,
  describeAction,
  initialConversationState as init,
  nextInputToSend,
  reduceConversation,
  type ConversationState,
} from "./reduceConversation.js";

const fold = (events: ConversationEvent[], from: ConversationState = init) => events.reduce(reduceConversation, from);

const read: CommandAction = { type: "read", command: "cat a.ts", name: "a.ts", path: "src/a.ts" };
const list: CommandAction = { type: "listFiles", command: "ls src", path: "src" };
const search: CommandAction = { type: "search", command: "rg foo src", query: "foo", path: "src" };
const unknown: CommandAction = { type: "unknown", command: "pnpm test" };

const started: ConversationEvent = { type: "turn_started", turnId: "t1", at: 1_000 };
const running = fold([started]);

// `expected` is matched with toMatchObject: cells may name only the fields a row is about.
type Row = [name: string, before: ConversationState, event: ConversationEvent, expected: Partial<Record<keyof ConversationState, unknown>>];

const rows: Row[] = [
  // turn lifecycle
  ["turn_started runs the task, says Working, starts the clock", init, started,
    { taskRunning: true, turnId: "t1", statusHeader: "Working", turnStartedAt: 1_000, elapsedMs: 0 }],
  ["turn_started clears a pending send", { ...init, awaitingTurnStart: true }, started, { awaitingTurnStart: false }],
  ["tick advances elapsed while running", running, { type: "tick", now: 4_500 }, { elapsedMs: 3_500 }],
  ["tick does nothing when idle", init, { type: "tick", now: 4_500 }, { elapsedMs: 0 }],
  ["turn_completed stops the task and freezes elapsed", running, { type: "turn_completed", turnId: "t1", at: 6_000 },
    { taskRunning: false, elapsedMs: 5_000 }],
  ["turn_completed of another turn is ignored", running, { type: "turn_completed", turnId: "t0", at: 6_000 }, { taskRunning: true }],
  ["turn_aborted (interrupted) stops the task", running, { type: "turn_aborted", turnId: "t1", at: 2_000, reason: "interrupted" },
    { taskRunning: false, elapsedMs: 1_000, lastError: undefined }],
  ["turn_aborted (failed) records an error", running, { type: "turn_aborted", turnId: "t1", at: 2_000, reason: "failed" },
    { taskRunning: false, lastError: "turn failed" }],
  // reasoning
  ["reasoning_delta with a bold header sets the status header", running, { type: "reasoning_delta", key: "r1", delta: "**Reading files**\n\nI will" },
    { statusHeader: "Reading files" }],
  ["reasoning_delta: a header split across deltas shows once closed",
    fold([{ type: "reasoning_delta", key: "r1", delta: "**Plann" }], running),
    { type: "reasoning_delta", key: "r1", delta: "ing**" }, { statusHeader: "Planning" }],
  ["reasoning_delta without a header keeps the previous one",
    fold([{ type: "reasoning_delta", key: "r1", delta: "**Old**" }], running),
    { type: "reasoning_delta", key: "r2", delta: "no header here" }, { statusHeader: "Old" }],
  ["reasoning_delta: a new reasoning text starts its own header",
    fold([{ type: "reasoning_delta", key: "r1", delta: "**Old** and **more**" }], running),
    { type: "reasoning_delta", key: "r2", delta: "**New**" }, { statusHeader: "New" }],
  // plan
  ["plan_update sets the plan and adds a plan cell", running,
    { type: "plan_update", steps: [{ step: "a", status: "in_progress" }, { step: "b", status: "pending" }] },
    { plan: [{ step: "a", status: "in_progress" }, { step: "b", status: "pending" }],
      transcript: [{ kind: "plan", steps: [{ step: "a", status: "in_progress" }, { step: "b", status: "pending" }] }] }],
  ["plan_update right after a plan cell replaces it",
    fold([{ type: "plan_update", steps: [{ step: "a", status: "pending" }] }], running),
    { type: "plan_update", steps: [{ step: "a", status: "completed" }] },
    { transcript: [{ kind: "plan", steps: [{ step: "a", status: "completed" }] }] }],
  // exec
  ["exec_begin with only read/list/search is Exploring", running,
    { type: "exec_begin", callId: "c1", command: "cat a.ts", commandActions: [read, list, search] },
    { activeExec: { callId: "c1", command: "cat a.ts", commandActions: [read, list, search], output: "", exitCode: undefined, done: false, exploring: true, title: "Exploring" } }],
  ["exec_begin with another action is Running", running,
    { type: "exec_begin", callId: "c1", command: "pnpm test", commandActions: [read, unknown] },
    { activeExec: { callId: "c1", command: "pnpm test", commandActions: [read, unknown], output: "", exitCode: undefined, done: false, exploring: false, title: "Running" } }],
  ["exec_begin of the user's own shell command is not exploring", running,
    { type: "exec_begin", callId: "c1", command: "cat a.ts", commandActions: [read], userShell: true },
    { activeExec: { callId: "c1", command: "cat a.ts", commandActions: [read], output: "", exitCode: undefined, done: false, exploring: false, title: "Running" } }],
  ["exec_output_delta appends to the running command",
    fold([{ type: "exec_begin", callId: "c1", command: "ls", commandActions: [unknown] }, { type: "exec_output_delta", callId: "c1", delta: "a\n" }], running),
    { type: "exec_output_delta", callId: "c1", delta: "b\n" }, { activeExec: expectExec({ output: "a\nb\n" }) }],
  ["exec_output_delta of another call is ignored",
    fold([{ type: "exec_begin", callId: "c1", command: "ls", commandActions: [unknown] }], running),
    { type: "exec_output_delta", callId: "zz", delta: "x" }, { activeExec: expectExec({ output: "" }) }],
  ["exec_end moves the call into the transcript with its exit code",
    fold([{ type: "exec_begin", callId: "c1", command: "pnpm test", commandActions: [unknown] }, { type: "exec_output_delta", callId: "c1", delta: "ok" }], running),
    { type: "exec_end", callId: "c1", exitCode: 0 },
    { activeExec: undefined, transcript: [{ kind: "exec", call: { callId: "c1", command: "pnpm test", commandActions: [unknown], output: "ok", exitCode: 0, done: true, exploring: false } }] }],
  ["exec_end: consecutive exploring calls share one Explored cell",
    fold([
      { type: "exec_begin", callId: "c1", command: "cat a.ts", commandActions: [read] },
      { type: "exec_end", callId: "c1", exitCode: 0 },
      { type: "exec_begin", callId: "c2", command: "rg foo", commandActions: [search] },
    ], running),
    { type: "exec_end", callId: "c2", exitCode: 0 },
    { transcript: [{ kind: "explored", calls: [expectCall("c1", [read]), expectCall("c2", [search])] }] }],
  ["exec_end without a seen begin still renders from its own fields", running,
    { type: "exec_end", callId: "c9", exitCode: 2, output: "boom", command: "make", commandActions: [unknown] },
    { transcript: [{ kind: "exec", call: { callId: "c9", command: "make", commandActions: [unknown], output: "boom", exitCode: 2, done: true, exploring: false } }] }],
  // agent messages (newline-gated)
  ["agent_message_delta without a newline shows nothing yet", running, { type: "agent_message_delta", itemId: "m1", delta: "Hel" },
    { streamBuffer: "Hel", streamItemId: "m1", transcript: [{ kind: "agent", itemId: "m1", lines: [], done: false }] }],
  ["agent_message_delta commits complete lines only",
    fold([{ type: "agent_message_delta", itemId: "m1", delta: "Hel" }], running),
    { type: "agent_message_delta", itemId: "m1", delta: "lo\n\nWor" },
    { streamBuffer: "Wor", transcript: [{ kind: "agent", itemId: "m1", lines: ["Hello", ""], done: false }] }],
  ["agent_message replaces streamed lines with the final text and clears the buffer",
    fold([{ type: "agent_message_delta", itemId: "m1", delta: "Hello\nWor" }], running),
    { type: "agent_message", itemId: "m1", text: "Hello\nWorld" },
    { streamBuffer: "", streamItemId: undefined, transcript: [{ kind: "agent", itemId: "m1", lines: ["Hello", "World"], done: true }] }],
  ["agent_message_delta after the final message is ignored (no duplicate)",
    fold([{ type: "agent_message", itemId: "m1", text: "Done" }], running),
    { type: "agent_message_delta", itemId: "m1", delta: "Done\n" },
    { streamBuffer: "", transcript: [{ kind: "agent", itemId: "m1", lines: ["Done"], done: true }] }],
  ["agent_message_delta of a new item flushes the previous one",
    fold([{ type: "agent_message_delta", itemId: "m1", delta: "first" }], running),
    { type: "agent_message_delta", itemId: "m2", delta: "sec" },
    { streamBuffer: "sec", streamItemId: "m2",
      transcript: [{ kind: "agent", itemId: "m1", lines: ["first"], done: false }, { kind: "agent", itemId: "m2", lines: [], done: false }] }],
  ["turn_completed flushes the partial line",
    fold([{ type: "agent_message_delta", itemId: "m1", delta: "a\nb" }], running),
    { type: "turn_completed", turnId: "t1", at: 2_000 },
    { streamBuffer: "", transcript: [{ kind: "agent", itemId: "m1", lines: ["a", "b"], done: true }] }],
  ["turn_aborted puts the running command into the transcript",
    fold([{ type: "exec_begin", callId: "c1", command: "sleep 9", commandActions: [unknown] }], running),
    { type: "turn_aborted", turnId: "t1", at: 2_000, reason: "interrupted" },
    { activeExec: undefined, transcript: [
      { kind: "exec", call: { callId: "c1", command: "sleep 9", commandActions: [unknown], output: "", exitCode: undefined, done: false, exploring: false } },
      { kind: "turn_end", turnId: "t1", status: "interrupted", error: undefined },
    ] }],
  // approvals: a command or an edit waiting for the user is not running yet
  ["approvals_pending: the running command waits for approval",
    fold([{ type: "exec_begin", callId: "c1", turnId: "t1", command: "rm -rf build", commandActions: [unknown] }], running),
    { type: "approvals_pending", items: [{ turnId: "t1", itemId: "c1" }] },
    { activeExec: expectExec({ callId: "c1", title: "Waiting for approval", awaitingApproval: true, done: false }) }],
  ["approvals_pending without it: the approved command runs",
    fold([{ type: "approvals_pending", items: [{ turnId: "t1", itemId: "c1" }] }, { type: "exec_begin", callId: "c1", turnId: "t1", command: "cat a.ts", commandActions: [read] }], running),
    { type: "approvals_pending", items: [] },
    { activeExec: expectExec({ callId: "c1", title: "Exploring", exploring: true }), awaitingApproval: {} }],
  ["exec_begin of an item already awaiting approval starts waiting",
    fold([{ type: "approvals_pending", items: [{ turnId: "t1", itemId: "c1" }] }], running),
    { type: "exec_begin", callId: "c1", turnId: "t1", command: "make", commandActions: [unknown] },
    { activeExec: expectExec({ title: "Waiting for approval", awaitingApproval: true }) }],
  ["approvals_pending of the same item in another turn changes nothing",
    fold([{ type: "exec_begin", callId: "c1", turnId: "t1", command: "make", commandActions: [unknown] }], running),
    { type: "approvals_pending", items: [{ turnId: "t0", itemId: "c1" }] },
    { activeExec: expectExec({ title: "Running" }) }],
  ["an edit in progress waits for approval",
    fold([{ type: "patch", itemId: "f1", turnId: "t1", changes: [{ path: "a.ts", kind: "add" }], status: "inProgress" }], running),
    { type: "approvals_pending", items: [{ turnId: "t1", itemId: "f1" }] },
    { transcript: [{ kind: "patch", itemId: "f1", status: "inProgress", awaitingApproval: true }] }],
  ["an edit that ended no longer waits, whatever the approvals say",
    fold([{ type: "approvals_pending", items: [{ turnId: "t1", itemId: "f1" }] }, { type: "patch", itemId: "f1", turnId: "t1", changes: [{ path: "a.ts", kind: "add" }], status: "inProgress" }], running),
    { type: "patch", itemId: "f1", turnId: "t1", changes: [{ path: "a.ts", kind: "add" }], status: "completed" },
    { transcript: [expect.not.objectContaining({ awaitingApproval: true })] }],
  ["a turn that ends while a command waits leaves it not waiting",
    fold([{ type: "exec_begin", callId: "c1", turnId: "t1", command: "make", commandActions: [unknown] }, { type: "approvals_pending", items: [{ turnId: "t1", itemId: "c1" }] }], running),
    { type: "turn_aborted", turnId: "t1", at: 5, reason: "interrupted" },
    { activeExec: undefined, transcript: [{ kind: "exec", call: expect.not.objectContaining({ awaitingApproval: true }) }, { kind: "turn_end", turnId: "t1" }] }],
  // user messages
  ["user_message adds a user cell", init, { type: "user_message", itemId: "u1", text: "hi" }, { transcript: [{ kind: "user", itemId: "u1", text: "hi" }] }],
  ["user_message seen twice is added once",
    fold([{ type: "user_message", itemId: "u1", text: "hi" }]), { type: "user_message", itemId: "u1", text: "hi" },
    { transcript: [{ kind: "user", itemId: "u1", text: "hi" }] }],
  // beyond seed 004: file edits and tool calls
  ["patch adds one cell per item", running,
    { type: "patch", itemId: "f1", changes: [{ path: "a.ts", kind: "update" }], status: "inProgress" },
    { transcript: [{ kind: "patch", itemId: "f1", changes: [{ path: "a.ts", kind: "update" }], status: "inProgress" }] }],
  ["patch of a known item updates its cell in place",
    fold([{ type: "patch", itemId: "f1", changes: [{ path: "a.ts", kind: "update" }], status: "inProgress" }, { type: "user_message", itemId: "u", text: "x" }], running),
    { type: "patch", itemId: "f1", changes: [{ path: "a.ts", kind: "update" }], status: "completed" },
    { transcript: [{ kind: "patch", itemId: "f1", changes: [{ path: "a.ts", kind: "update" }], status: "completed" }, { kind: "user", itemId: "u", text: "x" }] }],
  ["tool_call adds a titled cell", running, { type: "tool_call", itemId: "m1", title: "github.search", status: "inProgress" },
    { transcript: [{ kind: "tool", itemId: "m1", title: "github.search", status: "inProgress" }] }],
  // input queue
  ["input_submitted queues trimmed text", init, { type: "input_submitted", text: "  next  " }, { queuedInputs: ["next"] }],
  ["input_submitted ignores blank text", init, { type: "input_submitted", text: "   " }, { queuedInputs: [] }],
  ["input_sent takes it off the queue and waits for the turn", { ...init, queuedInputs: ["a", "b"] }, { type: "input_sent", text: "a" },
    { queuedInputs: ["b"], awaitingTurnStart: true }],
  ["input_failed stops waiting and records the error", { ...init, awaitingTurnStart: true }, { type: "input_failed", text: "a", error: "nope" },
    { awaitingTurnStart: false, lastError: "nope" }],
  ["queue_cleared empties the queue", { ...init, queuedInputs: ["a", "b"] }, { type: "queue_cleared" }, { queuedInputs: [] }],
  ["queued_input_removed drops one queued input", { ...init, queuedInputs: ["a", "b", "c"] }, { type: "queued_input_removed", index: 1 },
    { queuedInputs: ["a", "c"] }],
  // turn ends beyond seed 004: a marker with codex's error
  ["turn_aborted (failed) keeps codex's error as the last error and on a marker", running,
    { type: "turn_aborted", turnId: "t1", at: 2_000, reason: "failed", error: "model unavailable" },
    { taskRunning: false, lastError: "model unavailable", transcript: [{ kind: "turn_end", turnId: "t1", status: "failed", error: "model unavailable" }] }],
  ["turn_aborted of a turn from history adds only its marker", fold([{ type: "user_message", itemId: "u", text: "x", turnId: "t0" }]),
    { type: "turn_aborted", turnId: "t0", at: 2_000, reason: "interrupted" },
    { taskRunning: false, lastError: undefined, transcript: [{ kind: "user", itemId: "u", text: "x" }, { kind: "turn_end", turnId: "t0", status: "interrupted" }] }],
  ["turn_aborted twice leaves one marker",
    fold([{ type: "turn_aborted", turnId: "t1", at: 2_000, reason: "interrupted" }], running),
    { type: "turn_aborted", turnId: "t1", at: 2_000, reason: "interrupted" }, { transcript: [{ kind: "turn_end", turnId: "t1" }] }],
  // reasoning cells: the summary under its header, parts as paragraphs, the final summary wins
  ["reasoning_delta on the summary channel opens a reasoning cell", running,
    { type: "reasoning_delta", key: "s0", delta: "**Reading**\n\nLook at", itemId: "r1", turnId: "t1", channel: "summary" },
    { transcript: [{ kind: "reasoning", itemId: "r1", turnId: "t1", summary: "**Reading**\n\nLook at", header: "Reading", done: false }] }],
  ["reasoning_delta of the next summary part is a new paragraph",
    fold([{ type: "reasoning_delta", key: "s0", delta: "**A** one", itemId: "r1", turnId: "t1", channel: "summary" }], running),
    { type: "reasoning_delta", key: "s1", delta: "**B** two", itemId: "r1", turnId: "t1", channel: "summary" },
    { statusHeader: "B", transcript: [{ kind: "reasoning", summary: "**A** one\n\n**B** two", header: "A" }] }],
  ["reasoning_delta of raw content sets the header but opens no cell", running,
    { type: "reasoning_delta", key: "c0", delta: "**Raw**", itemId: "r1", turnId: "t1", channel: "content" }, { statusHeader: "Raw", transcript: [] }],
  ["reasoning_done replaces the streamed summary",
    fold([{ type: "reasoning_delta", key: "s0", delta: "**A** on", itemId: "r1", turnId: "t1", channel: "summary" }], running),
    { type: "reasoning_done", itemId: "r1", turnId: "t1", summary: "**A** one" },
    { transcript: [{ kind: "reasoning", summary: "**A** one", done: true }] }],
  // plans of a turn
  ["plan_update of a turn updates that turn's cell in place, wherever it is",
    fold([{ type: "plan_update", turnId: "t1", steps: [{ step: "a", status: "pending" }] }, { type: "user_message", itemId: "u", text: "x", turnId: "t1" }], running),
    { type: "plan_update", turnId: "t1", explanation: "why", steps: [{ step: "a", status: "completed" }] },
    { plan: [{ step: "a", status: "completed" }], planTurnId: "t1", planExplanation: "why",
      transcript: [{ kind: "plan", turnId: "t1", explanation: "why", steps: [{ step: "a", status: "completed" }] }, { kind: "user", itemId: "u" }] }],
  // identity within a turn
  ["user_message: the same item id in another turn is another message",
    fold([{ type: "user_message", itemId: "u1", text: "first", turnId: "t1" }]), { type: "user_message", itemId: "u1", text: "second", turnId: "t2" },
    { transcript: [{ kind: "user", text: "first" }, { kind: "user", text: "second" }] }],
  ["agent_message with other text after the final one replaces it (the full reply after a preview)",
    fold([{ type: "agent_message", itemId: "m1", turnId: "t1", text: "Start of a long…" }], running),
    { type: "agent_message", itemId: "m1", turnId: "t1", text: "Start of a long reply\nin full" },
    { transcript: [{ kind: "agent", itemId: "m1", lines: ["Start of a long reply", "in full"], done: true }] }],
  ["exec_end keeps the item's status, duration and cwd",
    fold([{ type: "exec_begin", callId: "c1", turnId: "t1", command: "make", cwd: "/w", commandActions: [unknown] }], running),
    { type: "exec_end", callId: "c1", turnId: "t1", exitCode: 1, status: "failed", durationMs: 1234 },
    { transcript: [{ kind: "exec", call: expect.objectContaining({ callId: "c1", cwd: "/w", status: "failed", durationMs: 1234, exitCode: 1 }) as never }] }],
  // sent, steered and failed inputs
  ["input_sent shows the input as pending until its turn starts", { ...init, queuedInputs: ["a"] }, { type: "input_sent", text: "a" },
    { pendingInput: "a", awaitingTurnStart: true }],
  ["input_queued records the pending input's command", { ...init, pendingInput: "a", awaitingTurnStart: true }, { type: "input_queued", text: "a", commandId: "cmd1" },
    { pendingCommandId: "cmd1" }],
  ["turn_started clears the pending input", { ...init, pendingInput: "a", pendingCommandId: "cmd1", awaitingTurnStart: true }, started,
    { pendingInput: undefined, pendingCommandId: undefined }],
  ["input_steered takes it off the queue without waiting for a turn", { ...running, queuedInputs: ["a", "b"] }, { type: "input_steered", text: "b" },
    { queuedInputs: ["a"], awaitingTurnStart: false, taskRunning: true }],
  ["input_failed lists the input as failed", { ...init, pendingInput: "a", awaitingTurnStart: true }, { type: "input_failed", text: "a", error: "cancelled" },
    { pendingInput: undefined, failedInputs: [{ text: "a", error: "cancelled" }] }],
  ["failed_input_removed drops it", { ...init, failedInputs: [{ text: "a", error: "x" }, { text: "b", error: "y" }] }, { type: "failed_input_removed", index: 0 },
    { failedInputs: [{ text: "b", error: "y" }] }],
];

function expectExec(over: Record<string, unknown>) {
  return expect.objectContaining(over) as unknown as ConversationState["activeExec"];
}
function expectCall(callId: string, commandActions: CommandAction[]) {
  return expect.objectContaining({ callId, commandActions, done: true, exploring: true });
}

describe("reduceConversation", () => {
  test.each(rows)("%s", (_name, before, event, expected) => {
    expect(reduceConversation(before, event)).toMatchObject(expected);
  });

  test("never mutates its input", () => {
    const before = fold([{ type: "agent_message_delta", itemId: "m1", delta: "a\nb" }], running);
    const copy = structuredClone(before);
    reduceConversation(before, { type: "agent_message_delta", itemId: "m1", delta: "c\n" });
    reduceConversation(before, { type: "turn_completed", turnId: "t1", at: 9 });
    expect(before).toEqual(copy);
  });

  test("the queue sends one input at a time: after the turn ends, not while it runs or starts", () => {
    let s = fold([{ type: "input_submitted", text: "a" }, { type: "input_submitted", text: "b" }], running);
    expect(nextInputToSend(s)).toBeUndefined();
    s = reduceConversation(s, { type: "turn_completed", turnId: "t1", at: 2 });
    expect(nextInputToSend(s)).toBe("a");
    s = reduceConversation(s, { type: "input_sent", text: "a" });
    expect(nextInputToSend(s)).toBeUndefined();
    s = reduceConversation(s, { type: "turn_started", turnId: "t2", at: 3 });
    expect(nextInputToSend(s)).toBeUndefined();
    s = reduceConversation(s, { type: "turn_completed", turnId: "t2", at: 4 });
    expect(nextInputToSend(s)).toBe("b");
  });
});

describe("helpers", () => {
  test.each([
    ["no newline", "abc", [], "abc"],
    ["one full line", "abc\n", ["abc"], ""],
    ["lines and a rest", "a\n\nb\nc", ["a", "", "b"], "c"],
  ])("commitLines: %s", (_n, buffer, committed, rest) => {
    expect(commitLines(buffer)).toEqual({ committed, rest });
  });

  test.each([
    [read, "Read a.ts"],
    [list, "List src"],
    [search, "Search foo in src"],
    [unknown, "pnpm test"],
  ])("describeAction %#", (action, text) => {
    expect(describeAction(action)).toBe(text);
  });
});
