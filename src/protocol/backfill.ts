/**
 * What the backend should have heard about a thread, rebuilt from codex's own record of it
 * (`thread/read` with `includeTurns`, read from codex's rollout). Events that sat in a host's
 * outbox when the host died never reached the backend; codex persisted them anyway. Replaying
 * the lifecycle events of every FINISHED turn with the same event ids the normalizer gives the
 * live notifications makes what the backend already has a duplicate (a no-op) and lands only
 * what is missing.
 *
 * Items are stored under the ids the normalizer gives them: an id repeated within a turn is
 * numbered by occurrence (`msg_1`, `msg_1#2`). codex's history itself merges the repeats into
 * one item (at the first one's place, with the last one's content), which therefore lands
 * under the first id: delivered live, it is a duplicate; lost, codex's final content is kept.
 *
 * Only finished turns: a turn codex still runs is left to its live notifications (closing it,
 * or one of its streams, here would make the backend refuse the deltas still to come). No
 * stream deltas either: `item/completed` carries each item's final text.
 */
import type { InboundEvent, LifecycleEvent } from "../contract/events.js";
import { EVENT_PAYLOAD_MAX_BYTES, capPayloadJson } from "../contract/limits.js";
import type { Thread } from "./generated/v2/Thread.js";
import type { ThreadItem } from "./generated/v2/ThreadItem.js";
import type { Turn } from "./generated/v2/Turn.js";
import { itemEventId, occurrenceId, turnEventId } from "./normalize.js";

type Timed = { startedAtMs?: number | null; completedAtMs?: number | null };

/** `turn/started`, `item/completed` per item, `turn/completed`, for each finished turn, in order. */
export function backfillEvents(thread: Pick<Thread, "id" | "turns">): InboundEvent[] {
  return backfillTurns(thread.id, thread.turns).flatMap((t) => t.events);
}

/** A finished turn's backfill events, and the items they carry under their stored ids. */
export type BackfilledTurn = { turnId: string; events: InboundEvent[]; items: Array<{ itemId: string; item: ThreadItem; event: InboundEvent }> };

/**
 * `backfillEvents` turn by turn, for turns read in pages (`thread/turns/list`): occurrence
 * ids are counted within a turn, so pages of whole turns give the same events as one read.
 * Payloads are cut to `payloadMaxBytes`.
 */
export function backfillTurns(threadId: string, turns: readonly Turn[], payloadMaxBytes = EVENT_PAYLOAD_MAX_BYTES): BackfilledTurn[] {
  return turns.filter((turn) => turn.status !== "inProgress").map((turn) => turnEvents(threadId, turn, payloadMaxBytes));
}

function turnEvents(threadId: string, turn: Turn, payloadMaxBytes: number): BackfilledTurn {
  const turnId = turn.id;
  const items = turn.items as Array<ThreadItem & Timed>;
  const startedAtMs = turn.startedAt !== null ? turn.startedAt * 1000 : (items[0]?.startedAtMs ?? 0);
  // codex's turn times have whole seconds only; the items' own milliseconds order them better.
  const lastItemMs = Math.max(0, ...items.map((item) => item.completedAtMs ?? item.startedAtMs ?? 0));
  const completedAtMs = Math.max(lastItemMs, turn.completedAt !== null ? turn.completedAt * 1000 : 0, startedAtMs);
  const lifecycle = (eventId: string, kind: string, itemId: string | undefined, createdAt: number, params: unknown) =>
    lifecycleEvent(eventId, kind, turnId, itemId, createdAt, params, payloadMaxBytes);
  const started = lifecycle(turnEventId(turnId, "turn/started"), "turn/started", undefined, items[0]?.startedAtMs ?? startedAtMs, {
    threadId,
    turn: { ...turn, items: [], itemsView: "notLoaded", status: "inProgress", error: null, completedAt: null, durationMs: null },
  });
  const completed: BackfilledTurn["items"] = [];
  const occurrences = new Map<string, number>();
  for (const item of items) {
    const n = (occurrences.get(item.id) ?? 0) + 1;
    occurrences.set(item.id, n);
    const itemId = occurrenceId(item.id, n);
    // An item codex itself still counts as running was cut off with its turn: the turn's end closes it.
    if ("status" in item && item.status === "inProgress") continue;
    const at = item.completedAtMs ?? item.startedAtMs ?? completedAtMs;
    const event = lifecycle(itemEventId(turnId, itemId, "item/completed"), "item/completed", itemId, at, { item, threadId, turnId, completedAtMs: at });
    completed.push({ itemId, item, event });
  }
  const ended = lifecycle(turnEventId(turnId, "turn/completed"), "turn/completed", undefined, completedAtMs, {
    threadId,
    // The live notification carries the items too; the backend reads only the turn's own fields.
    turn: { ...turn, items: [] },
  });
  return { turnId, events: [started, ...completed.map((c) => c.event), ended], items: completed };
}

function lifecycleEvent(
  eventId: string,
  kind: string,
  turnId: string,
  itemId: string | undefined,
  createdAt: number,
  params: unknown,
  payloadMaxBytes: number,
): LifecycleEvent {
  const event: LifecycleEvent = {
    type: "lifecycle_event",
    eventId,
    kind,
    turnId,
    payloadJson: capPayloadJson(JSON.stringify(params), payloadMaxBytes),
    createdAt,
  };
  if (itemId !== undefined) event.itemId = itemId;
  return event;
}
