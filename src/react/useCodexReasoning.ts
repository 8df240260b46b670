/**
 * Reasoning: the durable segments (paginated, oldest first) and the live reasoning streams
 * (summary and raw content) with the header codex would show as status.
 */
import { usePaginatedQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { useMemo } from "react";
import { extractBoldHeader } from "./reasoningHeader.js";
import type { ThreadMessagesQuery, ThreadReasoningQuery } from "./references.js";
import type { CodexStream } from "./streamSync.js";
import type { CodexReasoningDoc, StreamInfo } from "./types.js";
import { useThreadStreams } from "./useThreadStreams.js";

export type CodexReasoningResult = {
  /** Oldest first. */
  results: CodexReasoningDoc[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
  loadMore: (numItems: number) => void;
  isLoading: boolean;
};

/** Durable reasoning segments of a thread, oldest first, from a paginated wrapper (newest first on the wire). */
export function useCodexReasoning<Query extends ThreadReasoningQuery>(
  query: Query,
  args: Omit<FunctionArgs<Query>, "paginationOpts"> | "skip",
  options: { initialNumItems: number },
): CodexReasoningResult {
  const paginated = usePaginatedQuery(query, args as never, options);
  const page = paginated.results as CodexReasoningDoc[];
  const results = useMemo(() => [...page].sort((a, b) => a.order - b.order || a._creationTime - b._creationTime), [page]);
  return { results, status: paginated.status, loadMore: paginated.loadMore, isLoading: paginated.isLoading };
}

export type CodexReasoningStream = CodexStream & {
  channel: "reasoningSummary" | "reasoningContent";
  /** First closed `**bold**` run of the text, if any. */
  header: string | undefined;
};

const isReasoning = (s: StreamInfo) => s.channel === "reasoningSummary" || s.channel === "reasoningContent";

/** Live reasoning streams of a thread (through its `threadMessages` wrapper), oldest first. */
export function useCodexStreamingReasoning<Query extends ThreadMessagesQuery>(
  query: Query,
  args: Omit<FunctionArgs<Query>, "paginationOpts" | "streamArgs"> | "skip",
): CodexReasoningStream[] {
  const { streams } = useThreadStreams(query, args, isReasoning);
  return useMemo(
    () => streams.map((s) => ({ ...s, channel: s.channel as CodexReasoningStream["channel"], header: extractBoldHeader(s.text) })),
    [streams],
  );
}
