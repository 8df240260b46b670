/**
 * Client-side stream state: per stream, the text received so far and the cursor to ask
 * from next. Pure and immutable, so hooks can hold it in a ref and React can compare it
 * by identity. Applying a replay result costs time in proportion to its new deltas; deltas
 * already covered by a stream's cursor are skipped, so applying a result twice is harmless.
 */
import type { StreamCursor, StreamDelta, StreamInfo, StreamWindow } from "./types.js";

/** One stream as the UI sees it. */
/** The durable status a row shows for a stream in each state (overlay rows before the durable one lands). */
export const rowStatusOfStream = { streaming: "streaming", finished: "completed", aborted: "interrupted" } as const;

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
  /** Streams that left the live list: asked for once more so their last deltas are not missed. */
  readonly tails: ReadonlySet<string>;
};

export const emptyStreamSync: StreamSyncState = { streams: new Map(), stale: new Set(), resyncs: 0, tails: new Set() };

/**
 * Records the streams a list reported; keeps the text of known ones and of unlisted ones.
 * `startAt` gives a stream seen for the first time a cursor to start from (a saved checkpoint).
 * A stream first seen already ended is not followed (its durable row has the final text),
 * unless `readEnded` (a replay of everything, e.g. `useCodexAutoResume`).
 */
export function syncStreamList(
  state: StreamSyncState,
  listed: readonly StreamInfo[],
  startAt?: ReadonlyMap<string, number>,
  readEnded = false,
): StreamSyncState {
  let streams: Map<string, CodexStream> | undefined;
  for (const info of listed) {
    if (state.stale.has(info.streamId)) continue;
    const known = (streams ?? state.streams).get(info.streamId);
    if (!known && info.status !== "streaming" && !readEnded && !startAt?.has(info.streamId)) continue;
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
            from: startAt?.get(info.streamId) ?? 0,
            cursor: startAt?.get(info.streamId) ?? 0,
            serverCursor: info.cursor,
          },
    );
  }
  // A live stream the list no longer names has ended: read its tail once more.
  let tails: Set<string> | undefined;
  const names = new Set(listed.map((s) => s.streamId));
  for (const known of (streams ?? state.streams).values()) {
    if (known.status !== "streaming" || names.has(known.streamId)) continue;
    streams ??= new Map(state.streams);
    streams.set(known.streamId, { ...known, status: "finished" });
    tails ??= new Set(state.tails);
    tails.add(known.streamId);
  }
  return streams ? { ...state, streams, tails: tails ?? state.tails } : state;
}

/** Applies windows (stale → drop, rebased → restart at the server's window) then new deltas. */
export function applyDeltas(
  state: StreamSyncState,
  result: { deltas: readonly StreamDelta[]; streamWindows?: readonly StreamWindow[] },
): StreamSyncState {
  let streams: Map<string, CodexStream> | undefined;
  let stale: Set<string> | undefined;
  let resyncs = state.resyncs;
  let tails: Set<string> | undefined;
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

  // The server answered for these streams after they ended: their tails are in.
  for (const window of result.streamWindows ?? []) {
    if (!state.tails.has(window.streamId)) continue;
    tails ??= new Set(state.tails);
    tails.delete(window.streamId);
  }

  if (!streams && !stale && !tails && resyncs === state.resyncs) return state;
  return { streams: streams ?? state.streams, stale: stale ?? state.stale, resyncs, tails: tails ?? state.tails };
}

/**
 * The cursors to ask the server for, given the latest list: every live stream, plus
 * followed ones whose tail we have not read yet (never a stream we did not follow: its
 * final text is durable). Sorted, so equal requests compare equal.
 */
export function cursorsToRequest(state: StreamSyncState, listed: readonly StreamInfo[]): StreamCursor[] {
  const cursors: StreamCursor[] = [];
  for (const info of listed) {
    if (state.stale.has(info.streamId)) continue;
    const known = state.streams.get(info.streamId);
    if (!known && info.status !== "streaming") continue;
    const cursor = known?.cursor ?? 0;
    if (info.status === "streaming" || cursor < info.cursor) cursors.push({ streamId: info.streamId, cursor });
  }
  const named = new Set(cursors.map((c) => c.streamId));
  for (const streamId of state.tails) {
    const known = state.streams.get(streamId);
    if (known && !named.has(streamId) && !state.stale.has(streamId)) cursors.push({ streamId, cursor: known.cursor });
  }
  return cursors.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
}

export function sameCursors(a: readonly StreamCursor[], b: readonly StreamCursor[]): boolean {
  return a.length === b.length && a.every((c, i) => c.streamId === b[i]!.streamId && c.cursor === b[i]!.cursor);
}
