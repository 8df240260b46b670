/**
 * `useQuery` for thread reads that tolerates a thread that does not exist yet: the
 * component answers a missing (or another user's) thread with the coded error
 * `E_THREAD_NOT_FOUND`, which here reads as `null`. Any other error is thrown as usual.
 */
import { useQueries } from "convex/react";
import { getFunctionName, type FunctionReference } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { useMemo } from "react";

// The component's `ErrorCode.threadNotFound`, by value: hooks do not import component code.
const THREAD_NOT_FOUND = "E_THREAD_NOT_FOUND";

export function isThreadNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const data = (error as { data?: unknown }).data;
  if (typeof data === "object" && data !== null && (data as { code?: unknown }).code === THREAD_NOT_FOUND) return true;
  return error.message.includes(THREAD_NOT_FOUND);
}

export function useThreadQuery(query: FunctionReference<"query">, args: Record<string, unknown> | "skip"): unknown {
  const key = args === "skip" ? "skip" : JSON.stringify(convexToJson(args as Record<string, Value>));
  const name = getFunctionName(query);
  const queries = useMemo(
    () => (key === "skip" ? {} : { value: { query, args: JSON.parse(key) as Record<string, Value> } }),
    // `query` is identified by name, `args` by value.
    [key, name],
  );
  const result = useQueries(queries as never).value as unknown;
  if (result instanceof Error) {
    if (isThreadNotFound(result)) return null;
    throw result;
  }
  return result;
}
