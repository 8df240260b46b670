/**
 * The thread's token usage — or one turn's, through a per-turn query — and how much of the
 * model's context window is left, as codex's status line computes it: a fixed baseline (the system prompt and tools, about 12,000
 * tokens) is not counted against the window, the context used is what the last model
 * request carried.
 */
import type { FunctionArgs } from "convex/server";
import type { TokenBreakdown, TokenUsageQuery } from "./references.js";
import { useThreadQuery } from "./useThreadQuery.js";

export type CodexTokenUsage = {
  /** The thread's running total. */
  totalTokens: number;
  inputTokens: number;
  outputTokens: number;
  /** Tokens in the context at the last request, when codex reported it. */
  contextTokens: number | undefined;
  modelContextWindow: number | undefined;
  /** 0–100, when both the context used and the window are known. */
  contextLeftPercent: number | undefined;
  /** What the turn cost (its row's `turn`: total minus the thread's total before the turn), when known. */
  turn: TokenBreakdown | undefined;
};

const BASELINE_TOKENS = 12_000;

/** Percent of the context window left (codex's `percent_of_context_window_remaining`). */
export function contextLeftPercent(contextTokens: number, contextWindow: number): number {
  if (contextWindow <= BASELINE_TOKENS) return 0;
  const effective = contextWindow - BASELINE_TOKENS;
  const used = Math.max(0, contextTokens - BASELINE_TOKENS);
  const remaining = Math.max(0, effective - used);
  return Math.round(Math.min(100, Math.max(0, (remaining / effective) * 100)));
}

/** `usage` is `undefined` while loading, `null` before codex reported any — or for a thread that is not (or no longer) there. */
export function useCodexTokenUsage<Query extends TokenUsageQuery>(
  query: Query,
  args: FunctionArgs<Query> | "skip",
): { usage: CodexTokenUsage | null | undefined } {
  const row = useThreadQuery(query, args as never) as FunctionReturnTypeOf<Query> | null | undefined;
  if (row === undefined) return { usage: undefined };
  if (row === null) return { usage: null };
  const { totalTokens, inputTokens, outputTokens, contextTokens, modelContextWindow, turn } = row;
  const left = contextTokens !== undefined && modelContextWindow !== undefined ? contextLeftPercent(contextTokens, modelContextWindow) : undefined;
  return { usage: { totalTokens, inputTokens, outputTokens, contextTokens, modelContextWindow, contextLeftPercent: left, turn } };
}

type FunctionReturnTypeOf<Query extends TokenUsageQuery> = Query["_returnType"];
