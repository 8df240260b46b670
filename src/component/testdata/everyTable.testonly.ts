/**
 * TEST-ONLY: a conversation that puts rows of one owner's thread into every table that can
 * hold them — two finished turns with messages, a streamed reply and reasoning, an approval,
 * a dropped event, usage and a plan, commands, a device checkpoint — plus the owner's rate
 * limits, an import and a deletion record. What `cascade.test.ts` deletes and counts.
 */
import { api } from "../_generated/api.js";
import { eventDroppedRecord } from "../../contract/limits.js";
import type { Actor } from "../validators.js";
import { agentItem, deltas, ingest, itemCompleted, lifecycle, turnCompleted, turnStarted, userItem, type T } from "./harness.testonly.js";

export const T1 = "turn-1";
export const T2 = "turn-2";
/** The streams of turn 1 (stream ids as the normalizer makes them). */
export const T1_STREAMS = [`${T1}/msg-1/agentMessage`, `${T1}/rs-1/reasoningSummary/0`];

export async function seedEveryTable(t: T, actor: Actor, threadId: string, sessionId = "session-1") {
  const owner = { tenantId: actor.tenantId, userId: actor.userId };
  await t.mutation(api.threads.create, { actor, threadId });
  await t.mutation(api.sessions.open, { actor, sessionId });
  const tokens = { totalTokens: 10, inputTokens: 8, cachedInputTokens: 0, outputTokens: 2, reasoningOutputTokens: 0 };
  const approval = { threadId, turnId: T1, itemId: "cmd-1", command: "ls", cwd: "/tmp", reason: "look" };
  const events = [
    turnStarted(T1),
    itemCompleted(T1, userItem("user-1", "hello")),
    ...deltas(T1, "msg-1", "Hello there, friend.", 5),
    itemCompleted(T1, agentItem("msg-1", "Hello there, friend.")),
    ...deltas(T1, "rs-1", "Thinking…", 4, { channel: "reasoningSummary", streamId: T1_STREAMS[1] }).map((d) => ({ ...d, index: 0 })),
    itemCompleted(T1, { type: "reasoning", id: "rs-1", summary: ["Thinking…"], content: [] }),
    lifecycle("thread/tokenUsage/updated", { threadId, turnId: T1, tokenUsage: { total: tokens, last: tokens, modelContextWindow: 1000 } }, { turnId: T1 }),
    lifecycle("turn/plan/updated", { threadId, turnId: T1, explanation: null, plan: [{ step: "Look", status: "completed" }] }, { turnId: T1 }),
    {
      type: "server_request" as const,
      eventId: `req-${T1}`,
      turnId: T1,
      itemId: "cmd-1",
      requestId: 0,
      method: "item/commandExecution/requestApproval",
      paramsJson: JSON.stringify(approval),
      createdAt: 1_800_000_000_100,
    },
    eventDroppedRecord({ ...itemCompleted(T1, { type: "commandExecution", id: "cmd-1" }), turnId: T1, itemId: "cmd-1" }, { code: "E_TOO_LARGE", message: "too big" }),
    turnCompleted(T1, "completed"),
    turnStarted(T2),
    itemCompleted(T2, userItem("user-2", "again")),
    turnCompleted(T2, "completed"),
  ];
  const result = await ingest(t, actor, threadId, events.map((e) => ({ ...e, eventId: `${threadId}:${e.eventId}` })), sessionId);
  if (result.rejected.length > 0) throw new Error(JSON.stringify(result.rejected));
  await t.mutation(api.streams.saveCheckpoint, { actor: { ...actor, deviceId: "phone" }, threadId, cursors: [{ streamId: T1_STREAMS[0]!, cursor: 5 }] });
  await t.mutation(api.streams.saveCheckpoint, { actor: { ...actor, deviceId: "phone" }, threadId, cursors: [{ streamId: T1_STREAMS[1]!, cursor: 2 }] });
  await t.run(async (ctx) => {
    const now = Date.now();
    await ctx.db.insert("commands", { ...owner, threadId, turnId: T1, kind: "interruptTurn", status: "done", createdAt: now, finishedAt: now });
    await ctx.db.insert("commands", { ...owner, threadId, kind: "renameThread", name: "n", status: "queued", createdAt: now });
    // A rollback names the turn it drops: the thread's command, spared by that turn's deletion.
    await ctx.db.insert("commands", { ...owner, threadId, turnId: T1, kind: "rollbackThread", status: "done", createdAt: now, finishedAt: now });
    await ctx.db.insert("rate_limits", { ...owner, limitKey: "codex", snapshot: { limitId: "codex" }, updatedAt: now });
    await ctx.db.insert("import_jobs", {
      ...owner, threadId, status: "synced", chunks: 1, sourceSeq: 1, applied: 1, verified: 1, expectedTurns: 1, expectedMessages: 1, matchedMessages: 1,
      truncatedMessages: 0, mismatches: [], accepted: 1, duplicates: 0, rejected: 0, attempts: 0, createdAt: now, updatedAt: now,
    });
    await ctx.db.insert("import_chunks", { ...owner, threadId, seq: 0, events: [turnStarted(T1)], expected: [], turnIds: [T1], endsTurn: false });
    await ctx.db.insert("tombstones", { ...owner, threadId: `${threadId}-deleted-before`, deletedAt: now });
    await ctx.db.insert("deletion_jobs", { ...owner, kind: "turn", threadId, turnId: "old", status: "completed", runAt: now, deleted: {}, pages: 1, attempts: 0, createdAt: now, updatedAt: now });
  });
}
