/**
 * The owner's threads, most recently updated first, through the app's thread-list wrapper.
 * Pages come from the component's `paginator` pages with their ends pinned (convex-helpers'
 * `usePaginatedQuery`): when a thread is created, renamed or moves to the top while older
 * pages are loaded, no thread at a page boundary disappears and none shows twice.
 */
import { usePaginatedQuery } from "convex-helpers/react";
import type { FunctionArgs } from "convex/server";
import type { ThreadListQuery } from "./references.js";
import type { CodexThreadDoc } from "./types.js";

export type CodexThreadsResult = {
  /** Most recently updated first. */
  results: CodexThreadDoc[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
  /** Loads `numItems` more (older) threads; the server serves at most 200 per page. */
  loadMore: (numItems: number) => void;
  isLoading: boolean;
};

export function useCodexThreads<Query extends ThreadListQuery>(
  query: Query,
  args: Omit<FunctionArgs<Query>, "paginationOpts"> | "skip",
  options: { initialNumItems: number },
): CodexThreadsResult {
  const paginated = usePaginatedQuery(query, args as never, options);
  return {
    results: paginated.results as CodexThreadDoc[],
    status: paginated.status,
    loadMore: paginated.loadMore,
    isLoading: paginated.isLoading,
  };
}
