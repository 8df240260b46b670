/**
 * The three systems, each on its own convex-test instance, driven the way its own docs
 * say to use it, and each with a client model that follows one reply through that
 * system's own hooks' argument logic:
 * - ours: the example app's wrappers (`codex.ts`, the generated host API) over the component; the client is
 *   `useCodexMessages({ stream: true })` — its page, plus `useThreadStreams`' list and
 *   deltas subscriptions, with cursors from the same pure functions the hook calls;
 * - `@convex-dev/agent`: its streams (create, addDelta, a final message saved with
 *   `finishStreamId`) and, on the client, `useDeltaStreams`' list/deltas cursors;
 * - `@convex-dev/persistent-text-streaming`: its chunks, and a non-driving client's
 *   `useStream` subscription to the stream body.
 * Every system's stream subscriptions skip the message page (as ours does), so the figures
 * compare streaming, not pagination.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import { modulesUnder } from "../dev-backend/src/app.js";
import { mergeMessages } from "../../src/react/mergeMessages.js";
import { applyDeltas, cursorsToRequest, emptyStreamSync, sameCursors, syncStreamList, type StreamSyncState } from "../../src/react/streamSync.js";
import type { StreamCursor, ThreadMessagesResult } from "../../src/react/types.js";
import { Follower, Instrument, indexFieldsOf } from "./instrument.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const peersDir = join(here, "node_modules/@convex-dev");

export type Client = { follower: Follower; open(): Promise<void>; settle(): Promise<void>; text(): string };

export type System = {
  name: string;
  instrument: Instrument;
  /** Thread and the user's message: not part of the reply's figures. */
  setup(): Promise<void>;
  start(): Promise<void>;
  batch(text: string, k: number, last: boolean): Promise<void>;
  /** The final durable text (a system whose last batch already finished it does nothing). */
  finish(full: string): Promise<void>;
  client(): Client;
};

type Caller = { query(ref: never, args: never): Promise<unknown>; mutation(ref: never, args: never): Promise<unknown> };
const ref = (name: string) => makeFunctionReference<"query" | "mutation">(name) as never;
const call = (c: Caller, kind: "query" | "mutation", name: string, args: Record<string, unknown>) =>
  (kind === "query" ? c.query(ref(name), args as never) : c.mutation(ref(name), args as never)) as Promise<never>;

async function load<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(path).href)) as T;
}
type SchemaModule = { default: Parameters<typeof indexFieldsOf>[0] };

// ---- ours -----------------------------------------------------------------------------

export async function ours(): Promise<System> {
  const schema = (await load<SchemaModule>(join(repo, "src/component/schema.ts"))).default;
  const t = convexTest({ schema: undefined, modules: modulesUnder(join(repo, "apps/example/convex"), "/convex"), transactionLimits: true });
  t.registerComponent("codexLocal", schema as never, modulesUnder(join(repo, "src/component"), "/component"));
  const instrument = new Instrument(indexFieldsOf(schema));
  instrument.install();
  const alice = t.withIdentity({ subject: "alice" });
  const threadId = "thread-1";
  const streamId = "T1/a1/agentMessage";
  let seq = 0;
  const lifecycle = (kind: string, payload: unknown) => ({
    type: "lifecycle_event",
    eventId: `${kind}#${++seq}`,
    turnId: "T1",
    kind,
    payloadJson: JSON.stringify(payload),
    createdAt: Date.now(),
  });
  const turn = (status: string) => ({ threadId, turn: { id: "T1", status, items: [], error: null, startedAt: 1_800_000_000, durationMs: 1 } });
  const agent = (text: string) => ({ type: "agentMessage", id: "a1", text, phase: null });
  const ingest = (events: unknown[]) => call(alice, "mutation", "codex:ingestBatch", { sessionId: "s1", threadId, deviceId: "laptop", events });
  let cursor = 0;

  return {
    name: "codex-local-component",
    instrument,
    setup: () =>
      ingest([
        lifecycle("turn/started", turn("inProgress")),
        lifecycle("item/completed", { turnId: "T1", item: { type: "userMessage", id: "u1", content: [{ type: "text", text: "Write a long answer." }] } }),
      ]),
    start: () => ingest([lifecycle("item/started", { turnId: "T1", item: agent("") })]),
    batch: (text) => {
      const ev = { type: "stream_delta", eventId: `${streamId}@${cursor}`, turnId: "T1", itemId: "a1", streamId, channel: "agentMessage", delta: text, cursorStart: cursor, cursorEnd: cursor + text.length, createdAt: Date.now() };
      cursor += text.length;
      return ingest([ev]);
    },
    finish: (full) => ingest([lifecycle("item/completed", { turnId: "T1", item: agent(full) }), lifecycle("turn/completed", turn("completed"))]),
    client: () => oursClient(new Follower(instrument), alice, threadId),
  };
}

/** `useCodexMessages(threadMessages, { threadId }, { initialNumItems: 10, stream: true })`, minus React. */
function oursClient(follower: Follower, user: Caller, threadId: string): Client {
  let state: StreamSyncState = emptyStreamSync;
  let cursors: StreamCursor[] = [];
  let listApplied: unknown;
  let deltasApplied: unknown;
  const streamBase = { threadId, paginationOpts: { numItems: 0, cursor: null } };
  const deltasKey = () => `deltas:${JSON.stringify(cursors)}`;
  const page = () => call(user, "query", "codex:threadMessages", { threadId, paginationOpts: { numItems: 10, cursor: null } });
  const settle = async () => {
    for (;;) {
      const list = follower.result("list") as ThreadMessagesResult | undefined;
      const deltas = cursors.length ? (follower.result(deltasKey()) as ThreadMessagesResult | undefined) : undefined;
      const listed = list?.streams?.kind === "list" ? list.streams.streams.filter((s) => s.channel === "agentMessage") : undefined;
      if (listed && list !== listApplied) {
        state = syncStreamList(state, listed);
        listApplied = list;
      }
      if (deltas?.streams?.kind === "deltas" && deltas !== deltasApplied) {
        state = applyDeltas(state, deltas.streams);
        deltasApplied = deltas;
      }
      const next = listed ? cursorsToRequest(state, listed) : cursors;
      if (sameCursors(next, cursors)) return;
      follower.unsubscribe(deltasKey());
      cursors = next;
      if (cursors.length) {
        const args = { ...streamBase, streamArgs: { kind: "deltas", cursors } };
        await follower.subscribe(deltasKey(), () => call(user, "query", "codex:threadMessages", args));
      }
    }
  };
  return {
    follower,
    async open() {
      await follower.subscribe("page", page);
      await follower.subscribe("list", () => call(user, "query", "codex:threadMessages", { ...streamBase, streamArgs: { kind: "list" } }));
      await settle();
    },
    settle,
    text() {
      const durable = (follower.result("page") as ThreadMessagesResult).page;
      return mergeMessages(durable, [...state.streams.values()], threadId).find((m) => m.role === "assistant")?.text ?? "";
    },
  };
}

// ---- @convex-dev/agent ------------------------------------------------------------------

const peerModules = { "/bench/_generated/server.js": async () => ({}), "/bench/peers.ts": () => import("./convex/peers.js") };

export async function agent(): Promise<System> {
  const schema = (await load<SchemaModule>(join(peersDir, "agent/dist/component/schema.js"))).default;
  const t = convexTest({ schema: undefined, modules: peerModules, transactionLimits: true });
  t.registerComponent("agent", schema as never, modulesUnder(join(peersDir, "agent/dist/component"), "/component"));
  const instrument = new Instrument(indexFieldsOf(schema));
  instrument.install();
  let threadId = "";
  let streamId = "";
  return {
    name: "@convex-dev/agent 0.7.3",
    instrument,
    async setup() {
      threadId = await call(t, "mutation", "peers:agentSetup", {});
    },
    async start() {
      streamId = await call(t, "mutation", "peers:agentStart", { threadId });
    },
    batch: (text, k) => call(t, "mutation", "peers:agentDelta", { streamId, start: k, end: k + 1, parts: [{ type: "text-delta", id: "txt-0", delta: text }] }),
    finish: (full) => call(t, "mutation", "peers:agentFinish", { threadId, streamId, text: full }),
    client: () => agentClient(new Follower(instrument), t, () => threadId),
  };
}

type AgentResult = {
  page: Array<{ message?: { role: string }; text?: string }>;
  streams?: { kind: "list"; messages: Array<{ streamId: string }> } | { kind: "deltas"; deltas: Array<{ streamId: string; start: number; end: number; parts: Array<{ delta?: string }> }> };
};

/** `useDeltaStreams` as `useUIMessages({ stream: true })` calls it: list, then deltas after each stream's last `end`. */
function agentClient(follower: Follower, t: Caller, threadOf: () => string): Client {
  const cursors: Record<string, number> = {};
  const texts: Record<string, string> = {};
  let listed: string[] = [];
  let deltasApplied: unknown;
  const q = (args: Record<string, unknown>) => () => call(t, "query", "peers:agentThread", { threadId: threadOf(), ...args });
  const deltasKey = () => `deltas:${JSON.stringify(listed.map((s) => [s, cursors[s] ?? 0]))}`;
  const settle = async () => {
    for (;;) {
      const list = follower.result("list") as AgentResult | undefined;
      if (list?.streams?.kind === "list") listed = list.streams.messages.map((m) => m.streamId);
      const key = deltasKey();
      const deltas = listed.length ? (follower.result(key) as AgentResult | undefined) : undefined;
      if (deltas?.streams?.kind === "deltas" && deltas !== deltasApplied) {
        deltasApplied = deltas;
        for (const d of deltas.streams.deltas) {
          if ((cursors[d.streamId] ?? 0) !== d.start) continue;
          texts[d.streamId] = (texts[d.streamId] ?? "") + d.parts.map((p) => p.delta ?? "").join("");
          cursors[d.streamId] = d.end;
        }
      }
      const next = deltasKey();
      if (!listed.length) follower.unsubscribe(key);
      if (listed.length && !follower.result(next)) {
        follower.unsubscribe(key);
        const args = { paginationOpts: { numItems: 0, cursor: null }, streamArgs: { kind: "deltas", cursors: listed.map((streamId) => ({ streamId, cursor: cursors[streamId] ?? 0 })) } };
        await follower.subscribe(next, q(args));
        continue;
      }
      return;
    }
  };
  return {
    follower,
    async open() {
      await follower.subscribe("page", q({ paginationOpts: { numItems: 10, cursor: null } }));
      await follower.subscribe("list", q({ paginationOpts: { numItems: 0, cursor: null }, streamArgs: { kind: "list", startOrder: 0 } }));
      await settle();
    },
    settle,
    text() {
      if (listed.length) return texts[listed[0]!] ?? "";
      const page = (follower.result("page") as AgentResult).page;
      return page.find((m) => m.message?.role === "assistant")?.text ?? "";
    },
  };
}

// ---- @convex-dev/persistent-text-streaming -------------------------------------------

export async function persistentTextStreaming(): Promise<System> {
  const schema = (await load<SchemaModule>(join(peersDir, "persistent-text-streaming/dist/component/schema.js"))).default;
  const t = convexTest({ schema: undefined, modules: peerModules, transactionLimits: true });
  t.registerComponent("persistentTextStreaming", schema as never, modulesUnder(join(peersDir, "persistent-text-streaming/dist/component"), "/component"));
  const instrument = new Instrument(indexFieldsOf(schema));
  instrument.install();
  let streamId = "";
  return {
    name: "@convex-dev/persistent-text-streaming 0.3.3",
    instrument,
    setup: async () => {},
    async start() {
      streamId = await call(t, "mutation", "peers:ptsStart", {});
    },
    // Its chunks are the durable text: the last one closes the stream.
    batch: (text, _k, last) => call(t, "mutation", "peers:ptsChunk", { streamId, text, final: last }),
    finish: async () => {},
    client: () => {
      const follower = new Follower(instrument);
      const body = () => call(t, "query", "peers:ptsBody", { streamId });
      return {
        follower,
        open: async () => void (await follower.subscribe("body", body)),
        settle: async () => {},
        text: () => (follower.result("body") as { text: string }).text,
      };
    },
  };
}
