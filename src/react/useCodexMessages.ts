/**
 * Messages of a thread: durable pages (newest first on the wire) shown oldest first, with
 * the live text of streaming agent messages laid over them.
 */
import { useConvex } from "convex/react";
import { usePaginatedQuery } from "convex-helpers/react";
import type { FunctionArgs } from "convex/server";
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { mergeMessages, type CodexMessage, type MergeInput } from "./mergeMessages.js";
import { sendMatchesQuery } from "./optimisticallySendCodexMessage.js";
import { pendingSendsOf, type PendingSend } from "./pendingSends.js";
import type { CommandStatusQuery, ThreadMessagesQuery } from "./references.js";
import type { CodexStream } from "./streamSync.js";
import type { CodexMessageDoc } from "./types.js";
import { usePendingCommands } from "./usePendingCommands.js";
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
 * Paginated durable messages in chronological order (pages pinned at their ends, as
 * convex-helpers' `usePaginatedQuery` keeps them: a message stored or deleted while older
 * pages are loaded is never skipped or shown twice) plus, with `stream: true`, a
 * streaming overlay: a message being written shows its text as deltas arrive and ends as
 * one entry (same `key`) when the durable message completes.
 */
export function useCodexMessages<Query extends ThreadMessagesQuery>(
  query: Query,
  args: CodexMessagesArgs<Query> | "skip",
  options: {
    initialNumItems: number;
    stream?: boolean;
    /**
     * The app's `commandStatus` wrapper: sent messages whose command ends `failed` or
     * `cancelled` show as `failed` with the command's `error` instead of waiting forever.
     * (`useCodexComposer` takes it too; the client shares one subscription per command.)
     */
    commandStatus?: CommandStatusQuery;
  },
): CodexMessagesResult {
  const paginated = usePaginatedQuery(query, args as never, { initialNumItems: options.initialNumItems });
  const overlay = useThreadStreams(query, options.stream ? args : "skip", isAgentStream);
  const threadId = args === "skip" ? "" : (args as { threadId: string }).threadId;
  const page = paginated.results as CodexMessageDoc[];

  // Sends not stored yet (see pendingSends.ts) join the page until their durable copy lands.
  const pendingStore = pendingSendsOf(useConvex());
  const allPending = useSyncExternalStore(pendingStore.subscribe, pendingStore.getSnapshot, pendingStore.getSnapshot);
  usePendingCommands(options.commandStatus, pendingStore);
  const argsKey = args === "skip" ? "skip" : JSON.stringify(args);
  const pending = useMemo(
    () =>
      argsKey === "skip"
        ? []
        : allPending.filter((p): p is PendingSend & { message: CodexMessageDoc } => !!p.message && sendMatchesQuery(p.sendArgs, JSON.parse(argsKey) as Record<string, unknown>)),
    [allPending, argsKey],
  );
  const results = useMemo(() => {
    // A failed send wins over a copy of it in the page (a retry under the same key, in flight).
    const failedIds = new Set(pending.filter((p) => p.failure).map((p) => p.message._id as string));
    const shownPage = failedIds.size ? page.filter((m) => !failedIds.has(m._id)) : page;
    const inPage = new Set(shownPage.map((m) => m._id as string));
    const extra: MergeInput[] = pending
      .filter((p) => !inPage.has(p.message._id))
      .map((p) => (p.failure ? { ...p.message, failed: true, error: p.failure.error } : p.message));
    return mergeMessages(extra.length ? [...shownPage, ...extra] : shownPage, overlay.streams, threadId);
  }, [page, pending, overlay.streams, threadId]);
  // A pending send whose durable copy arrived (so merging dropped it) is done. A failed one
  // stays until retried or dismissed (`useCodexComposer`).
  useEffect(() => {
    if (pending.length === 0 || paginated.status === "LoadingFirstPage") return;
    const shown = new Set(results.map((m) => m._id as string));
    for (const p of pending) if (!p.failure && !shown.has(p.message._id)) pendingStore.remove(p.idempotencyKey);
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
