/**
 * The workload every system streams: one assistant reply of N characters arriving in
 * batches of a fixed size — what the bridge's outbox sends per 250 ms window — on a clock
 * that moves 250 ms per batch, so heartbeats and debounces fire as often as they would
 * live. The text is seeded (same for every system) and mixes 1- and 2-byte UTF-8.
 */
export const BATCH_MS = 250;

export function replyText(chars: number): string {
  const words = "the stream of a codex reply arrives in small pieces — grüße, naïve café — and must reach every device".split(" ");
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let text = "";
  while (text.length < chars) text += words[Math.floor(rand() * words.length)] + (rand() < 0.1 ? ".\n" : " ");
  return text.slice(0, chars);
}

export function batchesOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A clock the bench moves by hand: Convex functions and the systems' debounces read `Date.now`. */
export function installClock(start = 1_800_000_000_000) {
  let now = start;
  Date.now = () => now;
  return { advance: (ms: number) => (now += ms), now: () => now };
}

/** What one system reports for one (N, batch size) run. */
export type Figures = {
  system: string;
  chars: number;
  batchChars: number;
  batches: number;
  /** The reply: from its start to its final durable text (setup of thread and user message excluded). */
  mutations: number;
  docsWritten: number;
  bytesWritten: number;
  live: { docs: number; bytes: number };
  joiner: { docs: number; bytes: number };
  after: { docs: number; bytes: number };
  /** Pauses (after every batch) at which a follower's text differed from what was streamed. */
  mismatches: number;
};
