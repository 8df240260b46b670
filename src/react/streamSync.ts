/**
 * Client-side stream state: per stream, the text received so far and the cursor to ask
 * from next. Pure and immutable, so hooks can hold it in a ref and React can compare it
 * by identity. Applying a replay result costs time in proportion to its new deltas; deltas
 * already covered by a stream's cursor are skipped, so applying a result twice is harmless.
 */
import type { StreamCursor, StreamDelta, StreamInfo, StreamWindow } from "./types.js";

/** One stream as the UI sees it. */
export type CodexStream = Pick<StreamInfo, "streamId" | "turnId" | "itemId" | "channel" | "status"> & {
  /** Text received so far, covering cursors [from, cursor). */
  text: string;
  /** Where `text` starts: 0, or later when the server no longer had the beginning (`rebased`). */
  from: number;
  /** End of `text`: the cursor to ask for next. */
  cursor: number;
  /** The server's end cursor as last listed (`cursor < serverCursor` = more to read). */
  serverCursor: number;
};

export type StreamSyncState = {
  readonly streams: ReadonlyMap<string, CodexStream>;
  /** Streams the server reported `stale` (gone): never asked for again; durable rows take over. */
  readonly stale: ReadonlySet<string>;
  /** How many times a window was rebased or went stale (for UIs and tests). */
  readonly resyncs: number;
};

export const emptyStreamSync: StreamSyncState = { streams: new Map(), stale: new Set(), resyncs: 0 };

/** Records the streams a list reported; keeps the text of known ones and of unlisted ones. */
export function syncStreamList(state: StreamSyncState, listed: readonly StreamInfo[]): StreamSyncState {
  let streams: Map<string, CodexStream> | undefined;
  for (const info of listed) {
    if (state.stale.has(info.streamId)) continue;
    const known = (streams ?? state.streams).get(info.streamId);
    if (known && known.status === info.status && known.serverCursor === info.cursor) continue;
    streams ??= new Map(state.streams);
    streams.set(
      info.streamId,
      known
        ? { ...known, status: info.status, serverCursor: info.cursor }
        : {
            streamId: info.streamId,
            turnId: info.turnId,
            itemId: info.itemId,
            channel: info.channel,
            status: info.status,
            text: "",
            from: 0,
            cursor: 0,
            serverCursor: info.cursor,
          },
    );
  }
  return streams ? { ...state, streams } : state;
}

/** Applies windows (stale → drop, rebased → restart at the server's window) then new deltas. */
export function applyDeltas(
  state: StreamSyncState,
  result: { deltas: readonly StreamDelta[]; streamWindows?: readonly StreamWindow[] },
): StreamSyncState {
  let streams: Map<string, CodexStream> | undefined;
  let stale: Set<string> | undefined;
  let resyncs = state.resyncs;
  const rebased = new Set<string>();
  const get = (id: string) => (streams ?? state.streams).get(id);
  const put = (s: CodexStream) => {
    streams ??= new Map(state.streams);
    streams.set(s.streamId, s);
  };

  for (const window of result.streamWindows ?? []) {
    if (window.status === "stale") {
      if (!get(window.streamId) && state.stale.has(window.streamId)) continue;
      streams ??= new Map(state.streams);
      streams.delete(window.streamId);
      stale ??= new Set(state.stale);
      stale.add(window.streamId);
      resyncs++;
    } else if (window.status === "rebased") {
      const known = get(window.streamId);
      if (!known) continue;
      const first = result.deltas.find((d) => d.streamId === window.streamId);
      const start = first ? first.cursorStart : window.serverCursor;
      put({ ...known, text: "", from: start, cursor: start });
      rebased.add(window.streamId);
      resyncs++;
    }
  }

  for (const delta of result.deltas) {
    const known = get(delta.streamId);
    if (!known || delta.cursorEnd <= known.cursor) continue;
    const fresh = delta.cursorStart >= known.cursor
      ? delta.text
      : delta.text.slice(known.cursor - delta.cursorStart);
    // A stream we have nothing of yet starts where the server's first delta starts.
    const from = known.text === "" && delta.cursorStart > known.cursor ? delta.cursorStart : known.from;
    put({ ...known, text: known.text + fresh, from, cursor: delta.cursorEnd });
  }

  if (!streams && !stale && resyncs === state.resyncs) return state;
  return { streams: streams ?? state.streams, stale: stale ?? state.stale, resyncs };
}

/**
 * The cursors to ask the server for, given the latest list: every live stream, plus
 * finished ones whose tail we have not read yet. Sorted, so equal requests compare equal.
 */
export function cursorsToRequest(state: StreamSyncState, listed: readonly StreamInfo[]): StreamCursor[] {
  const cursors: StreamCursor[] = [];
  for (const info of listed) {
    if (state.stale.has(info.streamId)) continue;
    const known = state.streams.get(info.streamId);
    const cursor = known?.cursor ?? 0;
    if (info.status === "streaming" || cursor < info.cursor) cursors.push({ streamId: info.streamId, cursor });
  }
  return cursors.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
}

export function sameCursors(a: readonly StreamCursor[], b: readonly StreamCursor[]): boolean {
  return a.length === b.length && a.every((c, i) => c.streamId === b[i]!.streamId && c.cursor === b[i]!.cursor);
}
