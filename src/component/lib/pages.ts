/**
 * Pages of the component's lists. The built-in `.paginate()` is not available inside a
 * mounted component (lint forbids it here), so pages come from convex-helpers' `paginator`,
 * with what the built-in gives for free made explicit:
 * - Page ends are pinned by the caller: a page asked for with `endCursor` (the
 *   `continueCursor` it returned before) covers exactly the rows up to that cursor, however
 *   many were inserted or deleted meanwhile, so adjacent pages stay adjacent (no row skipped,
 *   none shown twice). convex-helpers' `usePaginatedQuery` (and the hooks in `./react`)
 *   pin every page but the last; a page that grew past twice its size is split.
 * - Bounded: `numItems` is capped at PAGE_MAX_ITEMS; a pinned page stops at
 *   PAGE_MAX_ROWS_READ rows or PAGE_MAX_BYTES_READ bytes and answers `SplitRequired`, keeping
 *   its pinned end, so the two halves the client asks for next still cover the whole range.
 */
import type { PaginationOptions, PaginationResult } from "convex/server";
import { ErrorCode, codexError } from "../../contract/errors.js";
import { PAGE_MAX_BYTES_READ, PAGE_MAX_ITEMS, PAGE_MAX_ROWS_READ } from "../../contract/limits.js";

type PageRequest = PaginationOptions & { endCursor?: string | null; maximumRowsRead?: number; maximumBytesRead?: number };

/** A `paginator(ctx.db, schema).query(…)…` chain, ready to page. */
export type Pageable<T> = { paginate(opts: PageRequest): Promise<PaginationResult<T>> };

export async function pageOf<T>(query: Pageable<T>, opts: PaginationOptions): Promise<PaginationResult<T>> {
  const cursor = checkCursor("cursor", opts.cursor);
  const endCursor = checkCursor("endCursor", opts.endCursor ?? null);
  if (opts.numItems === 0) return { page: [], isDone: false, continueCursor: cursor ?? "" };
  const result = await query.paginate({
    numItems: Math.min(opts.numItems, PAGE_MAX_ITEMS),
    cursor,
    endCursor,
    maximumRowsRead: Math.min(opts.maximumRowsRead ?? PAGE_MAX_ROWS_READ, PAGE_MAX_ROWS_READ),
    maximumBytesRead: Math.min(opts.maximumBytesRead ?? PAGE_MAX_BYTES_READ, PAGE_MAX_BYTES_READ),
  });
  // A pinned page cut short still ends where it was pinned: its split halves cover it all.
  if (endCursor !== null && result.pageStatus === "SplitRequired") return { ...result, continueCursor: endCursor };
  return result;
}

/** A cursor this component returned (an index key as JSON), or null; "" means the start. */
function checkCursor(field: string, cursor: string | null): string | null {
  if (cursor === null || cursor === "") return null;
  let key: unknown;
  try {
    key = JSON.parse(cursor);
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key)) {
    throw codexError(ErrorCode.invalidArgument, `paginationOpts.${field} is not a cursor this query returned`, {
      field: `paginationOpts.${field}`,
    });
  }
  return cursor;
}
