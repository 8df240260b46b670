/**
 * The account's rate limits as codex last reported them (`rateLimits`): per limit, the share
 * of each window used and when it resets. `undefined` while loading; empty before codex
 * reported any (a model provider without limits reports none of its windows).
 */
import { useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import type { RateLimitsQuery } from "./references.js";
import type { CodexRateLimitDoc } from "./types.js";

export type CodexRateLimit = CodexRateLimitDoc["snapshot"] & {
  limitKey: string;
  updatedAt: number;
  /** The higher of the windows' used percent, when codex reported any. */
  usedPercent: number | undefined;
};

export function useCodexRateLimits<Query extends RateLimitsQuery>(query: Query, args: FunctionArgs<Query> | "skip" = {} as FunctionArgs<Query>): { limits: CodexRateLimit[] | undefined } {
  const rows = useQuery(query, args as never) as CodexRateLimitDoc[] | undefined;
  if (rows === undefined) return { limits: undefined };
  return {
    limits: rows.map((row) => {
      const windows = [row.snapshot.primary, row.snapshot.secondary].filter((w) => w !== undefined);
      return { ...row.snapshot, limitKey: row.limitKey, updatedAt: row.updatedAt, usedPercent: windows.length > 0 ? Math.max(...windows.map((w) => w.usedPercent)) : undefined };
    }),
  };
}
