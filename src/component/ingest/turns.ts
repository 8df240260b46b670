/**
 * Turn lifecycle: turn/started (upsert: a device's startTurn command may have inserted
 * the row already), turn/completed (status, error, duration, and closing everything of
 * the turn still open), `error` notifications and turn/diff/updated.
 */
import type { Doc } from "../_generated/dataModel.js";
import { ITEM_TEXT_MAX_BYTES, NOTE_MAX_BYTES, OPEN_WORK_MAX_ROWS, truncateUtf8 } from "../../contract/limits.js";
import type { PlanStepStatus, TurnStatus } from "../validators.js";
import { patchThread, type IngestBatch } from "./batch.js";
import { itemDetails } from "./itemDetails.js";
import { finishAgentMessage, findMessage, streamingMessagesOfTurn } from "./messages.js";
import { segmentsOfItem, upsertSegment } from "./reasoning.js";
import { settleCommandsOfEndedTurn } from "../lib/commands.js";
import { expirePendingOfTurn } from "./serverRequests.js";
import type { OpenStream } from "./batch.js";
import { finishStream, openStreamsOfTurn, retainStream, streamText } from "./streamStore.js";

export async function findTurn(batch: IngestBatch, turnId: string): Promise<Doc<"turns"> | null> {
  return await batch.ctx.db
    .query("turns")
    .withIndex("by_owner_turn", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("turnId", turnId),
    )
    .unique();
}

/** Returns the turn row, inserting it `inProgress` when this is the first we hear of it. */
export async function ensureTurn(batch: IngestBatch, turnId: string, startedAt: number): Promise<Doc<"turns">> {
  const existing = await findTurn(batch, turnId);
  if (existing) return existing;
  const id = await batch.ctx.db.insert("turns", {
    ...batch.owner,
    threadId: batch.threadId,
    turnId,
    status: "inProgress",
    sessionId: batch.sessionId,
    startedAt,
  });
  patchThread(batch, { turnCount: batch.thread.turnCount + 1, lastTurnId: turnId });
  return (await batch.ctx.db.get("turns", id))!;
}

/**
 * Whether a turn/started would change nothing: the turn ended, or runs under this session
 * already (the row may come from the device's command, before codex's start) in a thread not
 * flagged archived — codex running it is what clears a stale flag.
 */
export function startChangesNothing(batch: IngestBatch, turn: Doc<"turns"> | null): boolean {
  if (!turn) return false;
  if (turn.completedAt !== undefined) return true;
  return turn.status === "inProgress" && turn.sessionId === batch.sessionId && batch.thread.activeTurnId === turn.turnId && !batch.thread.archived;
}

export async function turnStarted(batch: IngestBatch, turnId: string, startedAtSec: number | null, at: number) {
  // codex's `startedAt` has whole seconds only: two turns started within one second would
  // sort in the wrong order. The notification's own time (`emittedAtMs`) is in milliseconds.
  const turn = await ensureTurn(batch, turnId, Number.isFinite(at) && at > 0 ? at : (startedAtSec ?? 0) * 1000);
  if (turn.status !== "inProgress" && turn.completedAt === undefined) {
    await batch.ctx.db.patch("turns", turn._id, { status: "inProgress", sessionId: batch.sessionId });
  } else if (turn.completedAt === undefined && turn.sessionId !== batch.sessionId) {
    // The session that reports the turn running is the one that answers for it.
    await batch.ctx.db.patch("turns", turn._id, { sessionId: batch.sessionId });
  }
  // A late turn/started for a turn that already completed must not reopen the thread.
  if (turn.completedAt === undefined) patchThread(batch, { activeTurnId: turnId, lastTurnId: turnId });
}

export type TurnEnd = {
  status: TurnStatus;
  error?: { message: string; codexErrorInfo?: string };
  durationMs?: number;
  /** Ended here rather than by codex's `turn/completed` (see the schema's `provisionalEnd`). */
  provisional?: true;
};

export async function turnCompleted(batch: IngestBatch, turnId: string, end: TurnEnd, at: number) {
  const turn = await ensureTurn(batch, turnId, at);
  await batch.ctx.db.patch("turns", turn._id, {
    status: end.status,
    completedAt: at,
    ...(end.error ? { error: turnErrorRow(end.error) } : turn.error?.willRetry ? { error: afterRetries(turn.error, end.status) } : {}),
    ...(end.durationMs !== undefined ? { durationMs: end.durationMs } : {}),
    provisionalEnd: end.provisional,
  });
  if (batch.thread.activeTurnId === turnId) patchThread(batch, { activeTurnId: undefined });
  await closeOpenWork(batch, turnId);
}

/**
 * A retry notice is no error of a turn that got through or was stopped; a failure that says
 * nothing else keeps it as its last word, no longer a retry.
 */
function afterRetries(notice: NonNullable<Doc<"turns">["error"]>, status: TurnStatus): Doc<"turns">["error"] {
  if (status !== "failed") return undefined;
  const { willRetry: _retrying, ...error } = notice;
  return error;
}

/** codex's error text, cut to the row's cap. */
function turnErrorRow(error: { message: string; codexErrorInfo?: string }) {
  const codexErrorInfo = error.codexErrorInfo === undefined ? undefined : truncateUtf8(error.codexErrorInfo, NOTE_MAX_BYTES).text;
  return { message: truncateUtf8(error.message, NOTE_MAX_BYTES).text, ...(codexErrorInfo === undefined ? {} : { codexErrorInfo }) };
}

/**
 * codex got through after a retry: the turn moves on (an item starts or completes), so its
 * retry notice is no longer news. A real error (no `willRetry`) stays.
 */
export async function turnProgressed(batch: IngestBatch, turnId: string) {
  const turn = await findTurn(batch, turnId);
  if (turn?.error?.willRetry) await batch.ctx.db.patch("turns", turn._id, { error: undefined });
}

/** An `error` notification; `willRetry`: codex is retrying the model request (see the schema). */
export async function turnError(batch: IngestBatch, turnId: string, error: { message: string; codexErrorInfo?: string }, willRetry: boolean, at: number) {
  const turn = await ensureTurn(batch, turnId, at);
  await batch.ctx.db.patch("turns", turn._id, { error: { ...turnErrorRow(error), ...(willRetry ? { willRetry } : {}) } });
}

/**
 * A plan is a short checklist: at most 50 steps of 1 KiB and a 4 KiB explanation (≤ 54 KiB
 * in all, UTF-8), so the turn row stays under 1 MiB beside its `diff` and error.
 */
export const PLAN_MAX_STEPS = 50;
const PLAN_STEP_MAX_BYTES = 1024;
const PLAN_EXPLANATION_MAX_BYTES = 4 * 1024;

/** turn/plan/updated: the turn's plan, replaced by each update. */
export async function turnPlan(
  batch: IngestBatch,
  turnId: string,
  plan: { explanation?: string | null; steps: Array<{ step: string; status: PlanStepStatus }> },
  at: number,
) {
  const turn = await ensureTurn(batch, turnId, at);
  const explanation = plan.explanation ? truncateUtf8(plan.explanation, PLAN_EXPLANATION_MAX_BYTES).text : undefined;
  const steps = plan.steps.slice(0, PLAN_MAX_STEPS).map((s) => ({ step: truncateUtf8(s.step, PLAN_STEP_MAX_BYTES).text, status: s.status }));
  await batch.ctx.db.patch("turns", turn._id, { plan: { ...(explanation ? { explanation } : {}), steps, updatedAt: at } });
}

export async function turnDiff(batch: IngestBatch, turnId: string, diff: string, at: number) {
  const turn = await ensureTurn(batch, turnId, at);
  await batch.ctx.db.patch("turns", turn._id, { diff: truncateUtf8(diff, ITEM_TEXT_MAX_BYTES).text });
}

/** Queued steers/interrupts a turn's end settles: a steer may hold `TURN_INPUT_MAX_BYTES` of input, and these reads share the transaction with the turn's streams. */
const ENDED_TURN_COMMANDS_MAX = 16;

/**
 * codex may never send item/completed for items a cancel or interrupt cut off, nor for a reply
 * it abandoned when a second input was folded into the running turn: the turn's end closes
 * them. Whatever codex never completed is `interrupted`, however the turn ended (a completed
 * turn does not make an abandoned reply complete), keeping the partial text assembled from the
 * stored deltas — a reply with no text at all is dropped; pending approvals and requests
 * expire, and a steer or interrupt of it that no host took up is settled.
 */
export async function closeOpenWork(batch: IngestBatch, turnId: string) {
  const streams = await openStreamsOfTurn(batch, turnId);
  const byStreamId = new Map<string, OpenStream>(streams.map((s) => [s.fields.streamId, s]));
  const streamOf = (streamId: string | undefined) => (streamId ? byStreamId.get(streamId) : undefined);
  // A streaming message is linked to its stream only when it ends: found by its item.
  const replyStream = (itemId: string) => streams.find((s) => s.fields.itemId === itemId && s.fields.channel === "agentMessage");
  const textOf = async (stream: OpenStream | undefined, fallback: string) =>
    stream ? await streamText(batch, stream, ITEM_TEXT_MAX_BYTES) : { text: fallback, complete: true };

  // A reply codex started but gave no text before abandoning it (a provider failing or
  // retried, an interrupt while it thought) is nothing said: its rows go, as codex's own
  // history has none of it.
  const unsaid = new Set<string>();
  for (const message of await streamingMessagesOfTurn(batch, turnId)) {
    const stream = replyStream(message.itemId);
    if (!stream && message.text === "") {
      await batch.ctx.db.delete("messages", message._id);
      unsaid.add(message.itemId);
      continue;
    }
    const final = await textOf(stream, message.text);
    const streamId = stream?.fields.streamId;
    const truncated = await finishAgentMessage(batch, turnId, message.itemId, { ...final, streamId }, "interrupted", message.createdAt);
    if (truncated && stream) retainStream(stream);
  }

  // Only items still in progress have anything to close (a reasoning item's segments are
  // completed with it): read those alone, a bounded number of small rows.
  const items = await batch.ctx.db
    .query("items")
    .withIndex("by_owner_turn_status", (q) =>
      q
        .eq("tenantId", batch.owner.tenantId)
        .eq("userId", batch.owner.userId)
        .eq("threadId", batch.threadId)
        .eq("turnId", turnId)
        .eq("status", "inProgress"),
    )
    .take(OPEN_WORK_MAX_ROWS);
  for (const item of items) {
    if (item.details.type === "reasoning") {
      for (const seg of await segmentsOfItem(batch, turnId, item.itemId)) {
        if (seg.status !== "streaming") continue;
        const stream = streamOf(seg.streamId);
        const final = await textOf(stream, seg.text);
        const key = { turnId, itemId: item.itemId, channel: seg.channel, index: seg.index, at: seg.createdAt };
        if ((await upsertSegment(batch, key, { status: "interrupted", ...final })) && stream) retainStream(stream);
      }
    }
    if (unsaid.has(item.itemId) && item.details.type === "agentMessage") {
      await batch.ctx.db.delete("items", item._id);
      continue;
    }
    if (item.status === "inProgress") {
      const message = item.details.type === "agentMessage" ? await findMessage(batch, turnId, item.itemId) : null;
      await batch.ctx.db.patch("items", item._id, {
        status: "interrupted",
        completedAt: batch.now,
        provisionalEnd: true,
        // The item's preview follows the text the message kept.
        ...(message ? { details: itemDetails({ type: "agentMessage", id: item.itemId, text: message.text }) } : {}),
      });
      // An output item cut off before item/completed has its output only in its stream: keep it.
      for (const s of streams) if (s.fields.itemId === item.itemId && isOutputChannel(s.fields.channel) && s.cursor > 0) retainStream(s);
    }
  }

  for (const stream of streams) finishStream(batch, stream, "aborted");
  await expirePendingOfTurn(batch, turnId);
  await settleCommandsOfEndedTurn(batch.ctx, batch.owner, batch.threadId, turnId, batch.now, ENDED_TURN_COMMANDS_MAX);
}

const isOutputChannel = (channel: string) => channel === "commandOutput" || channel === "fileChangeOutput";
