/** Thread status and active turn, straight from the app's thread-state wrapper. */
import { useQuery } from "convex/react";
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import { useMemo } from "react";
import type { ThreadStateQuery } from "./references.js";
import { readThreadState, type ThreadStateView } from "./threadState.js";

export type CodexThreadState<Query extends ThreadStateQuery> = ThreadStateView & {
  /** The wrapper's result as returned; undefined while loading. */
  state: FunctionReturnType<Query> | undefined;
  isLoading: boolean;
};

export function useCodexThreadState<Query extends ThreadStateQuery>(
  query: Query,
  args: FunctionArgs<Query> | "skip",
): CodexThreadState<Query> {
  const state = useQuery(query, args as never) as FunctionReturnType<Query> | undefined;
  const skipped = args === "skip";
  return useMemo(() => ({ ...readThreadState(state), state, isLoading: state === undefined && !skipped }), [state, skipped]);
}
