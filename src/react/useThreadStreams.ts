/**
 * The streaming overlay engine behind the message and reasoning hooks. Two subscriptions on
 * the app's `threadMessages` wrapper, both with an empty page: `{kind: "list"}` names the
 * live streams, `{kind: "deltas", cursors}` brings only what follows our cursors. Each
 * result is applied once (by identity) to a pure `StreamSyncState`, and cursors move on in an
 * effect only when they changed, so a stream with no deltas settles after one request.
 */
import { useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { useEffect, useRef, useState } from "react";
import type { ThreadMessagesQuery } from "./references.js";
import {
  applyDeltas,
  cursorsToRequest,
  emptyStreamSync,
  sameCursors,
  syncStreamList,
  type CodexStream,
  type StreamSyncState,
} from "./streamSync.js";
import type { StreamCursor, StreamInfo, ThreadMessagesResult } from "./types.js";

export type ThreadStreams = {
  /** Streams in the order the server first listed them. */
  streams: CodexStream[];
  state: StreamSyncState;
  /** False until the first list arrived. */
  isLoaded: boolean;
};

const EMPTY: ThreadStreams = { streams: [], state: emptyStreamSync, isLoaded: false };
const emptyPage = { numItems: 0, cursor: null };

export function useThreadStreams<Query extends ThreadMessagesQuery>(
  query: Query,
  args: Omit<FunctionArgs<Query>, "paginationOpts" | "streamArgs"> | "skip",
  accept: (stream: StreamInfo) => boolean = () => true,
): ThreadStreams {
  const key = args === "skip" ? "skip" : JSON.stringify(convexToJson(args as Record<string, Value>));
  const base = args === "skip" ? undefined : { ...args, paginationOpts: emptyPage };

  const listResult = useQuery(
    query,
    (base ? { ...base, streamArgs: { kind: "list" } } : "skip") as never,
  ) as ThreadMessagesResult | undefined;

  const [requested, setRequested] = useState<{ key: string; cursors: StreamCursor[] }>({ key, cursors: [] });
  const cursors = requested.key === key ? requested.cursors : [];

  const deltasResult = useQuery(
    query,
    (base && cursors.length > 0 ? { ...base, streamArgs: { kind: "deltas", cursors } } : "skip") as never,
  ) as ThreadMessagesResult | undefined;

  // Applied at most once per result object, so re-renders cost nothing and a render that
  // React throws away only applied what the next one would apply anyway.
  const held = useRef<{ key: string; state: StreamSyncState; list?: unknown; deltas?: unknown; view: ThreadStreams }>({
    key,
    state: emptyStreamSync,
    view: EMPTY,
  });
  if (held.current.key !== key) held.current = { key, state: emptyStreamSync, view: EMPTY };
  const h = held.current;
  const listed = listResult?.streams?.kind === "list" ? listResult.streams.streams.filter(accept) : undefined;
  let state = h.state;
  if (listed && h.list !== listResult) {
    state = syncStreamList(state, listed);
    h.list = listResult;
  }
  if (deltasResult?.streams?.kind === "deltas" && h.deltas !== deltasResult) {
    state = applyDeltas(state, deltasResult.streams);
    h.deltas = deltasResult;
  }
  if (state !== h.state || (listed !== undefined && !h.view.isLoaded)) {
    h.state = state;
    h.view = { streams: [...state.streams.values()], state, isLoaded: listed !== undefined || h.view.isLoaded };
  }

  const next = listed ? cursorsToRequest(state, listed) : cursors;
  const changed = !sameCursors(next, cursors);
  useEffect(() => {
    // Only when the cursors really changed: with no new deltas nothing is set, nothing loops.
    if (changed) setRequested({ key, cursors: next });
  }, [changed, key, next]);

  return args === "skip" ? EMPTY : h.view;
}
