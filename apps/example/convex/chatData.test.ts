/// <reference types="vite/client" />
/**
 * The example's data-plane wrappers on convex-test with the real component mounted: the
 * bridge ingests through them, devices read messages and streams through them, and who
 * you are comes only from the identity.
 */
import { createConvexTest } from "../../../src/testing/convexTest.js";
import { describe, expect, test } from "vitest";
import { register } from "../../../src/test.js";
import { api } from "./_generated/api";

const modules = import.meta.glob("./**/*.ts");
const TH = "thread-1";

function setup() {
  const t = createConvexTest(undefined, modules);
  register(t);
  return { t, alice: t.withIdentity({ subject: "alice" }), bob: t.withIdentity({ subject: "bob" }) };
}

const turnStarted = {
  type: "lifecycle_event" as const,
  eventId: "turn/started#1",
  turnId: "T1",
  kind: "turn/started",
  payloadJson: JSON.stringify({ threadId: TH, turn: { id: "T1", status: "inProgress", items: [], error: null, startedAt: 1_800_000_000, durationMs: null } }),
  createdAt: 1,
};
const itemStarted = {
  type: "lifecycle_event" as const,
  eventId: "item/started#2",
  turnId: "T1",
  itemId: "a1",
  kind: "item/started",
  payloadJson: JSON.stringify({ threadId: TH, turnId: "T1", item: { type: "agentMessage", id: "a1", text: "", startedAtMs: 1_800_000_000_100 } }),
  createdAt: 2,
};
const delta = (text: string, at: number) => ({
  type: "stream_delta" as const,
  eventId: `T1:a1@${at}`,
  turnId: "T1",
  itemId: "a1",
  streamId: "T1:a1",
  channel: "agentMessage" as const,
  delta: text,
  cursorStart: at,
  cursorEnd: at + text.length,
  createdAt: 3 + at,
});

describe("example data-plane wrappers", () => {
  test("ingest, then a paginated message list with a stream overlay, then a device checkpoint", async () => {
    const { alice, bob } = setup();
    const result = await alice.mutation(api.codex.ingestBatch, {
      sessionId: "s1",
      threadId: TH,
      deviceId: "laptop",
      events: [turnStarted, itemStarted, delta("Hello, ", 0), delta("world", 7)],
    });
    expect(result).toMatchObject({ accepted: 4, duplicates: 0, rejected: [] });
    await alice.mutation(api.codex.ingestEvent, { sessionId: "s1", threadId: TH, event: delta("!", 12) });

    const listed = await alice.query(api.codex.threadMessages, {
      threadId: TH,
      paginationOpts: { numItems: 10, cursor: null },
      streamArgs: { kind: "list" },
    });
    // The message learns its stream id when it ends (one write with its text); the overlay goes by turn and item.
    expect(listed.page).toMatchObject([{ role: "assistant", status: "streaming", turnId: "T1", itemId: "a1" }]);
    expect(listed.page[0]!.streamId).toBeUndefined();
    // A live stream's listed cursor is a lower bound (its row is not rewritten per batch).
    expect(listed.streams).toMatchObject({ kind: "list", streams: [{ streamId: "T1:a1", status: "streaming" }] });

    const withDeltas = await alice.query(api.codex.threadMessages, {
      threadId: TH,
      paginationOpts: { numItems: 10, cursor: null },
      streamArgs: { kind: "deltas", cursors: [{ streamId: "T1:a1", cursor: 7 }] },
    });
    if (withDeltas.streams?.kind !== "deltas") throw new Error("expected deltas");
    expect(withDeltas.streams.deltas.map((d) => d.text).join("")).toBe("world!");
    await alice.mutation(api.codex.saveCheckpoint, { threadId: TH, deviceId: "phone", cursors: withDeltas.streams.nextCheckpoints });
    expect(await alice.query(api.codex.checkpoints, { threadId: TH, deviceId: "phone" })).toEqual([{ streamId: "T1:a1", cursor: 13 }]);

    const resumed = await alice.query(api.codex.streamResume, { threadId: TH, turnId: "T1", fromCursor: 0 });
    expect(resumed.deltas.map((d) => d.text).join("")).toBe("Hello, world!");
    expect((await alice.query(api.codex.threadItems, { threadId: TH })).map((i) => i.itemId)).toEqual(["a1"]);
    expect(await alice.query(api.codex.turnMessages, { threadId: TH, turnId: "T1" })).toHaveLength(1);

    // Bob, signed in, sees none of it.
    expect((await bob.query(api.codex.threadMessages, { threadId: TH, paginationOpts: { numItems: 10, cursor: null } })).page).toEqual([]);
    expect((await bob.query(api.codex.streamSync, { threadId: TH, streamCursorsById: [] })).streams).toEqual([]);
  });

  test("anonymous callers are refused", async () => {
    const { t } = setup();
    await expect(t.query(api.codex.streamSync, { threadId: TH, streamCursorsById: [] })).rejects.toThrow(/E_UNAUTHENTICATED/);
    await expect(t.mutation(api.codex.ingestBatch, { sessionId: "s", threadId: TH, events: [] })).rejects.toThrow(/E_UNAUTHENTICATED/);
  });
});
