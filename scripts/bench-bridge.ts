/**
 * `pnpm bench:bridge`: what the bridge adds between a codex stdout line and the ingest batch
 * carrying its event leaving the process, beyond the batch window (the wait that batching
 * asks for on purpose). Per event: (sentAt − readAt) − max(0, dueAt − readAt), where dueAt
 * is when its batch was due (window expiry, or at once at turn end / server request).
 *
 * 1. Recorded transcripts (src/protocol/testdata) fed line by line, at their recorded pace
 *    (gaps clamped to 20 ms), through the bridge's own line pipeline (JSON-RPC client →
 *    serial queue → normalizer) and the ingest outbox, with a backend that answers at once
 *    and one that takes 30 ms per batch.
 * 2. The real codex binary (scripted model on 127.0.0.1, 30 streamed turns) under the host
 *    runtime, with a backend that answers at once.
 *
 * `readAt` is stamped when the JSON-RPC client hands over the parsed line (parse itself:
 * ~µs per line, see `pnpm bench`). Prints figures; asserts nothing.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInMemoryTransportPair } from "../src/app-server/index.js";
import { createLinePipeline } from "../src/bridge/linePipeline.js";
import { SerialQueue } from "../src/bridge/serialQueue.js";
import type { InboundEvent, IngestResult } from "../src/contract/events.js";
import { IngestOutbox, type SentBatchInfo } from "../src/host/outbox.js";
import type { CodexPersistence } from "../src/host/persistence/port.js";
import { createCodexHostRuntime } from "../src/host/runtime.js";
import { prepareScriptedCodexHome, startScriptedModelServer } from "../src/scripted-model/index.js";

const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 250);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const TURNS = Number(process.env.BENCH_TURNS ?? 30);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ack = (events: InboundEvent[]): IngestResult => ({ accepted: events.length, duplicates: 0, rejected: [], streamCursors: [] });

class Latencies {
  readonly overheads: number[] = [];
  batches = 0;
  events = 0;
  record(info: SentBatchInfo) {
    this.batches++;
    this.events += info.events.length;
    for (const readAts of info.receivedAt) {
      for (const readAt of readAts) {
        this.overheads.push(info.sentAt - readAt - Math.max(0, info.dueAt - readAt));
      }
    }
  }
  summary(label: string) {
    const sorted = [...this.overheads].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    console.log(
      `${label.padEnd(44)} events ${String(sorted.length).padStart(6)}  batches ${String(this.batches).padStart(5)}  ` +
        `beyond window: p50 ${at(0.5).toFixed(3)} ms  p99 ${at(0.99).toFixed(3)} ms  max ${(sorted.at(-1) ?? NaN).toFixed(3)} ms`,
    );
  }
}

// ---- 1. recorded transcripts through the line pipeline + outbox ----

const dir = new URL("../src/protocol/testdata/transcripts/", import.meta.url).pathname;
const transcripts = readdirSync(dir)
  .filter((f) => f.endsWith(".stdout.jsonl"))
  .sort()
  .map((f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l.length > 0));

async function replay(lines: string[], latencies: Latencies, backendMs: number) {
  const [codexSide, bridgeSide] = createInMemoryTransportPair();
  codexSide.onLine(() => undefined); // our answers to its server requests
  const outbox = new IngestOutbox({
    flushIntervalMs: WINDOW_MS,
    send: async (batch) => {
      if (backendMs > 0) await sleep(backendMs);
      return ack(batch.events);
    },
    onBatchSent: (info) => latencies.record(info),
  });
  const queue = new SerialQueue((error) => console.error(error));
  createLinePipeline(bridgeSide, { onEvent: (e) => outbox.push(e.threadId, e.event, e.receivedAt) }, queue);
  let last: number | undefined;
  for (const line of lines) {
    const emitted = (JSON.parse(line) as { emittedAtMs?: number }).emittedAtMs;
    if (emitted !== undefined && last !== undefined) await sleep(Math.min(20, Math.max(0, emitted - last)));
    else await new Promise((r) => setImmediate(r));
    if (emitted !== undefined) last = emitted;
    codexSide.send(line);
  }
  await queue.idle();
  await outbox.close();
}

async function transcriptBench() {
  for (const backendMs of [0, 30]) {
    const latencies = new Latencies();
    for (let pass = 0; pass < PASSES; pass++) {
      await Promise.all(transcripts.map((lines) => replay(lines, latencies, backendMs)));
    }
    latencies.summary(`transcripts ×${PASSES}, backend ${backendMs} ms/batch${backendMs ? " (incl. waiting on the batch in flight)" : ""}`);
  }
}

// ---- 2. the real codex under the host runtime ----

async function realCodexBench() {
  const model = await startScriptedModelServer();
  const launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
  const cwd = mkdtempSync(join(tmpdir(), "bench-bridge-"));
  const latencies = new Latencies();
  const instant: CodexPersistence = {
    ensureThread: async () => undefined,
    openSession: async () => undefined,
    heartbeatSession: async () => undefined,
    closeSession: async () => undefined,
    ingest: async ({ events }) => ack(events),
    watchPendingCommands: () => () => undefined,
    claimCommand: async () => undefined,
    completeCommand: async () => undefined,
    announceServerRequest: async () => undefined,
    settleServerRequest: async () => undefined,
    startImport: async () => {
      throw new Error("no imports in this bench");
    },
    appendImportChunk: async () => {
      throw new Error("no imports in this bench");
    },
    sealImport: async () => {
      throw new Error("no imports in this bench");
    },
    watchImport: () => () => undefined,
    recordRateLimits: async () => undefined,
  };
  const runtime = createCodexHostRuntime({
    mode: "codex+replica",
    persistence: instant,
    bridge: { codexBin: launch.command, args: launch.args, env: launch.env, cwd },
    thread: { cwd, approvalPolicy: "never" },
    outbox: { flushIntervalMs: WINDOW_MS },
    onBatchSent: (info) => latencies.record(info),
  });
  try {
    await runtime.connect();
    await runtime.openThread({ mode: "start" });
    const started = Date.now();
    for (let i = 0; i < TURNS; i++) {
      const text = `Turn ${i}: ` + "streamed words from the scripted model ".repeat(8);
      model.enqueue({ type: "text", text, chunks: 40, chunkDelayMs: 3 });
      const done = new Promise<void>((resolve) => {
        const stop = runtime.subscribeLifecycle((s) => {
          if (s.turnId === undefined) {
            stop();
            resolve();
          }
        });
      });
      await runtime.sendTurn(`turn ${i}`);
      await done;
    }
    await runtime.flush();
    latencies.summary(`real codex, ${TURNS} turns (${Date.now() - started} ms)`);
  } finally {
    await runtime.stop();
    await model.close();
    launch.cleanup();
    rmSync(cwd, { recursive: true, force: true });
  }
}

console.log(`bridge latency beyond a ${WINDOW_MS} ms batch window, node ${process.version}\n`);
await transcriptBench();
await realCodexBench();
process.exit(0);
