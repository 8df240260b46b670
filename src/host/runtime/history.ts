/**
 * codex's record of a thread, read in pages of whole turns (`thread/turns/list`, oldest first,
 * with their items), so a thread of thousands of turns is never one response: what the
 * backfill, the import and the thread summary read — and what the backend is told after codex
 * rolled a thread back.
 */
import { buildThreadTurnsListRequest } from "../../app-server/index.js";
import type { CodexLocalBridge } from "../../bridge/index.js";
import { THREAD_ROLLED_BACK_KIND, type ThreadRolledBack } from "../../contract/events.js";
import { backfillTurns } from "../../protocol/backfill.js";
import type { Turn } from "../../protocol/generated/v2/Turn.js";
import type { Session } from "./session.js";

/** Turns per `thread/turns/list` page. */
export const TURN_PAGE_SIZE = 20;

export type TurnPage = { turns: Turn[]; /** Where the page started (`null`: the first page). */ cursor: string | null; nextCursor: string | null };

/** The thread's turns, page by page, from `cursor` (the start when null). */
export async function* turnPages(bridge: CodexLocalBridge, threadId: string, options: { cursor?: string | null; pageSize?: number } = {}): AsyncGenerator<TurnPage> {
  let cursor = options.cursor ?? null;
  for (;;) {
    const page = await bridge.request(buildThreadTurnsListRequest({ threadId, cursor, limit: options.pageSize ?? TURN_PAGE_SIZE, itemsView: "full" }));
    yield { turns: page.data, cursor, nextCursor: page.nextCursor };
    // A page with no turns ends the read even if codex hands back a cursor.
    if (page.nextCursor === null || page.data.length === 0) return;
    cursor = page.nextCursor;
  }
}

/** The newest finished turn among the last few codex has of the thread (or null), items included. */
export async function lastFinishedTurn(bridge: CodexLocalBridge, threadId: string): Promise<Turn | null> {
  const page = await bridge.request(buildThreadTurnsListRequest({ threadId, limit: 3, sortDirection: "desc", itemsView: "full" }));
  return page.data.find((t) => t.status !== "inProgress") ?? null;
}

/** When codex recorded the turn's end, in ms: its last item's time, or its whole-second end. */
export function turnEndMs(turn: Turn): number | undefined {
  const items = turn.items as Array<{ startedAtMs?: number | null; completedAtMs?: number | null }>;
  const itemMs = Math.max(0, ...items.map((i) => i.completedAtMs ?? i.startedAtMs ?? 0));
  const endMs = Math.max(itemMs, (turn.completedAt ?? 0) * 1000, (turn.startedAt ?? 0) * 1000);
  return endMs > 0 ? endMs : undefined;
}

type Report = (error: unknown, context: string) => void;

/**
 * Sends the backend what codex recorded of the thread's finished turns, page by page, under
 * the live events' ids: what it has is a duplicate, what a dead host never delivered lands.
 * Returns how many events were queued (0 without a backend).
 */
export async function backfillFromHistory(bridge: CodexLocalBridge, s: Session, threadId: string, report: Report): Promise<number> {
  if (!s.outbox) return 0;
  let queued = 0;
  try {
    for await (const page of turnPages(bridge, threadId)) {
      for (const turn of backfillTurns(threadId, page.turns)) {
        for (const event of turn.events) s.outbox.push(threadId, event);
        queued += turn.events.length;
      }
    }
  } catch (error) {
    report(error, `backfilling thread ${threadId} from codex's history`);
  }
  return queued;
}

/**
 * codex rolled the thread back (`thread/reverted`, from this runtime or any client of its
 * codex): the backend is told which turn codex kept last, and drops what it stored after it.
 */
export async function reportRollback(bridge: CodexLocalBridge, s: Session, threadId: string, report: Report): Promise<void> {
  try {
    // A turn begun since (still running) is not what codex kept of the old history.
    const kept = await lastFinishedTurn(bridge, threadId);
    const payload: ThreadRolledBack = kept ? { keptTurnId: kept.id, keptUntilMs: turnEndMs(kept) } : {};
    const at = Date.now();
    s.outbox?.push(threadId, {
      type: "lifecycle_event",
      eventId: `${threadId}/${THREAD_ROLLED_BACK_KIND}/${kept?.id ?? "none"}/${at}`,
      kind: THREAD_ROLLED_BACK_KIND,
      payloadJson: JSON.stringify(payload),
      createdAt: at,
    });
  } catch (error) {
    report(error, `reading what codex kept of thread ${threadId} after a rollback`);
  }
}
