/**
 * Messages of a thread: durable pages (newest first on the wire) shown oldest first, with
 * the live text of streaming agent messages laid over them.
 */
import { useConvex, usePaginatedQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { mergeMessages, type CodexMessage } from "./mergeMessages.js";
import { sendMatchesQuery } from "./optimisticallySendCodexMessage.js";
import { pendingSendsOf } from "./pendingSends.js";
import type { ThreadMessagesQuery } from "./references.js";
import type { CodexStream } from "./streamSync.js";
import type { CodexMessageDoc } from "./types.js";
import { useThreadStreams } from "./useThreadStreams.js";

export type CodexMessagesArgs<Query extends ThreadMessagesQuery> = Omit<FunctionArgs<Query>, "paginationOpts" | "streamArgs">;

export type CodexMessagesResult = {
  /** Oldest first; the last entry is the newest (or the one streaming now). */
  results: CodexMessage[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
  /** Loads `numItems` older messages. */
  loadMore: (numItems: number) => void;
  isLoading: boolean;
};

const isAgentStream = (s: { channel: string }) => s.channel === "agentMessage";

/**
 * Paginated durable messages in chronological order plus, with `stream: true`, a
 * streaming overlay: a message being written shows its text as deltas arrive and ends as
 * one entry (same `key`) when the durable message completes.
 */
export function useCodexMessages<Query extends ThreadMessagesQuery>(
  query: Query,
  args: CodexMessagesArgs<Query> | "skip",
  options: { initialNumItems: number; stream?: boolean },
): CodexMessagesResult {
  const paginated = usePaginatedQuery(query, args as never, { initialNumItems: options.initialNumItems });
  const overlay = useThreadStreams(query, options.stream ? args : "skip", isAgentStream);
  const threadId = args === "skip" ? "" : (args as { threadId: string }).threadId;
  const page = paginated.results as CodexMessageDoc[];

  // Sends not stored yet (see pendingSends.ts) join the page until their durable copy lands.
  const pendingStore = pendingSendsOf(useConvex());
  const allPending = useSyncExternalStore(pendingStore.subscribe, pendingStore.getSnapshot, pendingStore.getSnapshot);
  const argsKey = args === "skip" ? "skip" : JSON.stringify(args);
  const pending = useMemo(
    () => (argsKey === "skip" ? [] : allPending.filter((p) => sendMatchesQuery(p.sendArgs, JSON.parse(argsKey) as Record<string, unknown>))),
    [allPending, argsKey],
  );
  const results = useMemo(() => {
    const inPage = new Set(page.map((m) => m._id as string));
    const extra = pending.filter((p) => !inPage.has(p.message._id)).map((p) => p.message);
    return mergeMessages(extra.length ? [...page, ...extra] : page, overlay.streams, threadId);
  }, [page, pending, overlay.streams, threadId]);
  // A pending send whose durable copy arrived (so merging dropped it) is done.
  useEffect(() => {
    if (pending.length === 0 || paginated.status === "LoadingFirstPage") return;
    const shown = new Set(results.map((m) => m._id as string));
    for (const p of pending) if (!shown.has(p.message._id)) pendingStore.remove(p.idempotencyKey);
  }, [pending, results, pendingStore, paginated.status]);
  return { results, status: paginated.status, loadMore: paginated.loadMore, isLoading: paginated.isLoading };
}

/**
 * Only the streaming side: the thread's live agent-message streams with their text so far
 * (delta-level), without loading any durable page.
 */
export function useCodexStreamingMessages<Query extends ThreadMessagesQuery>(
  query: Query,
  args: CodexMessagesArgs<Query> | "skip",
): CodexStream[] {
  return useThreadStreams(query, args, isAgentStream).streams;
}
