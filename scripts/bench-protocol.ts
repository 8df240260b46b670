/**
 * Protocol throughput on one core: parse → classify → normalize over the recorded codex
 * transcripts, repeated to ~200k lines. Prints figures; asserts nothing (`pnpm bench`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { classifyMessage, createEventNormalizer, parseWireMessage } from "../src/protocol/index.js";

const dir = new URL("../src/protocol/testdata/transcripts/", import.meta.url).pathname;
const base = readdirSync(dir)
  .filter((f) => f.endsWith(".stdout.jsonl"))
  .sort()
  .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l.length > 0));
const target = Number(process.env.BENCH_LINES ?? 200_000);
const lines: string[] = [];
while (lines.length < target) lines.push(...base);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);

type Stage = "parse" | "parse+classify" | "parse+classify+normalize";

function pass(stage: Stage): { ms: number; events: number; errors: number } {
  const normalizer = createEventNormalizer();
  let events = 0;
  let errors = 0;
  const start = process.hrtime.bigint();
  for (const line of lines) {
    const parsed = parseWireMessage(line);
    if (!parsed.ok) {
      errors++;
      continue;
    }
    if (stage === "parse") continue;
    const message = classifyMessage(parsed.message);
    if (stage === "parse+classify") continue;
    const result = normalizer.normalize(message);
    if (!result.ok) errors++;
    else if (result.event) events++;
  }
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, events, errors };
}

console.log(
  `${lines.length} lines (${base.length} distinct from the recorded transcripts), ${(bytes / 1024 / 1024).toFixed(1)} MiB, node ${process.version}, one core`,
);
for (const stage of ["parse", "parse+classify", "parse+classify+normalize"] as const) {
  pass(stage); // warm-up: let the JIT settle before timing
  const runs = [pass(stage), pass(stage), pass(stage)];
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const perSec = (lines.length / best.ms) * 1000;
  console.log(
    `${stage.padEnd(26)} ${Math.round(perSec).toLocaleString("en-US").padStart(10)} lines/s  ` +
      `${((bytes / 1024 / 1024 / best.ms) * 1000).toFixed(0).padStart(4)} MiB/s  ` +
      `best of 3: ${best.ms.toFixed(0)} ms  events=${best.events} errors=${best.errors}`,
  );
}
