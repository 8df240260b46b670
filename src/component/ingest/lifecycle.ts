/**
 * `lifecycle_event`s: deduped by event id, projected by method, then kept verbatim
 * (payload capped) in `lifecycle_events`. Methods we do not project are still stored.
 */
import type { z } from "zod";
import { ErrorCode } from "../../contract/errors.js";
import { ITEM_TEXT_MAX_BYTES, NAME_MAX_BYTES, RAW_PAYLOAD_MAX_BYTES, capPayloadJson, truncateUtf8 } from "../../contract/limits.js";
import { validate } from "convex-helpers/validators";
import { EVENT_DROPPED_KIND, THREAD_ROLLED_BACK_KIND, vEventDropped, vThreadRolledBack, type LifecycleEvent } from "../validators.js";
import type { IngestBatch } from "./batch.js";
import { announceReasoningPart, applyItem, findItem } from "./items.js";
import { accepted, duplicate, type EventOutcome } from "./outcome.js";
import * as p from "./payloads.js";
import { serverRequestResolved } from "./serverRequests.js";
import { recordDroppedEvent } from "./dropped.js";
import { threadRolledBack } from "./rollback.js";
import { threadArchived, threadRenamed, threadRunsTurn, threadStarted } from "./threadMeta.js";
import { recordTokenUsage } from "./tokenUsage.js";
import { findTurn, startChangesNothing, turnCompleted, turnDiff, turnError, turnPlan, turnProgressed, turnStarted } from "./turns.js";

/** Returns `duplicate` when the rows already hold what the event says (see item/started). */
type Projector = (batch: IngestBatch, ev: LifecycleEvent, payload: unknown) => Promise<void | typeof duplicate> | void;

/** Parses with `schema` or throws a MalformedPayload the dispatcher reports. */
function parse<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new MalformedPayload(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return result.data;
}
class MalformedPayload extends Error {}

const turnIdOf = (ev: LifecycleEvent, fromPayload: string | undefined): string => {
  const id = fromPayload ?? ev.turnId;
  if (!id) throw new MalformedPayload("no turnId");
  return id;
};

/**
 * The item under the id the event names: the normalizer tells apart two items one turn started
 * under the same codex id (`msg_1`, `msg_1#2`), while the payload keeps codex's own id.
 */
const storedItem = <T extends { id: string }>(ev: LifecycleEvent, item: T): T => (ev.itemId && ev.itemId !== item.id ? { ...item, id: ev.itemId } : item);

const projectors: Partial<Record<string, Projector>> = {
  "thread/started": (batch, _ev, payload) => threadStarted(batch, parse(p.zThreadStarted, payload).thread),
  "thread/name/updated": (batch, _ev, payload) => threadRenamed(batch, parse(p.zThreadNameUpdated, payload).threadName),
  "thread/archived": (batch) => threadArchived(batch, true),
  "thread/unarchived": (batch) => threadArchived(batch, false),
  "turn/started": async (batch, ev, payload) => {
    const { turn } = parse(p.zTurnNotification, payload);
    // The turn row is this event's record: a re-sent start of a turn running here, or ended, is a duplicate.
    if (startChangesNothing(batch, await findTurn(batch, turn.id))) return duplicate;
    await turnStarted(batch, turn.id, turn.startedAt ?? null, ev.createdAt);
    if (batch.thread.activeTurnId === turn.id) await threadRunsTurn(batch);
  },
  "turn/completed": async (batch, ev, payload) => {
    const { turn } = parse(p.zTurnNotification, payload);
    // The turn row is this event's record: a turn codex already ended stays as codex said.
    if (isFinal(await findTurn(batch, turn.id))) return duplicate;
    const error = turn.error ? { message: turn.error.message, codexErrorInfo: p.errorInfoText(turn.error.codexErrorInfo) } : undefined;
    await turnCompleted(batch, turn.id, { status: turn.status, error, durationMs: turn.durationMs ?? undefined }, ev.createdAt);
  },
  error: async (batch, ev, payload) => {
    const n = parse(p.zErrorNotification, payload);
    await turnError(batch, n.turnId, { message: n.error.message, codexErrorInfo: p.errorInfoText(n.error.codexErrorInfo) }, n.willRetry === true, ev.createdAt);
  },
  "turn/diff/updated": async (batch, ev, payload) => {
    const n = parse(p.zDiffNotification, payload);
    await turnDiff(batch, n.turnId, n.diff, ev.createdAt);
  },
  "item/started": async (batch, ev, payload) => {
    const n = parse(p.zItemNotification, payload);
    const turnId = turnIdOf(ev, n.turnId);
    const item = storedItem(ev, n.item);
    await turnProgressed(batch, turnId);
    // The item row is this event's record: once it exists (started, or already completed —
    // a re-sent start must not reopen it) the event is a duplicate.
    if (await findItem(batch, turnId, item.id)) return duplicate;
    await applyItem(batch, turnId, item, false, n.startedAtMs ?? ev.createdAt, null);
  },
  "item/completed": async (batch, ev, payload) => {
    const n = parse(p.zItemNotification, payload);
    const turnId = turnIdOf(ev, n.turnId);
    const item = storedItem(ev, n.item);
    // The item row is this event's record too: once codex completed the item, a re-sent or
    // backfilled completion is a duplicate (a close by the turn's end is not codex's word).
    const row = await findItem(batch, turnId, item.id);
    if (isFinal(row)) return duplicate;
    await turnProgressed(batch, turnId);
    await applyItem(batch, turnId, item, true, n.completedAtMs ?? ev.createdAt, row);
  },
  "item/reasoning/summaryPartAdded": async (batch, ev, payload) => {
    const n = parse(p.zReasoningPartAdded, payload);
    await announceReasoningPart(batch, n.turnId, ev.itemId ?? n.itemId, n.summaryIndex, ev.createdAt);
  },
  "thread/tokenUsage/updated": async (batch, _ev, payload) => {
    const n = parse(p.zTokenUsageNotification, payload);
    await recordTokenUsage(batch, n.turnId, n.tokenUsage.total, n.tokenUsage.modelContextWindow, n.tokenUsage.last);
  },
  "turn/plan/updated": async (batch, ev, payload) => {
    const n = parse(p.zTurnPlanUpdated, payload);
    await turnPlan(batch, n.turnId, { explanation: n.explanation, steps: n.plan }, ev.createdAt);
  },
  "serverRequest/resolved": async (batch, _ev, payload) => {
    await serverRequestResolved(batch, parse(p.zServerRequestResolved, payload).requestId);
  },
  [THREAD_ROLLED_BACK_KIND]: async (batch, ev, payload) => {
    if (!validate(vThreadRolledBack, payload)) throw new MalformedPayload("not a thread-rolled-back record");
    await threadRolledBack(batch, payload, ev.createdAt);
  },
  [EVENT_DROPPED_KIND]: async (batch, ev, payload) => {
    if (!validate(vEventDropped, payload)) throw new MalformedPayload("not an event-dropped record");
    await recordDroppedEvent(batch, payload, ev.createdAt);
  },
};

/** Ended by codex itself: a row its turn's end (or the backend) closed may still hear codex's end. */
const isFinal = (row: { completedAt?: number; provisionalEnd?: boolean } | null) =>
  row !== null && row.completedAt !== undefined && row.provisionalEnd !== true;

/**
 * Projected events whose typed row is their whole record, and the dedupe key for a re-send
 * or a backfill, are not logged (nor looked up): a turn's start and end are its `turns` row
 * (a start never reopens an ended turn; an end codex gave is final), an item's start and
 * completion its `items` row (the raw item in `payloadJson`). What is logged is every other
 * method, projected or not, deduped by event id.
 */
const UNLOGGED_KINDS: ReadonlySet<string> = new Set(["turn/started", "turn/completed", "item/started", "item/completed"]);

export async function applyLifecycleEvent(batch: IngestBatch, ev: LifecycleEvent): Promise<EventOutcome> {
  const logged = !UNLOGGED_KINDS.has(ev.kind);
  const seen = logged && await batch.ctx.db
    .query("lifecycle_events")
    .withIndex("by_owner_event", (q) =>
      q.eq("tenantId", batch.owner.tenantId).eq("userId", batch.owner.userId).eq("threadId", batch.threadId).eq("eventId", ev.eventId),
    )
    .first();
  if (seen) return duplicate;
  let payload: unknown;
  try {
    payload = JSON.parse(ev.payloadJson);
  } catch (error) {
    return { kind: "rejected", code: ErrorCode.malformedEvent, message: `payloadJson is not JSON: ${(error as Error).message}` };
  }
  const project = projectors[ev.kind];
  if (project) {
    try {
      if ((await project(batch, ev, payload)) === duplicate) return duplicate;
    } catch (error) {
      if (error instanceof MalformedPayload) {
        return { kind: "rejected", code: ErrorCode.malformedEvent, message: `${ev.kind}: ${error.message}` };
      }
      throw error;
    }
  }
  if (!logged) return accepted;
  await batch.ctx.db.insert("lifecycle_events", {
    ...batch.owner,
    threadId: batch.threadId,
    eventId: ev.eventId,
    turnId: ev.turnId,
    itemId: ev.itemId,
    kind: truncateUtf8(ev.kind, NAME_MAX_BYTES).text,
    // Projected events live on in typed rows, so their raw copy is capped small; for methods
    // we do not project this row is the only copy, kept whole up to the per-row text limit.
    payloadJson: capPayloadJson(ev.payloadJson, project ? RAW_PAYLOAD_MAX_BYTES : ITEM_TEXT_MAX_BYTES),
    createdAt: ev.createdAt,
  });
  return accepted;
}
