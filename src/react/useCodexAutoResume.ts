/**
 * Every stream of a thread (any channel) through the app's `streamSync` wrapper, kept in
 * step across cleanup: a `stale` window (the stream is gone) drops that stream so the
 * durable rows take over, a `rebased` window (its start was cleaned up) restarts it at the
 * server's window, and streams can start from saved checkpoints instead of cursor 0.
 * `onCheckpoint` receives the server's next checkpoints to persist or acknowledge.
 */
import { useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { useEffect, useRef, useState } from "react";
import type { StreamSyncQuery } from "./references.js";
import {
  applyDeltas,
  cursorsToRequest,
  emptyStreamSync,
  sameCursors,
  syncStreamList,
  type CodexStream,
  type StreamSyncState,
} from "./streamSync.js";
import type { ReplayResult, StreamChannel, StreamCursor } from "./types.js";

export type CodexAutoResume = {
  streams: CodexStream[];
  /** How many windows came back `stale` or `rebased` and were re-synced. */
  resyncs: number;
  isLoaded: boolean;
};

export type CodexAutoResumeOptions = {
  channels?: readonly StreamChannel[];
  /** Where to start streams not read yet, e.g. checkpoints saved by `onCheckpoint`. */
  initialCursors?: readonly StreamCursor[];
  onCheckpoint?: (checkpoints: StreamCursor[]) => void;
};

export function useCodexAutoResume<Query extends StreamSyncQuery>(
  query: Query,
  args: Omit<FunctionArgs<Query>, "streamCursorsById"> | "skip",
  options: CodexAutoResumeOptions = {},
): CodexAutoResume {
  const key = args === "skip" ? "skip" : JSON.stringify(convexToJson(args as Record<string, Value>));
  const [requested, setRequested] = useState<{ key: string; cursors: StreamCursor[] }>({ key, cursors: [] });
  const cursors = requested.key === key ? requested.cursors : [];
  const result = useQuery(
    query,
    (args === "skip" ? "skip" : { ...args, streamCursorsById: cursors }) as never,
  ) as ReplayResult | undefined;

  const held = useRef<{ key: string; state: StreamSyncState; result?: unknown; view: CodexAutoResume }>({
    key,
    state: emptyStreamSync,
    view: { streams: [], resyncs: 0, isLoaded: false },
  });
  if (held.current.key !== key) {
    held.current = { key, state: emptyStreamSync, view: { streams: [], resyncs: 0, isLoaded: false } };
  }
  const h = held.current;
  const channels = options.channels;
  const listed = result?.streams.filter((s) => !channels || channels.includes(s.channel));
  if (result && listed && h.result !== result) {
    const startAt = new Map((options.initialCursors ?? []).map((c) => [c.streamId, c.cursor]));
    const state = applyDeltas(syncStreamList(h.state, listed, startAt, true), result);
    h.result = result;
    if (state !== h.state || !h.view.isLoaded) {
      h.state = state;
      h.view = { streams: [...state.streams.values()], resyncs: state.resyncs, isLoaded: true };
    }
  }

  const next = listed ? cursorsToRequest(h.state, listed) : cursors;
  const changed = !sameCursors(next, cursors);
  useEffect(() => {
    if (changed) setRequested({ key, cursors: next });
  }, [changed, key, next]);

  const onCheckpoint = options.onCheckpoint;
  const checkpoints = result?.nextCheckpoints;
  useEffect(() => {
    if (onCheckpoint && checkpoints && checkpoints.length > 0) onCheckpoint(checkpoints);
  }, [onCheckpoint, checkpoints]);

  return args === "skip" ? { streams: [], resyncs: 0, isLoaded: false } : h.view;
}
