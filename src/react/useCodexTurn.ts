/** One turn: its messages (with the streaming overlay when given the thread's messages wrapper) and where it stands. */
import { useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { useMemo } from "react";
import { mergeMessages, type CodexMessage } from "./mergeMessages.js";
import type { ThreadMessagesQuery, TurnMessagesQuery } from "./references.js";
import type { CodexMessageDoc, StreamInfo } from "./types.js";
import { useThreadStreams } from "./useThreadStreams.js";

export type CodexTurn = {
  messages: CodexMessage[];
  /** `loading` until the first result; `streaming` while any message of the turn is; else `idle`. */
  status: "loading" | "streaming" | "idle";
  isLoading: boolean;
};

export function useCodexTurn<Query extends TurnMessagesQuery, Streams extends ThreadMessagesQuery = ThreadMessagesQuery>(
  query: Query,
  args: FunctionArgs<Query> | "skip",
  options: { streamsQuery?: Streams } = {},
): CodexTurn {
  const durable = useQuery(query, args as never) as CodexMessageDoc[] | undefined;
  const skipped = args === "skip";
  const turnId = args === "skip" ? undefined : (args as { turnId: string }).turnId;
  const threadId = args === "skip" ? "" : (args as { threadId: string }).threadId;
  // The thread's stream list, narrowed to this turn (subscriptions are keyed by value).
  let threadArgs: Record<string, unknown> | "skip" = "skip";
  if (args !== "skip" && options.streamsQuery) {
    const { turnId: _turn, ...rest } = args as Record<string, unknown>;
    threadArgs = rest;
  }
  const accept = useMemo(() => (s: StreamInfo) => s.channel === "agentMessage" && s.turnId === turnId, [turnId]);
  const { streams } = useThreadStreams(options.streamsQuery ?? (query as unknown as Streams), threadArgs as never, accept);
  return useMemo(() => {
    if (durable === undefined) return { messages: [], status: "loading", isLoading: !skipped };
    const messages = mergeMessages(durable, streams, threadId);
    const streaming = messages.some((m) => m.status === "streaming" || m.streaming);
    return { messages, status: streaming ? "streaming" : "idle", isLoading: false };
  }, [durable, streams, threadId, skipped]);
}
