/**
 * `pnpm bench:dev-backend`: a mutation's round trip through the real ConvexClient (sent →
 * its result back, with its write visible) while N other live subscriptions are open, when
 * a commit re-runs only the queries whose read set it touched, beside re-running every one.
 * Each subscription watches its own thread's state (`chat.threadState`); the mutation queues
 * a turn on thread 0. Prints figures; asserts nothing.
 */
import { ConvexClient } from "convex/browser";
import { api } from "../example/convex/_generated/api.js";
import { startDevBackend, type Reactivity } from "./src/index.js";

const ROUNDS = 15;

async function measure(reactivity: Reactivity, subscriptions: number): Promise<{ p50: number; max: number }> {
  const backend = await startDevBackend({ reactivity });
  const client = new ConvexClient(backend.url, { logger: false });
  client.setAuth(async () => backend.mintToken("bench-user"));
  try {
    const unsubscribes: Array<() => void> = [];
    for (let i = 0; i < subscriptions; i++) {
      await backend.as("bench-user").mutation("codex:ensureThread", { threadId: `thread-${i}` });
    }
    await Promise.all(
      Array.from({ length: subscriptions }, (_, i) =>
        new Promise<void>((loaded) => unsubscribes.push(client.onUpdate(api.codex.threadState, { threadId: `thread-${i}` }, () => loaded()))),
      ),
    );
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await client.mutation(api.codex.registerTurnStart, { threadId: "thread-0", inputText: `round ${round}`, idempotencyKey: `k${round}` });
      times.push(performance.now() - started);
    }
    for (const stop of unsubscribes) stop();
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(times.length / 2)]!, max: times.at(-1)! };
  } finally {
    await client.close();
    await backend.stop();
  }
}

console.log(`mutation round trip (p50 / max of ${ROUNDS}) with N live subscriptions, Node ${process.version}`);
console.log("N    | read-set invalidation | re-run every subscription");
for (const n of [1, 100, 500]) {
  const readSet = await measure("read-set", n);
  const all = await measure("rerun-all", n);
  const fmt = (r: { p50: number; max: number }) => `${r.p50.toFixed(1)} / ${r.max.toFixed(1)} ms`.padEnd(21);
  console.log(`${String(n).padEnd(4)} | ${fmt(readSet)} | ${fmt(all)}`);
}
process.exit(0);
