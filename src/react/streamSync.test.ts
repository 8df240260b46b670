import { describe, expect, test } from "vitest";
import { applyDeltas, cursorsToRequest, emptyStreamSync, syncStreamList } from "./streamSync.js";
import type { StreamInfo } from "./types.js";

const info = (streamId: string, over: Partial<StreamInfo> = {}): StreamInfo => ({
  streamId,
  turnId: "t1",
  itemId: `item-${streamId}`,
  channel: "agentMessage",
  status: "streaming",
  cursor: 0,
  retainedFrom: 0,
  ...over,
});
const d = (streamId: string, cursorStart: number, text: string) => ({ streamId, cursorStart, cursorEnd: cursorStart + text.length, text });

describe("stream sync state", () => {
  test("appends deltas after the cursor and asks from the new cursor", () => {
    let s = syncStreamList(emptyStreamSync, [info("a")]);
    expect(cursorsToRequest(s, [info("a")])).toEqual([{ streamId: "a", cursor: 0 }]);
    s = applyDeltas(s, { deltas: [d("a", 0, "Hel"), d("a", 3, "lo")] });
    expect(s.streams.get("a")).toMatchObject({ text: "Hello", from: 0, cursor: 5 });
    expect(cursorsToRequest(s, [info("a", { cursor: 5 })])).toEqual([{ streamId: "a", cursor: 5 }]);
  });

  test("a client that arrives after a stream ended asks for none of its deltas (its message is durable)", () => {
    const ended = [info("a", { status: "finished", cursor: 200_000 }), info("b", { status: "aborted", cursor: 10 })];
    const s = syncStreamList(emptyStreamSync, ended);
    expect(s.streams.size).toBe(0);
    expect(cursorsToRequest(s, ended)).toEqual([]);
    // One it followed live still gets its tail read once; a replay of everything reads them all.
    const followed = applyDeltas(syncStreamList(emptyStreamSync, [info("a")]), { deltas: [d("a", 0, "Hel")] });
    expect(cursorsToRequest(syncStreamList(followed, ended), ended)).toEqual([{ streamId: "a", cursor: 3 }]);
    expect(cursorsToRequest(syncStreamList(emptyStreamSync, ended, undefined, true), ended)).toHaveLength(2);
  });

  test("applying the same result twice changes nothing (and returns the same state)", () => {
    const result = { deltas: [d("a", 0, "Hel"), d("a", 3, "lo")] };
    const once = applyDeltas(syncStreamList(emptyStreamSync, [info("a")]), result);
    const twice = applyDeltas(once, result);
    expect(twice).toBe(once);
    expect(twice.streams.get("a")!.text).toBe("Hello");
  });

  test("a delta overlapping the cursor contributes only its new part", () => {
    let s = applyDeltas(syncStreamList(emptyStreamSync, [info("a")]), { deltas: [d("a", 0, "Hel")] });
    s = applyDeltas(s, { deltas: [d("a", 1, "ello")] });
    expect(s.streams.get("a")).toMatchObject({ text: "Hello", cursor: 5 });
  });

  test("deltas of streams never listed are ignored", () => {
    const s = applyDeltas(emptyStreamSync, { deltas: [d("x", 0, "boo")] });
    expect(s).toBe(emptyStreamSync);
  });

  test("stale: the stream is dropped and never asked for again", () => {
    let s = applyDeltas(syncStreamList(emptyStreamSync, [info("a")]), { deltas: [d("a", 0, "Hi")] });
    s = applyDeltas(s, { deltas: [], streamWindows: [{ streamId: "a", status: "stale", serverCursor: 0 }] });
    expect(s.streams.has("a")).toBe(false);
    expect(s.resyncs).toBe(1);
    expect(cursorsToRequest(s, [info("a", { cursor: 9 })])).toEqual([]);
    expect(syncStreamList(s, [info("a")]).streams.has("a")).toBe(false);
  });

  test("rebased: the buffer restarts at the server's window", () => {
    let s = applyDeltas(syncStreamList(emptyStreamSync, [info("a")]), { deltas: [d("a", 0, "Hi")] });
    s = applyDeltas(s, {
      deltas: [d("a", 10, "tail")],
      streamWindows: [{ streamId: "a", status: "rebased", serverCursor: 14 }],
    });
    expect(s.streams.get("a")).toMatchObject({ text: "tail", from: 10, cursor: 14 });
    expect(s.resyncs).toBe(1);
  });

  test("rebased with no deltas restarts at the server cursor", () => {
    let s = syncStreamList(emptyStreamSync, [info("a")]);
    s = applyDeltas(s, { deltas: [], streamWindows: [{ streamId: "a", status: "rebased", serverCursor: 7 }] });
    expect(s.streams.get("a")).toMatchObject({ text: "", from: 7, cursor: 7 });
    expect(cursorsToRequest(s, [info("a", { cursor: 7 })])).toEqual([{ streamId: "a", cursor: 7 }]);
  });

  test("a finished stream is asked for only while its tail is unread; cursors are sorted", () => {
    const s = applyDeltas(syncStreamList(emptyStreamSync, [info("b"), info("a")]), { deltas: [d("a", 0, "abc")] });
    expect(cursorsToRequest(s, [info("b", { status: "finished", cursor: 3 }), info("a", { status: "finished", cursor: 3 })])).toEqual([
      { streamId: "b", cursor: 0 },
    ]);
    expect(cursorsToRequest(s, [info("b"), info("a")]).map((c) => c.streamId)).toEqual(["a", "b"]);
  });

  test("a stream that leaves the live list is finished and its tail asked for once more", () => {
    let s = applyDeltas(syncStreamList(emptyStreamSync, [info("a")]), { deltas: [d("a", 0, "Hel")] });
    s = syncStreamList(s, []);
    expect(s.streams.get("a")!.status).toBe("finished");
    expect(cursorsToRequest(s, [])).toEqual([{ streamId: "a", cursor: 3 }]);
    s = applyDeltas(s, { deltas: [d("a", 3, "lo")], streamWindows: [{ streamId: "a", status: "ok", serverCursor: 5 }] });
    expect(s.streams.get("a")!.text).toBe("Hello");
    expect(cursorsToRequest(s, [])).toEqual([]);
  });

  test("a saved checkpoint starts a new stream past cursor 0", () => {
    const s = syncStreamList(emptyStreamSync, [info("a", { cursor: 20 })], new Map([["a", 12]]));
    expect(s.streams.get("a")).toMatchObject({ from: 12, cursor: 12 });
  });
});
