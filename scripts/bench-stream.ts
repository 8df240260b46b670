/**
 * `pnpm bench:stream`: what streaming one 20,000-character reply costs in writes and
 * replay reads, against a naive baseline. Runs the real component on convex-test in
 * plain Node (no deployment needed) and prints figures; it asserts nothing.
 *
 * How it measures: the handlers of `sync.ingest`, `streams.replay` and the baseline
 * mutation are wrapped so their `ctx.db` is a proxy that
 * - counts every insert/patch/replace/delete as one document written, and adds the size
 *   of the document as stored afterwards (JSON of the whole row, system fields included,
 *   UTF-8 bytes) — a patch rewrites the whole document, so that is what it costs;
 * - counts every document a query or `get` returns as one document read.
 * JSON size approximates Convex's own document size; both sides use the same instrument.
 *
 * The stream: deltas of 4–8 characters (seeded), grouped into 250 ms windows of 25–50
 * deltas the way the bridge's outbox batches them, plus the lifecycle events of a real
 * turn (turn/started, user message, agent message started/completed, turn/completed).
 * Baseline: the naive design — every delta is its own mutation that rewrites the whole
 * accumulated text of the message.
 */
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createConvexTest } from "../src/testing/convexTest.js";
import { makeFunctionReference, mutationGeneric } from "convex/server";
import { v } from "convex/values";
import type { InboundEvent } from "../src/contract/events.js";

const here = dirname(fileURLToPath(import.meta.url));
const componentDir = join(here, "../src/component");
const REPLY_CHARS = 20_000;

type Stats = { mutations: number; docsWritten: number; bytesWritten: number; docsRead: number };
const fresh = (): Stats => ({ mutations: 0, docsWritten: 0, bytesWritten: 0, docsRead: 0 });
let stats = fresh();

const bytes = (doc: unknown) => Buffer.byteLength(JSON.stringify(doc ?? null), "utf8");

type AnyDb = Record<string, (...args: unknown[]) => Promise<unknown>> & { get: (id: unknown) => Promise<unknown> };

/** Counts documents coming out of a query chain, however it is consumed. */
function countingQuery(q: unknown): unknown {
  return new Proxy(q as object, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === Symbol.asyncIterator) {
        return () => {
          const it = (value as () => AsyncIterator<unknown>).call(target);
          return {
            async next() {
              const r = await it.next();
              if (!r.done) stats.docsRead++;
              return r;
            },
          };
        };
      }
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(out instanceof Promise)) return countingQuery(out);
        return out.then((r: unknown) => {
          if (Array.isArray(r)) stats.docsRead += r.length;
          else if (r && typeof r === "object" && "page" in r) stats.docsRead += (r as { page: unknown[] }).page.length;
          else if (r) stats.docsRead++;
          return r;
        });
      };
    },
  });
}

function instrumentedDb(db: AnyDb): AnyDb {
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop === "insert") {
        return async (table: string, doc: unknown) => {
          const id = await target.insert!(table, doc);
          stats.docsWritten++;
          stats.bytesWritten += bytes(await target.get(id));
          return id;
        };
      }
      if (prop === "patch" || prop === "replace") {
        return async (...args: unknown[]) => {
          await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          const id = args.length === 3 ? args[1] : args[0];
          stats.docsWritten++;
          stats.bytesWritten += bytes(await target.get(id));
        };
      }
      if (prop === "delete") {
        return async (...args: unknown[]) => {
          stats.docsWritten++;
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      }
      if (prop === "query") return (table: string) => countingQuery(target.query!(table));
      if (prop === "get") {
        return async (...args: unknown[]) => {
          const doc = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (doc) stats.docsRead++;
          return doc;
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

type Registered = { _handler: (ctx: { db: AnyDb }, args: unknown) => unknown; __instrumented?: boolean };
function instrument(fn: Registered, kind: "mutation" | "query") {
  if (fn.__instrumented) return;
  const original = fn._handler;
  fn._handler = (ctx, args) => {
    if (kind === "mutation") stats.mutations++;
    return original({ ...ctx, db: instrumentedDb(ctx.db) }, args);
  };
  fn.__instrumented = true;
}

/** The naive design, for comparison: each delta rewrites the whole text of the message. */
const baselineModule = {
  appendNaive: mutationGeneric({
    args: { messageId: v.optional(v.string()), delta: v.string() },
    returns: v.string(),
    handler: async (ctx, args) => {
      if (!args.messageId) {
        return await ctx.db.insert("messages", {
          tenantId: "t", userId: "u", threadId: "th", turnId: "T", itemId: "a", role: "assistant",
          status: "streaming", text: args.delta, order: 0, createdAt: 0,
        });
      }
      const id = ctx.db.normalizeId("messages", args.messageId)!;
      const message = (await ctx.db.get(id))!;
      await ctx.db.patch(id, { text: message.text + args.delta });
      return id;
    },
  }),
};

function moduleMap(): Record<string, () => Promise<unknown>> {
  const map: Record<string, () => Promise<unknown>> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".ts") && !name.includes(".test.")) {
        const key = `./${relative(componentDir, full)}`;
        map[key] = async () => {
          const mod = (await import(pathToFileURL(full).href)) as Record<string, Registered>;
          if (key === "./sync.ts") instrument(mod.ingest!, "mutation");
          if (key === "./streams.ts") instrument(mod.replay!, "query");
          return mod;
        };
      }
    }
  };
  walk(componentDir);
  map["./benchBaseline.ts"] = async () => {
    instrument(baselineModule.appendNaive as unknown as Registered, "mutation");
    return baselineModule;
  };
  return map;
}

/** A seeded generator so every run streams the same deltas. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function makeReply(): string {
  const words = "the stream of a codex reply arrives in small pieces and every piece must reach every device".split(" ");
  const rand = rng(7);
  let text = "";
  while (text.length < REPLY_CHARS) text += words[Math.floor(rand() * words.length)] + (rand() < 0.1 ? ".\n" : " ");
  return text.slice(0, REPLY_CHARS);
}

function splitDeltas(text: string): string[] {
  const rand = rng(11);
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 4 + Math.floor(rand() * 5);
    out.push(text.slice(i, i + size));
    i += size;
  }
  return out;
}

function windows<T>(items: T[]): T[][] {
  const rand = rng(13);
  const out: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 25 + Math.floor(rand() * 26);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

const lifecycle = (kind: string, payload: unknown, n: number): InboundEvent => ({
  type: "lifecycle_event",
  eventId: `${kind}#${n}`,
  turnId: "T1",
  kind,
  payloadJson: JSON.stringify(payload),
  createdAt: 1_800_000_000_000 + n,
});
const turn = (status: string) => ({ threadId: "th", turn: { id: "T1", status, items: [], error: null, startedAt: 1_800_000_000, durationMs: 1 } });
const agent = (text: string) => ({ type: "agentMessage", id: "a1", text, phase: null, startedAtMs: 1_800_000_000_010 });

async function main() {
  const t = createConvexTest(
    (await import(pathToFileURL(join(componentDir, "schema.ts")).href)).default,
    moduleMap(),
  );
  const ingest = makeFunctionReference<"mutation">("sync:ingest");
  const replay = makeFunctionReference<"query">("streams:replay");
  const appendNaive = makeFunctionReference<"mutation">("benchBaseline:appendNaive");
  const actor = { tenantId: "bench", userId: "u1", deviceId: "d1" };
  const call = (events: InboundEvent[]) => t.mutation(ingest, { actor, sessionId: "s1", threadId: "th", events });

  const reply = makeReply();
  const pieces = splitDeltas(reply);
  const streamId = "T1:a1:agentMessage";
  let cursor = 0;
  const deltaEvents: InboundEvent[] = pieces.map((delta, i) => {
    const ev: InboundEvent = {
      type: "stream_delta", eventId: `${streamId}@${cursor}`, turnId: "T1", itemId: "a1", streamId, channel: "agentMessage",
      delta, cursorStart: cursor, cursorEnd: cursor + delta.length, createdAt: 1_800_000_000_100 + i,
    };
    cursor += delta.length;
    return ev;
  });
  const deltaWindows = windows(deltaEvents);

  // --- the component ---
  stats = fresh();
  await call([
    lifecycle("turn/started", turn("inProgress"), 1),
    lifecycle("item/completed", { turnId: "T1", item: { type: "userMessage", id: "u1", content: [{ type: "text", text: "Write a long answer." }] } }, 2),
    lifecycle("item/started", { turnId: "T1", item: agent("") }, 3),
  ]);
  const setup = stats;
  stats = fresh();
  for (const w of deltaWindows) await call(w);
  const streaming = stats;

  // Replay while the reply is still streaming: from the start, from the middle, caught up.
  const replayCost = async (from: number) => {
    stats = fresh();
    const r = await t.query(replay, { actor, threadId: "th", streamCursorsById: [{ streamId, cursor: from }] });
    const chars = r.deltas.reduce((n: number, d: { text: string }) => n + d.text.length, 0);
    return { docsRead: stats.docsRead, deltaRows: r.deltas.length, chars, hasMore: r.streamWindows[0].hasMore };
  };
  const fromStart = await replayCost(0);
  const fromMiddle = await replayCost(Math.floor(reply.length / 2));
  const caughtUp = await replayCost(reply.length);

  stats = fresh();
  await call([
    lifecycle("item/completed", { turnId: "T1", item: agent(reply) }, 4),
    lifecycle("turn/completed", turn("completed"), 5),
  ]);
  const finish = stats;

  // --- the naive baseline ---
  stats = fresh();
  let messageId: string | undefined;
  for (const delta of pieces) messageId = await t.mutation(appendNaive, { messageId, delta });
  const naive = stats;

  const total = {
    mutations: setup.mutations + streaming.mutations + finish.mutations,
    docsWritten: setup.docsWritten + streaming.docsWritten + finish.docsWritten,
    bytesWritten: setup.bytesWritten + streaming.bytesWritten + finish.bytesWritten,
  };
  const n = (x: number) => x.toLocaleString("en-US");
  const ratio = (x: number) => (x / reply.length).toFixed(2);
  const overheadPerBatch = (total.bytesWritten - 2 * reply.length) / total.mutations;

  console.log(`bench:stream — one ${n(reply.length)}-character reply, ${n(pieces.length)} deltas of 4–8 chars, ${deltaWindows.length} batch windows of 25–50 deltas\n`);
  console.log("                               mutations   docs written   bytes written   bytes/char");
  const row = (label: string, s: { mutations: number; docsWritten: number; bytesWritten: number }) =>
    console.log(`${label.padEnd(30)} ${n(s.mutations).padStart(9)}   ${n(s.docsWritten).padStart(12)}   ${n(s.bytesWritten).padStart(13)}   ${ratio(s.bytesWritten).padStart(10)}`);
  row("component: turn setup", setup);
  row("component: delta batches", streaming);
  row("component: finish (final text)", finish);
  row("component: total", total);
  row("naive: rewrite text per delta", naive);
  console.log("");
  console.log(`component bytes written = ${ratio(total.bytesWritten)} × text; 2 × text + ${n(Math.round(overheadPerBatch))} bytes per mutation of overhead`);
  console.log(
    `delta batches alone: text once + ${n(Math.round((streaming.bytesWritten - reply.length) / deltaWindows.length))} bytes per batch (one merged delta row + the stream row's cursor)`,
  );
  console.log(`naive / component bytes written: ${(naive.bytesWritten / total.bytesWritten).toFixed(1)}×; mutations ${(naive.mutations / total.mutations).toFixed(1)}×`);
  console.log("");
  console.log("replay while streaming (one streams.replay call)   docs read   delta rows   chars returned");
  const replayRow = (label: string, r: { docsRead: number; deltaRows: number; chars: number; hasMore: boolean }) =>
    console.log(`${label.padEnd(50)} ${n(r.docsRead).padStart(9)}   ${n(r.deltaRows).padStart(10)}   ${n(r.chars).padStart(14)}${r.hasMore ? " (more)" : ""}`);
  replayRow("from the start (cursor 0)", fromStart);
  replayRow(`from the middle (cursor ${n(Math.floor(reply.length / 2))})`, fromMiddle);
  replayRow("caught up (cursor at the end)", caughtUp);
  process.exit(0);
}

await main();
