/**
 * Every recorded `codex app-server` conversation (src/protocol/testdata/transcripts), normalized
 * by the real protocol layer, against the real component: what the bridge will really send.
 */
import { describe, expect, test } from "vitest";
import { allRecordedThreads, streamedByItem, streamedText } from "../protocol/testing/events.js";
import { transcripts } from "../protocol/testing/transcripts.js";
import { api } from "./_generated/api.js";
import { alice, ingest, newTest, snapshot, type T } from "./testdata/harness.testonly.js";
import type { InboundEvent } from "./validators.js";

const recordings = allRecordedThreads();

/** The projection a reader sees, without row ids and the server's own clock. */
async function projection(t: T, threadId: string) {
  const messages = await t.query(api.messages.listMessages, { actor: alice, threadId, paginationOpts: { numItems: 100, cursor: null } });
  const items = await t.query(api.items.listItems, { actor: alice, threadId });
  const snap = await snapshot(t);
  return {
    messages: messages.page.map((m) => ({ itemId: m.itemId, turnId: m.turnId, role: m.role, status: m.status, text: m.text, streamId: m.streamId })),
    items: items.map((i) => ({ itemId: i.itemId, status: i.status, details: i.details })),
    turns: (snap.turns as Array<{ turnId: string; status: string; error?: unknown }>).map(({ turnId, status, error }) => ({ turnId, status, error })),
    streams: (snap.streams as Array<{ streamId: string; status: string; cursor: number }>).map(({ streamId, status, cursor }) => ({ streamId, status, cursor })),
    approvals: (snap.approvals as Array<{ requestId: unknown; status: string }>).map(({ requestId, status }) => ({ requestId, status })),
    segments: (snap.reasoning_segments as Array<{ itemId: string; channel: string; index: number; status: string; text: string }>).map(
      ({ itemId, channel, index, status, text }) => ({ itemId, channel, index, status, text }),
    ),
  };
}

test("the recordings cover every conversation shape the component tests rely on", () => {
  expect(recordings.map((r) => r.name)).toEqual(
    expect.arrayContaining(["streamed-text", "reasoning", "command-accept", "interrupt", "model-error", "two-turns", "file-change"]),
  );
  // One thread per recording: the grouping would show a recording that mixed threads.
  expect(recordings.map((r) => r.name)).toEqual(transcripts.map((t) => t.name));
});

describe.each(recordings)("recording $name", ({ threadId, events }) => {
  test("ingests with zero rejections; re-ingesting changes nothing", async () => {
    const t = newTest();
    const first = await ingest(t, alice, threadId, events);
    expect(first.rejected).toEqual([]);
    expect(first.accepted).toBe(events.length);
    const before = await snapshot(t);

    const again = await ingest(t, alice, threadId, events);
    expect(again).toMatchObject({ accepted: 0, duplicates: events.length, rejected: [] });
    expect(await snapshot(t)).toEqual(before);
  });

  test("each message's text is what codex streamed for it; each stream's cursor its length", async () => {
    const t = newTest();
    await ingest(t, alice, threadId, events);
    const { messages, streams } = await projection(t, threadId);
    const streamedReplies = streamedByItem(events, "agentMessage");
    for (const [itemId, text] of streamedReplies) {
      expect(messages.find((m) => m.itemId === itemId)).toMatchObject({ role: "assistant", text });
    }
    const texts = streamedText(events);
    expect(streams.map((s) => [s.streamId, s.cursor]).sort()).toEqual([...texts].map(([id, text]) => [id, text.length]).sort());
    // Nothing is left streaming once the recorded turns have ended.
    expect(messages.filter((m) => m.status === "streaming")).toEqual([]);
    expect(streams.filter((s) => s.status === "streaming")).toEqual([]);
  });

  test("one event per batch projects exactly what one batch does", async () => {
    const whole = newTest();
    await ingest(whole, alice, threadId, events);
    const single = newTest();
    for (const event of events) expect((await ingest(single, alice, threadId, [event as InboundEvent])).rejected).toEqual([]);
    expect(await projection(single, threadId)).toEqual(await projection(whole, threadId));
  });
});
