import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import {
  agentItem,
  alice,
  deltas,
  ingest,
  itemCompleted,
  itemStarted,
  lifecycle,
  newTest,
  snapshot,
  turnCompleted,
  turnStarted,
  userItem,
} from "./testdata/harness.testonly.js";
import { codexTranscript, indexOf, isDelta, isLifecycle, payloadOf, streamedByItem, turnIds } from "../protocol/testing/events.js";
import type { InboundEvent } from "./validators.js";

const TH = "thread-1";

describe("turn lifecycle", () => {
  test("turn/started upserts a turn a device command already inserted, and sets the active turn", async () => {
    const t = newTest();
    await t.run(async (ctx) => {
      await ctx.db.insert("threads", { tenantId: "acme", userId: "alice", threadId: TH, archived: false, turnCount: 1, messageCount: 0, createdAt: 1, updatedAt: 1 });
      await ctx.db.insert("turns", { tenantId: "acme", userId: "alice", threadId: TH, turnId: "T1", status: "inProgress", startedAt: 5 });
    });
    await ingest(t, alice, TH, [turnStarted("T1")]);
    const snap = await snapshot(t);
    expect(snap.turns).toHaveLength(1);
    expect(snap.threads).toMatchObject([{ activeTurnId: "T1", turnCount: 1 }]);
  });

  test("an interrupted turn closes open items, keeps partial text, aborts streams, expires pending requests", async () => {
    const t = newTest();
    const partial = "Partial answer that was cut";
    const events: InboundEvent[] = [
      turnStarted("T1"),
      itemStarted("T1", userItem("u1", "Do it")),
      itemCompleted("T1", userItem("u1", "Do it")),
      itemStarted("T1", agentItem("a1")),
      ...deltas("T1", "a1", partial, 5),
      itemStarted("T1", { type: "commandExecution", id: "c1", command: "rm -rf build", cwd: "/w", status: "inProgress", commandActions: [], aggregatedOutput: null }),
      ...deltas("T1", "c1", "removing…", 4, { channel: "commandOutput" }),
      itemStarted("T1", { type: "reasoning", id: "r1", summary: [], content: [] }),
      lifecycle("item/reasoning/summaryPartAdded", { threadId: TH, turnId: "T1", itemId: "r1", summaryIndex: 0 }),
      ...deltas("T1", "r1", "Thinking hard", 6, { channel: "reasoningSummary", streamId: "T1/r1/reasoningSummary/0" }),
      {
        type: "server_request",
        eventId: "req:0",
        turnId: "T1",
        itemId: "c1",
        requestId: 0,
        method: "item/commandExecution/requestApproval",
        paramsJson: JSON.stringify({ threadId: TH, turnId: "T1", itemId: "c1", command: "rm -rf build", cwd: "/w", reason: "cleanup", availableDecisions: ["accept", "decline"] }),
        createdAt: 1,
      },
    ];
    await ingest(t, alice, TH, events);
    let snap = await snapshot(t);
    expect(snap.threads).toMatchObject([{ activeTurnId: "T1" }]);
    expect(snap.messages).toMatchObject([{ role: "user", status: "completed" }, { role: "assistant", status: "streaming", text: "" }]);

    await ingest(t, alice, TH, [turnCompleted("T1", "interrupted")]);
    snap = await snapshot(t);
    expect((snap.threads[0] as { activeTurnId?: string }).activeTurnId).toBeUndefined();
    expect(snap.turns).toMatchObject([{ status: "interrupted", durationMs: 1234 }]);
    expect(snap.messages).toMatchObject([{ status: "completed", text: "Do it" }, { status: "interrupted", text: partial }]);
    const items = snap.items as Array<{ itemId: string; status: string }>;
    expect(Object.fromEntries(items.map((i) => [i.itemId, i.status]))).toEqual({ u1: "completed", a1: "interrupted", c1: "interrupted", r1: "interrupted" });
    expect((snap.items as Array<{ itemId: string; details: unknown }>).find((i) => i.itemId === "a1")!.details).toEqual({ type: "agentMessage", text: partial });
    expect(snap.reasoning_segments).toMatchObject([{ status: "interrupted", text: "Thinking hard" }]);
    expect((snap.streams as Array<{ status: string }>).map((s) => s.status)).toEqual(["aborted", "aborted", "aborted"]);
    expect(snap.approvals).toMatchObject([{ status: "expired" }]);
    expect(snap.server_requests).toMatchObject([{ status: "expired" }]);

    // Deltas for a closed stream are refused; re-sent old ones are duplicates.
    const late = await ingest(t, alice, TH, [...deltas("T1", "a1", partial, 5), ...deltas("T1", "a1", " more", 5, { from: partial.length })]);
    expect(late.duplicates).toBe(Math.ceil(partial.length / 5));
    expect(late.rejected.map((r) => r.code)).toEqual(["E_STREAM_CLOSED"]);
  });

  test("codex interrupted mid-reply (recorded): the reply keeps what streamed, its stream is aborted, later deltas are refused", async () => {
    const t = newTest();
    const { threadId, events } = codexTranscript("interrupt");
    const [turnId] = turnIds(events);
    const ended = indexOf(events, isLifecycle("turn/completed"));
    expect(payloadOf(events[ended]!).turn.status).toBe("interrupted");
    // codex sent no item/completed for the reply: only the stream knows its text.
    expect(events.filter(isLifecycle("item/completed", "agentMessage"))).toEqual([]);
    const [replyId, partial] = [...streamedByItem(events, "agentMessage")][0]!;
    expect(partial!.length).toBeGreaterThan(0);

    await ingest(t, alice, threadId, events.slice(0, ended));
    expect((await snapshot(t)).messages).toMatchObject([{ role: "user" }, { role: "assistant", status: "streaming", text: "" }]);
    await ingest(t, alice, threadId, events.slice(ended));
    const snap = await snapshot(t);
    expect((snap.threads[0] as { activeTurnId?: string }).activeTurnId).toBeUndefined();
    expect(snap.turns).toMatchObject([{ turnId, status: "interrupted" }]);
    expect(snap.messages).toMatchObject([{ status: "completed" }, { itemId: replyId, status: "interrupted", text: partial }]);
    expect(snap.items).toMatchObject([{ status: "completed" }, { itemId: replyId, status: "interrupted", details: { type: "agentMessage", text: partial } }]);
    expect(snap.streams).toMatchObject([{ status: "aborted", cursor: partial!.length }]);

    // The recorded deltas again are duplicates; one past the end is refused on a closed stream.
    const [last] = events.filter(isDelta("agentMessage")).slice(-1) as Array<Extract<InboundEvent, { type: "stream_delta" }>>;
    const more = { ...last!, eventId: `${last!.streamId}@${last!.cursorEnd}`, delta: "x", cursorStart: last!.cursorEnd, cursorEnd: last!.cursorEnd + 1 };
    const late = await ingest(t, alice, threadId, [...events.filter(isDelta()), more]);
    expect(late.duplicates).toBe(events.filter(isDelta()).length);
    expect(late.rejected.map((r) => r.code)).toEqual(["E_STREAM_CLOSED"]);
  });

  test("a model outage (recorded): the error notification and the failed turn land on the turn", async () => {
    const t = newTest();
    const { threadId, events } = codexTranscript("model-error");
    const error = payloadOf(events[indexOf(events, isLifecycle("error"))]!).error as { message: string; codexErrorInfo: string };
    const ended = indexOf(events, isLifecycle("turn/completed"));
    await ingest(t, alice, threadId, events.slice(0, ended));
    expect((await snapshot(t)).turns).toMatchObject([{ status: "inProgress", error: { message: error.message, codexErrorInfo: error.codexErrorInfo } }]);
    expect((await ingest(t, alice, threadId, events.slice(ended))).rejected).toEqual([]);
    const snap = await snapshot(t);
    expect(snap.turns).toMatchObject([{ status: "failed", error: { message: error.message, codexErrorInfo: "internalServerError" } }]);
    expect((snap.threads[0] as { activeTurnId?: string }).activeTurnId).toBeUndefined();
    expect(snap.messages).toMatchObject([{ role: "user", status: "completed" }]);
  });

  test("a failed turn stores its error; error notifications land on the turn", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [
      turnStarted("T1"),
      lifecycle("error", { threadId: TH, turnId: "T1", willRetry: false, error: { message: "stream disconnected", codexErrorInfo: { httpConnectionFailed: { httpStatusCode: 500 } } } }),
    ]);
    let snap = await snapshot(t);
    expect(snap.turns).toMatchObject([{ status: "inProgress", error: { message: "stream disconnected", codexErrorInfo: '{"httpConnectionFailed":{"httpStatusCode":500}}' } }]);
    await ingest(t, alice, TH, [turnCompleted("T1", "failed", { message: "boom", codexErrorInfo: "other" })]);
    snap = await snapshot(t);
    expect(snap.turns).toMatchObject([{ status: "failed", error: { message: "boom", codexErrorInfo: "other" } }]);
  });

  test("a retry notice shows on the running turn; a turn that gets through or is stopped drops it, one that fails keeps its own error", async () => {
    const t = newTest();
    const retrying = (turnId: string, attempt: number) =>
      lifecycle("error", { threadId: TH, turnId, willRetry: true, error: { message: `Reconnecting... ${attempt}/5`, codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: 429 } } } });
    await ingest(t, alice, TH, [turnStarted("T1"), retrying("T1", 1), retrying("T1", 2)]);
    expect((await snapshot(t)).turns).toMatchObject([{ status: "inProgress", error: { message: "Reconnecting... 2/5", willRetry: true } }]);
    await ingest(t, alice, TH, [turnCompleted("T1", "completed"), turnStarted("T3"), retrying("T3", 1), turnCompleted("T3", "interrupted")]);
    for (const turn of (await snapshot(t)).turns) expect(turn).not.toHaveProperty("error");

    await ingest(t, alice, TH, [turnStarted("T2"), retrying("T2", 1), turnCompleted("T2", "failed", { message: "exceeded retry limit", codexErrorInfo: "other" })]);
    const failed = (await snapshot(t)).turns.find((turn) => (turn as { turnId: string }).turnId === "T2");
    expect(failed).toMatchObject({ status: "failed", error: { message: "exceeded retry limit" } });
    expect((failed as { error: object }).error).not.toHaveProperty("willRetry");
    // A failure codex gave no reason for keeps the last notice, as a failure's reason.
    await ingest(t, alice, TH, [turnStarted("T4"), retrying("T4", 5), turnCompleted("T4", "failed")]);
    const silent = (await snapshot(t)).turns.find((turn) => (turn as { turnId: string }).turnId === "T4");
    expect((silent as { error: object }).error).toEqual({ message: "Reconnecting... 5/5", codexErrorInfo: '{"responseStreamDisconnected":{"httpStatusCode":429}}' });
  });

  test("a reply codex abandoned before any text (a provider failing, retried) leaves no empty message; one with text stays interrupted", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [
      turnStarted("T1"),
      itemStarted("T1", userItem("u1", "Hi")),
      itemCompleted("T1", userItem("u1", "Hi")),
      itemStarted("T1", agentItem("a1")),
      itemStarted("T1", agentItem("a2")),
      ...deltas("T1", "a2", "Half a rep", 2),
      itemStarted("T1", agentItem("a3")),
      itemCompleted("T1", agentItem("a3", "The answer.")),
      turnCompleted("T1", "completed"),
    ]);
    const snap = await snapshot(t);
    type Row = { itemId: string; status: string; text?: string };
    expect((snap.messages as Row[]).map((m) => [m.itemId, m.status, m.text])).toEqual([
      ["u1", "completed", "Hi"],
      ["a2", "interrupted", "Half a rep"],
      ["a3", "completed", "The answer."],
    ]);
    expect((snap.items as Row[]).map((i) => [i.itemId, i.status])).toEqual([
      ["u1", "completed"],
      ["a2", "interrupted"],
      ["a3", "completed"],
    ]);
    expect(snap.threads).toMatchObject([{ messageCount: 3 }]);
  });

  test("a retry that got through: the turn's next item clears the notice while the turn still runs", async () => {
    const t = newTest();
    const notice = lifecycle("error", { threadId: TH, turnId: "T1", willRetry: true, error: { message: "Reconnecting... 1/5", codexErrorInfo: null } });
    await ingest(t, alice, TH, [turnStarted("T1"), notice]);
    expect((await snapshot(t)).turns).toMatchObject([{ status: "inProgress", error: { willRetry: true } }]);
    await ingest(t, alice, TH, [itemStarted("T1", agentItem("a1")), ...deltas("T1", "a1", "Through", 1)]);
    const [running] = (await snapshot(t)).turns;
    expect(running).toMatchObject({ status: "inProgress" });
    expect(running).not.toHaveProperty("error");
    // A real error is no notice: the turn's next item leaves it.
    await ingest(t, alice, TH, [lifecycle("error", { threadId: TH, turnId: "T1", willRetry: false, error: { message: "bad", codexErrorInfo: null } }), itemCompleted("T1", agentItem("a1", "Through"))]);
    expect((await snapshot(t)).turns).toMatchObject([{ error: { message: "bad" } }]);
  });

  test("a turn that ended takes no new stream: a late first delta is refused, no message comes back", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", agentItem("a1")), turnCompleted("T1", "interrupted")]);
    const result = await ingest(t, alice, TH, deltas("T1", "a1", "late", 4));
    expect(result.rejected).toMatchObject([{ code: "E_STREAM_CLOSED" }]);
    const snap = await snapshot(t);
    expect(snap.messages).toEqual([]);
    expect(snap.streams).toEqual([]);
  });

  test("a stream with zero deltas finishes cleanly from item/completed alone", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", agentItem("a1")), itemCompleted("T1", agentItem("a1", "Short reply")), turnCompleted("T1", "completed")]);
    const snap = await snapshot(t);
    expect(snap.messages).toMatchObject([{ role: "assistant", status: "completed", text: "Short reply" }]);
    expect(snap.streams).toEqual([]);
    expect(snap.stream_deltas).toEqual([]);
    const replay = await t.query(api.streams.replay, { actor: alice, threadId: TH, streamCursorsById: [] });
    expect(replay).toEqual({ streams: [], deltas: [], streamWindows: [], nextCheckpoints: [] });
  });

  test("diff, token usage, thread name and metadata", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [
      lifecycle("thread/started", { thread: { id: TH, preview: "", model: "gpt-5.5", cwd: "/work", name: null } }),
      turnStarted("T1"),
      lifecycle("turn/diff/updated", { threadId: TH, turnId: "T1", diff: "--- a\n+++ b\n" }),
      lifecycle("thread/tokenUsage/updated", {
        threadId: TH,
        turnId: "T1",
        tokenUsage: {
          total: { totalTokens: 10, inputTokens: 7, cachedInputTokens: 1, cacheWriteInputTokens: 0, outputTokens: 3, reasoningOutputTokens: 2 },
          last: { totalTokens: 10, inputTokens: 7, cachedInputTokens: 1, cacheWriteInputTokens: 0, outputTokens: 3, reasoningOutputTokens: 2 },
          modelContextWindow: 200000,
        },
      }),
      lifecycle("thread/name/updated", { threadId: TH, threadName: "Fix the build" }),
    ]);
    const snap = await snapshot(t);
    expect(snap.threads).toMatchObject([{ model: "gpt-5.5", cwd: "/work", name: "Fix the build" }]);
    expect(snap.turns).toMatchObject([{ diff: "--- a\n+++ b\n" }]);
    expect(snap.token_usage).toMatchObject([{ inputTokens: 7, cachedInputTokens: 1, reasoningOutputTokens: 2, modelContextWindow: 200000 }]);
  });

  test("every codex ThreadItem type maps to typed details; unknown types become `other`", async () => {
    const t = newTest();
    const items = [
      { type: "plan", id: "p", text: "1. do" },
      { type: "fileChange", id: "f", status: "completed", changes: [{ path: "a.txt", kind: { type: "add" }, diff: "+hi" }, { path: "b.txt", kind: { type: "update", move_path: "c.txt" }, diff: "-x\n+y" }] },
      { type: "mcpToolCall", id: "m", server: "docs", tool: "search", status: "failed", arguments: { q: 1 }, result: null, error: { message: "nope" }, durationMs: 5 },
      { type: "dynamicToolCall", id: "d", tool: "lookup", namespace: null, arguments: { a: 1 }, status: "completed", contentItems: null, success: true, durationMs: 2 },
      { type: "collabAgentToolCall", id: "k", tool: "spawnAgent", status: "completed", senderThreadId: TH, receiverThreadIds: ["t2"], prompt: "help", agentsStates: {} },
      { type: "webSearch", id: "w", query: "convex", action: null },
      { type: "imageView", id: "i", path: "/img.png" },
      { type: "imageGeneration", id: "g", status: "done", revisedPrompt: "a cat", failure: null, savedPath: "/cat.png" },
      { type: "enteredReviewMode", id: "e", review: "r" },
      { type: "exitedReviewMode", id: "x", review: "r" },
      { type: "contextCompaction", id: "cc" },
      { type: "commandExecution", id: "c", command: "ls", cwd: "/w", status: "declined", source: "agent", commandActions: [{ type: "listFiles", command: "ls", path: null }, { type: "read", command: "cat a", name: "a", path: "/w/a" }, { type: "search", command: "rg x", query: "x", path: null }], aggregatedOutput: null, exitCode: null, durationMs: null },
      { type: "hookPrompt", id: "h", fragments: [] },
    ];
    await ingest(t, alice, TH, [turnStarted("T1"), ...items.map((item) => itemCompleted("T1", item))]);
    const stored = await t.query(api.items.listItems, { actor: alice, threadId: TH, turnId: "T1" });
    const byId = Object.fromEntries(stored.map((i) => [i.itemId, i]));
    expect(byId.p!.details).toEqual({ type: "plan", text: "1. do" });
    expect(byId.f!.details).toEqual({ type: "fileChange", changes: [{ path: "a.txt", kind: "add", diff: "+hi" }, { path: "b.txt", kind: "update", movePath: "c.txt", diff: "-x\n+y" }] });
    expect(byId.m!.details).toEqual({ type: "mcpToolCall", server: "docs", tool: "search", argumentsJson: '{"q":1}', error: "nope", durationMs: 5 });
    expect(byId.m!.status).toBe("failed");
    expect(byId.d!.details).toEqual({ type: "dynamicToolCall", tool: "lookup", argumentsJson: '{"a":1}', success: true, durationMs: 2 });
    expect(byId.k!.details).toEqual({ type: "collabAgentToolCall", tool: "spawnAgent", prompt: "help", receiverThreadIds: ["t2"] });
    expect(byId.w!.details).toEqual({ type: "webSearch", query: "convex" });
    expect(byId.i!.details).toEqual({ type: "imageView", path: "/img.png" });
    expect(byId.g!.details).toEqual({ type: "imageGeneration", revisedPrompt: "a cat", savedPath: "/cat.png" });
    expect(byId.e!.details).toEqual({ type: "enteredReviewMode", review: "r" });
    expect(byId.x!.details).toEqual({ type: "exitedReviewMode", review: "r" });
    expect(byId.cc!.details).toEqual({ type: "contextCompaction" });
    expect(byId.c!.status).toBe("declined");
    expect(byId.c!.details).toEqual({
      type: "commandExecution",
      command: "ls",
      cwd: "/w",
      source: "agent",
      commandActions: [
        { type: "listFiles", command: "ls", path: null },
        { type: "read", command: "cat a", name: "a", path: "/w/a" },
        { type: "search", command: "rg x", query: "x", path: null },
      ],
    });
    expect(byId.h!.details).toEqual({ type: "other", itemType: "hookPrompt" });
  });
});

describe("stream deltas", () => {
  test("partial overlap stores only the new tail; a gap is rejected with the stored cursor returned", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", agentItem("a1")), ...deltas("T1", "a1", "Hello", 5)]);
    const overlap = deltas("T1", "a1", "lo world", 8, { from: 3 });
    const gap = deltas("T1", "a1", "!!", 2, { from: 20 });
    const result = await ingest(t, alice, TH, [...overlap, ...gap]);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toMatchObject([{ code: "E_STREAM_GAP" }]);
    expect(result.streamCursors).toEqual([{ streamId: "T1/a1/agentMessage", cursor: 11 }]);
    const snap = await snapshot(t);
    expect((snap.stream_deltas as Array<{ t: string; s: number }>).map((d) => [d.s, d.t])).toEqual([[0, "Hello"], [5, " world"]]);
    await ingest(t, alice, TH, [turnCompleted("T1", "interrupted")]);
    expect((await snapshot(t)).messages).toMatchObject([{ text: "Hello world", status: "interrupted" }]);
  });

  test("a new stream must start at 0; the answer says where it is", async () => {
    const t = newTest();
    const result = await ingest(t, alice, TH, deltas("T1", "a1", "late start", 5, { from: 7 }));
    expect(result.rejected.map((r) => r.code)).toEqual(["E_STREAM_GAP", "E_STREAM_GAP"]);
    expect(result.streamCursors).toEqual([{ streamId: "T1/a1/agentMessage", cursor: 0 }]);
    expect((await snapshot(t)).streams).toEqual([]);
  });

  test("message order is monotonic per thread even when items share a timestamp", async () => {
    const t = newTest();
    const at = 1_800_000_000_000;
    await ingest(t, alice, TH, [
      turnStarted("T1"),
      itemCompleted("T1", { ...userItem("u1", "one"), startedAtMs: at }),
      itemCompleted("T1", { ...agentItem("a1", "two"), startedAtMs: at }),
      itemCompleted("T1", { ...agentItem("a2", "three"), startedAtMs: at - 5 }),
    ]);
    const messages = await t.query(api.messages.listTurnMessages, { actor: alice, threadId: TH, turnId: "T1" });
    expect(messages.map((m) => m.text)).toEqual(["one", "two", "three"]);
  });

  test("delta-only batches leave the thread row alone; the session row stays active", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", agentItem("a1"))]);
    const threadBefore = (await snapshot(t)).threads[0];
    await ingest(t, alice, TH, deltas("T1", "a1", "streaming text", 3));
    await ingest(t, alice, TH, deltas("T1", "a1", " and more", 3, { from: 14 }));
    expect((await snapshot(t)).threads[0]).toEqual(threadBefore);
    const sessions = await t.run((ctx) => ctx.db.query("sessions").collect());
    expect(sessions).toMatchObject([{ sessionId: "session-1", status: "active", deviceId: "laptop", userId: "alice" }]);
  });

  test("reasoning parts stream into their own segments, by `index` or by the stream id's trailing number", async () => {
    const t = newTest();
    const part = (index: number, text: string, withIndexField: boolean) =>
      deltas("T1", "r1", text, 4, { channel: "reasoningSummary", streamId: `T1/r1/reasoningSummary/${index}` }).map((e) =>
        withIndexField ? { ...e, index } : e,
      );
    await ingest(t, alice, TH, [
      turnStarted("T1"),
      itemStarted("T1", { type: "reasoning", id: "r1", summary: [], content: [] }),
      ...part(0, "First part.", true),
      ...part(1, "Second part.", false),
    ]);
    const page = await t.query(api.reasoning.listReasoningByThread, { actor: alice, threadId: TH, paginationOpts: { numItems: 10, cursor: null } });
    expect(page.page.map((s) => [s.index, s.status, s.streamId])).toEqual([
      [1, "streaming", "T1/r1/reasoningSummary/1"],
      [0, "streaming", "T1/r1/reasoningSummary/0"],
    ]);
    await ingest(t, alice, TH, [itemCompleted("T1", { type: "reasoning", id: "r1", summary: ["First part.", "Second part."], content: [] })]);
    const done = await t.query(api.reasoning.listReasoningByThread, { actor: alice, threadId: TH, paginationOpts: { numItems: 10, cursor: null } });
    expect(done.page.map((s) => [s.index, s.status, s.text])).toEqual([
      [1, "completed", "Second part."],
      [0, "completed", "First part."],
    ]);
  });
});
