/**
 * `pnpm bench:react`: what one streaming update costs on the client. Applies a stream of N
 * deltas one result at a time (as the hooks do) and prints the time per update at the start
 * and at the end of the stream: with per-stream cursors it should not grow with the length.
 * Prints figures only; nothing here asserts on time.
 */
import { applyDeltas, emptyStreamSync, syncStreamList, type StreamSyncState } from "../streamSync.js";
import { mergeMessages } from "../mergeMessages.js";

const N = Number(process.env.BENCH_DELTAS ?? 20_000);
const chunk = "lorem ipsum ";
const info = { streamId: "s", turnId: "t", itemId: "i", channel: "agentMessage" as const, status: "streaming" as const, cursor: 0, retainedFrom: 0 };

let state: StreamSyncState = syncStreamList(emptyStreamSync, [info]);
const timings: number[] = [];
for (let k = 0; k < N; k++) {
  const delta = { streamId: "s", cursorStart: k * chunk.length, cursorEnd: (k + 1) * chunk.length, text: chunk };
  const t0 = performance.now();
  state = applyDeltas(state, { deltas: [delta], streamWindows: [{ streamId: "s", status: "ok", serverCursor: delta.cursorEnd }] });
  mergeMessages([], [...state.streams.values()]);
  timings.push(performance.now() - t0);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const window = Math.min(1000, Math.floor(N / 4));
console.log(`deltas applied: ${N}, final text: ${state.streams.get("s")!.text.length} chars`);
console.log(`mean µs per update, first ${window}: ${(mean(timings.slice(0, window)) * 1000).toFixed(2)}`);
console.log(`mean µs per update, last ${window}:  ${(mean(timings.slice(-window)) * 1000).toFixed(2)}`);

// The same stream, re-applying every delta from the start on each update (what the hooks avoid).
let naive = 0;
const M = Math.min(N, 2_000);
const all = Array.from({ length: M }, (_, k) => ({ streamId: "s", cursorStart: k * chunk.length, cursorEnd: (k + 1) * chunk.length, text: chunk }));
const t1 = performance.now();
for (let k = 1; k <= M; k++) naive += applyDeltas(syncStreamList(emptyStreamSync, [info]), { deltas: all.slice(0, k) }).streams.get("s")!.text.length;
console.log(`re-applying all deltas per update, ${M} updates: ${(performance.now() - t1).toFixed(1)} ms total (${naive} chars built)`);
