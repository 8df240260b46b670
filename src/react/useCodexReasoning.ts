/**
 * Reasoning: the durable segments (paginated, oldest first) and the live reasoning streams
 * (summary and raw content) with the header codex would show as status.
 */
import { usePaginatedQuery } from "convex-helpers/react";
import type { FunctionArgs } from "convex/server";
import { useMemo } from "react";
import { mergeReasoning, type CodexReasoning } from "./mergeReasoning.js";
import { extractBoldHeader } from "./reasoningHeader.js";
import type { ThreadMessagesQuery, ThreadReasoningQuery } from "./references.js";
import type { CodexStream } from "./streamSync.js";
import type { CodexReasoningDoc, StreamInfo } from "./types.js";
import { useThreadStreams } from "./useThreadStreams.js";

const isReasoning = (s: StreamInfo) => s.channel === "reasoningSummary" || s.channel === "reasoningContent";

export type CodexReasoningResult = {
  /** Oldest first; with `stream`, live reasoning included (one entry per text). */
  results: CodexReasoning[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
  loadMore: (numItems: number) => void;
  isLoading: boolean;
};

/**
 * Durable reasoning segments of a thread, oldest first, from a paginated wrapper (newest first
 * on the wire). With `stream` (the thread's `threadMessages` wrapper, called with the same
 * `args`), reasoning being written shows as it streams and ends as its stored segment.
 */
export function useCodexReasoning<Query extends ThreadReasoningQuery, Streams extends ThreadMessagesQuery = ThreadMessagesQuery>(
  query: Query,
  args: Omit<FunctionArgs<Query>, "paginationOpts"> | "skip",
  options: { initialNumItems: number; stream?: Streams },
): CodexReasoningResult {
  const paginated = usePaginatedQuery(query, args as never, { initialNumItems: options.initialNumItems });
  const { streams } = useThreadStreams(options.stream ?? (query as never), options.stream ? (args as never) : "skip", isReasoning);
  const page = paginated.results as CodexReasoningDoc[];
  const threadId = args === "skip" ? "" : (args as { threadId: string }).threadId;
  const results = useMemo(() => mergeReasoning(page, streams, threadId), [page, streams, threadId]);
  return { results, status: paginated.status, loadMore: paginated.loadMore, isLoading: paginated.isLoading };
}

export type CodexReasoningStream = CodexStream & {
  channel: "reasoningSummary" | "reasoningContent";
  /** First closed `**bold**` run of the text, if any. */
  header: string | undefined;
};

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
