/** TEST-ONLY helpers shared by the component's convex-test suites. */
import { createConvexTest } from "../../testing/convexTest.js";
import { api } from "../_generated/api.js";
import schema from "../schema.js";
import type { Actor, InboundEvent, StreamChannel } from "../validators.js";

export const modules = import.meta.glob("../**/*.ts");

export function newTest() {
  return createConvexTest(schema, modules);
}
export type T = ReturnType<typeof newTest>;

export const alice: Actor = { tenantId: "acme", userId: "alice", deviceId: "laptop" };
export const bob: Actor = { tenantId: "acme", userId: "bob", deviceId: "phone" };

export async function ingest(t: T, actor: Actor, threadId: string, events: InboundEvent[], sessionId = "session-1") {
  return await t.mutation(api.sync.ingest, { actor, sessionId, threadId, events });
}

/** Every row of the projection tables (not sessions, whose heartbeat moves by design). */
export async function snapshot(t: T) {
  return await t.run(async (ctx) => {
    const tables = [
      "threads", "turns", "items", "messages", "reasoning_segments", "streams", "stream_deltas",
      "approvals", "server_requests", "lifecycle_events", "token_usage",
    ] as const;
    const out = {} as Record<(typeof tables)[number], unknown[]>;
    for (const table of tables) out[table] = await ctx.db.query(table).collect();
    return out;
  });
}

let seq = 0;
export function lifecycle(kind: string, payload: unknown, extra: Partial<{ turnId: string; itemId: string; eventId: string; createdAt: number }> = {}): InboundEvent {
  return {
    type: "lifecycle_event",
    eventId: extra.eventId ?? `${kind}#${++seq}`,
    turnId: extra.turnId,
    itemId: extra.itemId,
    kind,
    payloadJson: JSON.stringify(payload),
    createdAt: extra.createdAt ?? 1_800_000_000_000 + seq,
  };
}

/** Splits `text` into consecutive deltas of `size` code units on one stream, starting at `from`. */
export function deltas(
  turnId: string,
  itemId: string,
  text: string,
  size: number,
  opts: { channel?: StreamChannel; from?: number; streamId?: string } = {},
): InboundEvent[] {
  const channel = opts.channel ?? "agentMessage";
  // Same stream id scheme as the real normalizer (src/protocol/normalize.ts).
  const streamId = opts.streamId ?? `${turnId}/${itemId}/${channel}`;
  const out: InboundEvent[] = [];
  const from = opts.from ?? 0;
  for (let i = 0; i < text.length; i += size) {
    const delta = text.slice(i, i + size);
    out.push({
      type: "stream_delta",
      eventId: `${streamId}@${from + i}`,
      turnId,
      itemId,
      streamId,
      channel,
      delta,
      cursorStart: from + i,
      cursorEnd: from + i + delta.length,
      createdAt: 1_800_000_000_000 + i,
    });
  }
  return out;
}

export const turnStarted = (turnId: string) =>
  lifecycle("turn/started", { threadId: "x", turn: { id: turnId, status: "inProgress", items: [], error: null, startedAt: 1_800_000_000, durationMs: null } });
export const turnCompleted = (turnId: string, status: string, error: unknown = null) =>
  lifecycle("turn/completed", { threadId: "x", turn: { id: turnId, status, items: [], error, startedAt: 1_800_000_000, durationMs: 1234 } });
export const itemStarted = (turnId: string, item: Record<string, unknown>, startedAtMs = 1_800_000_000_000 + ++seq) =>
  lifecycle("item/started", { turnId, threadId: "x", item: { startedAtMs, ...item } });
export const itemCompleted = (turnId: string, item: Record<string, unknown>, completedAtMs = 1_800_000_000_000 + ++seq) =>
  lifecycle("item/completed", { turnId, threadId: "x", item: { completedAtMs, ...item }, completedAtMs });
export const agentItem = (id: string, text = "") => ({ type: "agentMessage", id, text, phase: null });
export const userItem = (id: string, text: string) => ({ type: "userMessage", id, clientId: null, content: [{ type: "text", text, text_elements: [] }] });
