/**
 * codex's record of a thread, read in pages of whole turns (`thread/turns/list`, oldest first,
 * with their items), so a thread of thousands of turns is never one response: what the
 * backfill, the import and the thread summary read.
 */
import { buildThreadTurnsListRequest } from "../../app-server/index.js";
import type { CodexLocalBridge } from "../../bridge/index.js";
import type { Turn } from "../../protocol/generated/v2/Turn.js";

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
