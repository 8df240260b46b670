import { describe, expect, test } from "vitest";
import { codexTranscript, indexOf, isDelta, isLifecycle, isServerRequest, payloadOf, turnIds, userText } from "../protocol/testing/events.js";
import { api } from "./_generated/api.js";
import { alice, bob, ingest, lifecycle, newTest, snapshot } from "./testdata/harness.testonly.js";
import type { InboundEvent } from "./validators.js";

/** A recorded conversation normalized by the real protocol layer, with what codex streamed. */
function recorded(name: string) {
  const c = codexTranscript(name);
  const [turnId] = turnIds(c.events);
  const streamed = (channel: string) =>
    c.events
      .filter(isDelta(channel))
      .map((e) => (e as Extract<InboundEvent, { type: "stream_delta" }>).delta)
      .join("");
  return { ...c, turnId: turnId!, streamed };
}

/** Splits events into batches the way an outbox flushing every few events would. */
function inBatches(events: InboundEvent[], size: number): InboundEvent[][] {
  const out: InboundEvent[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}

describe("ingest of recorded codex output", () => {
  test("a text turn: turn, items, messages, one merged delta row, token usage", async () => {
    const t = newTest();
    const f = recorded("streamed-text");
    const result = await ingest(t, alice, f.threadId, f.events);
    expect(result.rejected).toEqual([]);
    expect(result.accepted).toBe(f.events.length);

    const snap = await snapshot(t);
    const [thread] = snap.threads as Array<{ activeTurnId?: string; turnCount: number; messageCount: number; cwd?: string; model?: string; preview?: string }>;
    expect(thread!.activeTurnId).toBeUndefined();
    expect(thread!.turnCount).toBe(1);
    expect(thread!.messageCount).toBe(2);
    expect(thread!.cwd).toMatch(/^\/tmp\/codex-cwd-/);
    expect(thread!.model).toBe("gpt-5.5");
    expect(thread!.preview).toBe(userText(f.events));
    const [turn] = snap.turns as Array<{ turnId: string; status: string; durationMs?: number }>;
    expect(turn).toMatchObject({ turnId: f.turnId, status: "completed" });
    expect(turn!.durationMs).toBeTypeOf("number");

    const messages = await t.query(api.messages.listTurnMessages, { actor: alice, threadId: f.threadId, turnId: f.turnId });
    expect(messages.map((m) => [m.role, m.status])).toEqual([["user", "completed"], ["assistant", "completed"]]);
    expect(messages[0]!.text).toBe("Grüße 🌍 — stream this back to me, please");
    const streamedText = f.streamed("agentMessage");
    expect(streamedText).toBe("You said: Grüße 🌍 — stream this back to me, please");
    expect(messages[1]!.text).toBe(streamedText);
    expect(messages[1]!.streamId).toBe(`${f.turnId}/${messages[1]!.itemId}/agentMessage`);

    const items = await t.query(api.items.listItems, { actor: alice, threadId: f.threadId, turnId: f.turnId });
    expect(items.map((i) => i.details.type)).toEqual(["userMessage", "agentMessage"]);
    expect(items.every((i) => i.status === "completed")).toBe(true);
    expect(items[1]!.details).toMatchObject({ type: "agentMessage", text: streamedText });

    // Every delta in one call: one stored row holding the whole text (cursors in UTF-16 units).
    const deltaCount = f.events.filter(isDelta("agentMessage")).length;
    expect(deltaCount).toBeGreaterThan(1);
    expect(snap.stream_deltas).toHaveLength(1);
    expect((snap.stream_deltas[0] as { text: string }).text).toBe(streamedText);
    expect(snap.streams).toMatchObject([{ status: "finished", cursor: streamedText.length, deltaCount }]);
    expect(snap.token_usage).toMatchObject([{ turnId: f.turnId, inputTokens: 100, outputTokens: 51, totalTokens: 151 }]);
    expect(result.streamCursors).toEqual([{ streamId: messages[1]!.streamId, cursor: streamedText.length }]);
  });

  test("re-sending the same batch changes nothing", async () => {
    const t = newTest();
    const f = recorded("streamed-text");
    await ingest(t, alice, f.threadId, f.events);
    const before = await snapshot(t);
    const again = await ingest(t, alice, f.threadId, f.events);
    expect(again).toMatchObject({ accepted: 0, duplicates: f.events.length, rejected: [] });
    expect(await snapshot(t)).toEqual(before);
  });

  test("a reasoning turn sent in small batches: segments per part, typed item, one delta row per batch", async () => {
    const t = newTest();
    const f = recorded("reasoning");
    const batches = inBatches(f.events, 4);
    for (const batch of batches) expect((await ingest(t, alice, f.threadId, batch)).rejected).toEqual([]);

    const reasoningItem = payloadOf(f.events[indexOf(f.events, isLifecycle("item/completed", "reasoning"))]!).item as {
      summary: string[];
      content: string[];
    };
    expect(reasoningItem.summary).toHaveLength(2);
    const page = await t.query(api.reasoning.listReasoningByThread, {
      actor: alice,
      threadId: f.threadId,
      paginationOpts: { numItems: 10, cursor: null },
    });
    const segments = page.page.map((s) => [s.channel, s.index, s.status, s.text]).sort();
    expect(segments).toEqual(
      [
        ["raw", 0, "completed", reasoningItem.content[0]],
        ["summary", 0, "completed", reasoningItem.summary[0]],
        ["summary", 1, "completed", reasoningItem.summary[1]],
      ].sort(),
    );
    // Each part's stream carried exactly what the finished item says.
    expect(f.streamed("reasoningSummary")).toBe(reasoningItem.summary.join(""));
    const items = await t.query(api.items.listItems, { actor: alice, threadId: f.threadId });
    expect(items.find((i) => i.details.type === "reasoning")!.details).toEqual({ type: "reasoning", summary: reasoningItem.summary, content: reasoningItem.content });
    const messages = await t.query(api.messages.listTurnMessages, { actor: alice, threadId: f.threadId, turnId: f.turnId });
    expect(messages[1]!.text).toBe(f.streamed("agentMessage"));

    // Each batch that carried deltas of a stream stored exactly one row for it.
    const snap = await snapshot(t);
    const streams = snap.streams as Array<{ _id: string; streamId: string }>;
    expect(streams.map((s) => s.streamId.split("/").slice(2).join("/")).sort()).toEqual(
      ["agentMessage", "reasoningContent/0", "reasoningSummary/0", "reasoningSummary/1"],
    );
    for (const stream of streams) {
      const batchesWithDeltas = batches.filter((b) => b.some((e) => e.type === "stream_delta" && e.streamId === stream.streamId)).length;
      const rows = (snap.stream_deltas as Array<{ stream: string; text: string }>).filter((d) => d.stream === stream._id);
      expect(rows).toHaveLength(batchesWithDeltas);
    }
  });

  test("a command-approval turn: server request, typed approval, resolution, typed command item", async () => {
    const t = newTest();
    const f = recorded("command-accept");
    const request = f.events[indexOf(f.events, isServerRequest)]!;
    const upToRequest = f.events.slice(0, f.events.indexOf(request) + 1);
    await ingest(t, alice, f.threadId, upToRequest);

    let snap = await snapshot(t);
    expect(snap.server_requests).toMatchObject([{ requestId: 0, status: "pending", method: "item/commandExecution/requestApproval", turnId: f.turnId }]);
    expect(snap.approvals).toMatchObject([
      {
        kind: "commandExecution",
        status: "pending",
        reason: "The user asked to run this command.",
        command: "/bin/bash -lc 'echo approved-run'",
      },
    ]);
    expect((snap.approvals[0] as { availableDecisions: string[] }).availableDecisions).toContain("accept");
    expect((snap.approvals[0] as { cwd: string }).cwd).toMatch(/^\/tmp\/codex-cwd-/);

    const rest = await ingest(t, alice, f.threadId, f.events.slice(upToRequest.length));
    expect(rest.rejected).toEqual([]);
    snap = await snapshot(t);
    // codex was answered outside this component, so the approval nobody answered here expires.
    expect(snap.server_requests).toMatchObject([{ status: "resolved" }]);
    expect(snap.approvals).toMatchObject([{ status: "expired" }]);
    const items = await t.query(api.items.listItems, { actor: alice, threadId: f.threadId, turnId: f.turnId });
    const command = items.find((i) => i.details.type === "commandExecution")!;
    expect(command.status).toBe("completed");
    expect(command.details).toMatchObject({
      command: "/bin/bash -lc 'echo approved-run'",
      aggregatedOutput: "approved-run\n",
      exitCode: 0,
      commandActions: [{ type: "unknown", command: "echo approved-run" }],
    });
    expect(f.streamed("commandOutput")).toBe("approved-run\n");
    expect(JSON.parse(command.payloadJson)).toMatchObject({ type: "commandExecution", id: command.itemId });

    // Re-sending the server request (same session, same request id) is a duplicate.
    const again = await ingest(t, alice, f.threadId, [request]);
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});

describe("rejections and caps", () => {
  test("a malformed event is rejected with a code while the rest of the batch lands", async () => {
    const t = newTest();
    const f = recorded("streamed-text");
    const broken: InboundEvent = { ...(lifecycle("warning", {}, { eventId: "broken-json" }) as Extract<InboundEvent, { type: "lifecycle_event" }>), payloadJson: "{not json" };
    const wrongShape = lifecycle("item/completed", { turnId: f.turnId, item: { id: 42 } }, { eventId: "wrong-shape" });
    const badCursor: InboundEvent = { type: "stream_delta", eventId: "bad-cursor", turnId: f.turnId, itemId: "x", streamId: "s", channel: "agentMessage", delta: "abc", cursorStart: 0, cursorEnd: 5, createdAt: 1 };
    const events = [...f.events.slice(0, 5), broken, wrongShape, badCursor, ...f.events.slice(5)];
    const result = await ingest(t, alice, f.threadId, events);
    expect(result.rejected.map((r) => [r.eventId, r.code])).toEqual([
      ["broken-json", "E_MALFORMED_EVENT"],
      ["wrong-shape", "E_MALFORMED_EVENT"],
      ["bad-cursor", "E_MALFORMED_EVENT"],
    ]);
    expect(result.accepted).toBe(f.events.length);
    const messages = await t.query(api.messages.listTurnMessages, { actor: alice, threadId: f.threadId, turnId: f.turnId });
    expect(messages[1]!.text).toBe(f.streamed("agentMessage"));
    // Rejected events are not stored: re-sending them later, fixed, still works.
    const fixed = await ingest(t, alice, f.threadId, [{ ...broken, payloadJson: '{"message":"fixed"}' }]);
    expect(fixed.accepted).toBe(1);
  });

  test("unknown codex methods are stored verbatim", async () => {
    const t = newTest();
    // Bigger than the raw copies kept of projected events: this row is the only copy.
    const payload = { threadId: "th", something: { nested: [1, 2, 3], blob: "b".repeat(50_000) } };
    await ingest(t, alice, "th", [lifecycle("thread/futureThing/changed", payload, { eventId: "future-1" })]);
    const snap = await snapshot(t);
    expect(snap.lifecycle_events).toMatchObject([{ kind: "thread/futureThing/changed", eventId: "future-1", payloadJson: JSON.stringify(payload) }]);
  });

  test("too many events or bytes: E_BATCH_TOO_LARGE before anything is written", async () => {
    const t = newTest();
    const many = Array.from({ length: 1001 }, (_, i) => lifecycle("warning", { i }, { eventId: `w${i}` }));
    await expect(ingest(t, alice, "th", many)).rejects.toThrow(/E_BATCH_TOO_LARGE/);
    // 1.5 Mi characters, but 3 bytes each: over the batch's byte cap (a character cap would let it in).
    const huge = lifecycle("warning", { text: "界".repeat(1.5 * 1024 * 1024) }, { eventId: "huge" });
    await expect(ingest(t, alice, "th", [lifecycle("warning", {}, { eventId: "ok" }), huge])).rejects.toThrow(/E_BATCH_TOO_LARGE/);
    const snap = await snapshot(t);
    expect(snap.threads).toEqual([]);
    expect(snap.lifecycle_events).toEqual([]);
  });

  test("malformed actor or ids are a typed error", async () => {
    const t = newTest();
    await expect(ingest(t, { tenantId: "", userId: "u" }, "th", [])).rejects.toThrow(/E_INVALID_ARGUMENT/);
    await expect(ingest(t, alice, "", [])).rejects.toThrow(/E_INVALID_ARGUMENT/);
    await expect(ingest(t, alice, "th", [], "   ")).rejects.toThrow(/E_INVALID_ARGUMENT/);
    await expect(ingest(t, alice, "th", [lifecycle("warning", {}, { eventId: " " })])).rejects.toThrow(/E_INVALID_ARGUMENT/);
    await expect(ingest(t, alice, "th", [lifecycle("warning", {}, { turnId: "" })])).rejects.toThrow(/E_INVALID_ARGUMENT/);
    expect((await snapshot(t)).threads).toEqual([]);
  });
});

describe("tenant isolation", () => {
  test("another user reads nothing of a thread, and ingesting with its id creates their own", async () => {
    const t = newTest();
    const f = recorded("streamed-text");
    await ingest(t, alice, f.threadId, f.events);
    const aliceBefore = await snapshot(t);

    const page = await t.query(api.messages.listMessages, { actor: bob, threadId: f.threadId, paginationOpts: { numItems: 50, cursor: null } });
    expect(page.page).toEqual([]);
    expect(await t.query(api.items.listItems, { actor: bob, threadId: f.threadId })).toEqual([]);
    const replay = await t.query(api.streams.replay, { actor: bob, threadId: f.threadId, streamCursorsById: [] });
    expect(replay.streams).toEqual([]);
    const stolen = (aliceBefore.streams[0] as { streamId: string }).streamId;
    const named = await t.query(api.streams.replay, { actor: bob, threadId: f.threadId, streamCursorsById: [{ streamId: stolen, cursor: 0 }] });
    expect(named.deltas).toEqual([]);
    expect(named.streamWindows).toEqual([{ streamId: stolen, status: "stale", serverCursor: 0, hasMore: false }]);
    await expect(
      t.mutation(api.streams.saveCheckpoint, { actor: bob, threadId: f.threadId, cursors: [{ streamId: stolen, cursor: 3 }] }),
    ).rejects.toThrow(/E_THREAD_NOT_FOUND/);
    // Same tenant, other tenant: both isolated.
    const otherTenant = { ...alice, tenantId: "globex" };
    expect((await t.query(api.messages.listMessages, { actor: otherTenant, threadId: f.threadId, paginationOpts: { numItems: 5, cursor: null } })).page).toEqual([]);

    // Bob ingests the same events with Alice's thread id: his own rows, hers untouched.
    const result = await ingest(t, bob, f.threadId, f.events);
    expect(result.accepted).toBe(f.events.length);
    const after = await snapshot(t);
    const aliceStreams = new Set((aliceBefore.streams as Array<{ _id: string }>).map((st) => st._id));
    const alicesOnly = (rows: unknown[]) =>
      (rows as Array<{ userId?: string; stream?: string }>).filter((r) => r.userId === "alice" || (r.stream !== undefined && aliceStreams.has(r.stream)));
    for (const table of Object.keys(after) as Array<keyof typeof after>) {
      expect(alicesOnly(after[table])).toEqual(alicesOnly(aliceBefore[table]));
    }
    expect((after.threads as Array<{ userId: string }>).map((th) => th.userId).sort()).toEqual(["alice", "bob"]);
    const bobs = await t.query(api.messages.listTurnMessages, { actor: bob, threadId: f.threadId, turnId: f.turnId });
    expect(bobs).toHaveLength(2);
  });
});
