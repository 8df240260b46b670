/**
 * `pnpm bench:stream`: one assistant reply streamed through ours and the two peers, in one
 * run, measured with the same instrument (`instrument.ts`): writes of the reply, and the
 * reads of a live follower, of a client that joins halfway and of one that opens the
 * thread after the reply finished — each a model of that system's own React hooks whose
 * subscriptions re-run exactly when a write touches what they read. Prints figures and the
 * issue's targets; asserts nothing about time. `BENCH_SIZES=2000,20000` narrows the run.
 */
import { BATCH_MS, batchesOf, installClock, replyText, type Figures } from "./workload.js";
import { agent, ours, persistentTextStreaming, type Client, type System } from "./systems.js";

const SIZES = (process.env.BENCH_SIZES ?? "2000,20000,200000").split(",").map(Number);
const BATCH_SIZES = [25, 100];
/** A peer whose follower reads grow with the square of the reply is run up to this many batches. */
const QUADRATIC_MAX_BATCHES = Number(process.env.BENCH_QUADRATIC_MAX_BATCHES ?? 2000);

async function measure(make: () => Promise<System>, chars: number, batchChars: number): Promise<Figures> {
  const clock = installClock();
  const system = await make();
  const full = replyText(chars);
  const pieces = batchesOf(full, batchChars);
  await system.setup();
  const written = { mutations: 0, docsWritten: 0, bytesWritten: 0 };
  const clients: Client[] = [];
  let mismatches = 0;
  const mutate = async (fn: () => Promise<void>) => {
    const { writes, tally } = await system.instrument.write(fn);
    if (writes.length === 0) return;
    written.mutations++;
    written.docsWritten += tally.docs;
    written.bytesWritten += tally.bytes;
    for (const c of clients) {
      await c.follower.onWrites(writes);
      await c.settle();
    }
  };
  const check = (expected: string) => {
    for (const c of clients) if (c.text() !== expected) mismatches++;
  };

  await mutate(() => system.start());
  const live = system.client();
  await live.open();
  clients.push(live);
  let joiner: Client | undefined;
  for (let k = 0; k < pieces.length; k++) {
    clock.advance(BATCH_MS);
    await mutate(() => system.batch(pieces[k]!, k, k === pieces.length - 1));
    if (k === Math.floor(pieces.length / 2)) {
      joiner = system.client();
      await joiner.open();
      clients.push(joiner);
    }
    check(full.slice(0, (k + 1) * batchChars));
  }
  clock.advance(BATCH_MS);
  await mutate(() => system.finish(full));
  check(full);
  const after = system.client();
  await after.open();
  clients.push(after);
  check(full);
  return {
    system: system.name,
    chars,
    batchChars,
    batches: pieces.length,
    ...written,
    live: live.follower.tally,
    joiner: joiner!.follower.tally,
    after: after.follower.tally,
    mismatches,
  };
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

/** Least-squares slope of log(y) on log(x): 1 = linear growth, 2 = quadratic. */
function exponent(points: Array<[number, number]>): number {
  const pts = points.filter(([x, y]) => x > 0 && y > 0).map(([x, y]) => [Math.log(x), Math.log(y)] as const);
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const num = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return num / den;
}

/**
 * Background jobs scheduled a minute or more ahead (our cleanup sweep, the agent's stream
 * timeouts) would fire on the real clock in the middle of a simulated reply and run
 * interleaved with the reads being measured: they are not run. They touch no row a
 * follower reads (our sweep writes its `sweeps` row, ~140 bytes a minute).
 */
function holdBackgroundJobs() {
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number, ...rest: unknown[]) =>
    (ms ?? 0) >= 10_000 ? realSetTimeout(() => {}, 0) : realSetTimeout(fn, ms, ...rest)) as typeof setTimeout;
}

async function main() {
  holdBackgroundJobs();
  const systems: Array<[string, () => Promise<System>, boolean]> = [
    ["ours", ours, false],
    ["agent", agent, false],
    ["pts", persistentTextStreaming, true],
  ];
  const rows: Figures[] = [];
  for (const batchChars of BATCH_SIZES) {
    for (const chars of SIZES) {
      for (const [, make, quadratic] of systems) {
        if (quadratic && chars / batchChars > QUADRATIC_MAX_BATCHES) continue;
        const realNow = Date.now;
        const t0 = performance.now();
        const row = await measure(make, chars, batchChars);
        Date.now = realNow;
        rows.push(row);
        console.error(`  measured ${row.system} N=${n(chars)} @${batchChars} in ${f1((performance.now() - t0) / 1000)} s`);
      }
    }
  }

  console.log("bench:stream — one reply streamed at a fixed batch size (one ingest batch per 250 ms), a follower model that re-runs");
  console.log("each subscription when a write touches an index range or document it read (convex-test, transaction limits on)\n");
  const header = [
    "system", "chars", "chars/batch", "mutations", "docs written", "bytes written", "bytes/char",
    "live: docs read", "docs/batch", "live: bytes read", "joiner: docs", "joiner: bytes", "after: docs", "after: bytes", "text ok",
  ];
  const table = rows.map((r) => [
    r.system, n(r.chars), String(r.batchChars), n(r.mutations), n(r.docsWritten), n(r.bytesWritten), f2(r.bytesWritten / r.chars),
    n(r.live.docs), f2(r.live.docs / r.batches), n(r.live.bytes), n(r.joiner.docs), n(r.joiner.bytes), n(r.after.docs), n(r.after.bytes),
    r.mismatches === 0 ? "yes" : `${r.mismatches} pauses differ`,
  ]);
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`);
  for (const line of table) console.log(`| ${line.join(" | ")} |`);

  console.log("\nGrowth exponent of a live follower's documents read over N (1 = linear, 2 = quadratic):");
  const names = [...new Set(rows.map((r) => r.system))];
  for (const name of names) {
    const parts = BATCH_SIZES.map((b) => {
      const pts = rows.filter((r) => r.system === name && r.batchChars === b).map((r) => [r.chars, r.live.docs] as [number, number]);
      return `${b} chars/batch: ${f2(exponent(pts))} (${pts.length} sizes)`;
    });
    console.log(`  ${name}: ${parts.join(", ")}`);
  }

  console.log("\nTargets (issue #15), ours:");
  for (const r of rows.filter((x) => x.system === rows[0]!.system)) {
    const perBatch = r.live.docs / r.batches;
    const budget = 2 * r.chars + 150 * r.batches;
    console.log(
      `  N=${n(r.chars)} @${r.batchChars}: live follower ${f2(perBatch)} docs/batch (≤ 1.5: ${perBatch <= 1.5 ? "met" : "NOT met"}); ` +
        `bytes written ${n(r.bytesWritten)} vs 2×text + 150/batch = ${n(budget)} (${r.bytesWritten <= budget ? "met" : "NOT met"}, ${f1(r.bytesWritten / r.chars)} B/char); ` +
        `text equal at every pause: ${r.mismatches === 0 ? "yes" : "NO"}`,
    );
  }
  const ex = BATCH_SIZES.map((b) => exponent(rows.filter((r) => r.system === rows[0]!.system && r.batchChars === b).map((r) => [r.chars, r.live.docs])));
  console.log(`  growth exponent ${ex.map(f2).join(" / ")} (linear: ${ex.every((e) => e < 1.2) ? "met" : "NOT met"})`);
  const skipped = rows.length < SIZES.length * BATCH_SIZES.length * systems.length;
  if (skipped) console.log(`\n(persistent-text-streaming runs only up to ${n(QUADRATIC_MAX_BATCHES)} batches: its follower re-reads the whole text per chunk.)`);
  process.exit(0);
}

await main();
