/** Thread status and active turn, straight from the app's thread-state wrapper. */
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import { useMemo } from "react";
import type { ThreadStateQuery } from "./references.js";
import { readThreadState, type ThreadStateView } from "./threadState.js";
import { useThreadQuery } from "./useThreadQuery.js";

export type CodexThreadState<Query extends ThreadStateQuery> = ThreadStateView & {
  /** The wrapper's result as returned; undefined while loading, null for a thread not found. */
  state: FunctionReturnType<Query> | null | undefined;
  isLoading: boolean;
};

export function useCodexThreadState<Query extends ThreadStateQuery>(
  query: Query,
  args: FunctionArgs<Query> | "skip",
): CodexThreadState<Query> {
  const state = useThreadQuery(query, args as Record<string, unknown> | "skip") as FunctionReturnType<Query> | null | undefined;
  const skipped = args === "skip";
  return useMemo(() => ({ ...readThreadState(state), state, isLoading: state === undefined && !skipped }), [state, skipped]);
}
