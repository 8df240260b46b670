/**
 * Test harness: the hooks on the REAL `ConvexReactClient`, over WebSocket to the dev backend
 * (apps/dev-backend: the example app with the REAL component on convex-test), signed in as
 * one user. One backend per test file, emptied after each test. Tests play the bridge
 * through the app's own wrappers: `ingest` sends normalized codex events (see
 * src/protocol/testing/events.ts), `sweep` runs the component's stream cleanup.
 *
 * `client` is the real client (`asReactClient()`) plus controls the dev backend provides:
 * what the client subscribed to, what results reached it, writes that arrive in one push,
 * mutations held before they run, and `settled()` — nothing in flight between them.
 */
import { act, cleanup, render, type RenderResult } from "@testing-library/react";
import { ConvexProvider, type ConvexReactClient } from "convex/react";
import { getFunctionName, type FunctionArgs, type FunctionReference, type FunctionReturnType } from "convex/server";
import type { Value } from "convex/values";
import { StrictMode, type ReactNode } from "react";
import { afterAll, afterEach, beforeAll } from "vitest";
import { startDevBackend, type DevBackend } from "../../../apps/dev-backend/src/index.js";
import { connectReactClient, type TestReactClient } from "../../../apps/dev-backend/src/testing.js";
import { api, components } from "../../../apps/example/convex/_generated/api.js";
import type { internal as componentInternal } from "../../component/_generated/api.js";
import type { InboundEvent, IngestResult } from "../../contract/events.js";

const USER = "alice";
let backend: DevBackend | undefined;
const open: TestReactClient[] = [];

beforeAll(async () => {
  backend = await startDevBackend();
});
afterEach(async () => {
  // Vitest runs without globals here, so RTL cannot register its own cleanup.
  cleanup();
  for (const c of open.splice(0)) await c.close();
  await backend?.reset();
});
afterAll(async () => {
  await backend?.stop();
});

/** The bridge's session id in these tests. */
export const sessionId = "bridge-1";

type SweepRef = typeof componentInternal.cleanup.sweep;
/**
 * The component's cleanup (an internal mutation of the registered component). Component
 * references name any function by path; only the generated type hides internal ones.
 */
const sweepRef = (components.codexLocal as unknown as { cleanup: { sweep: SweepRef } }).cleanup.sweep;

/** The app's functions called in process as the test's user (what another device would call). */
export type Caller = {
  query<Q extends FunctionReference<"query">>(ref: Q, args: FunctionArgs<Q>): Promise<FunctionReturnType<Q>>;
  mutation<M extends FunctionReference<"mutation">>(ref: M, args: FunctionArgs<M>): Promise<FunctionReturnType<M>>;
};

export type TestClient = {
  asReactClient(): ConvexReactClient;
  /** Args of every live subscription to `query` (what the hooks asked for). */
  watched(query?: FunctionReference<"query">): Array<Record<string, Value>>;
  /** Called with every query result the backend sends the client. */
  observeResults(observer: (name: string, args: Record<string, Value>, result: unknown) => void): () => void;
  /** Runs `writes` with their commits held back: the client sees them in one push. */
  inOneUpdate(writes: () => Promise<void>): Promise<void>;
  /** Holds calls of `mutation` on the backend until the returned release runs. */
  pause(mutation: FunctionReference<"mutation">): () => void;
  /** Closes the client's socket as a backend restart would (it reconnects on its own). */
  dropConnection(): void;
  settled(): Promise<void>;
};

export type Harness = {
  backend: Caller;
  client: TestClient;
  render(ui: ReactNode): RenderResult;
  /**
   * Sends events as the bridge does (one `ingestBatch`), then lets every query settle.
   * `session` = which codex process sent them (its request ids are its own).
   */
  ingest(threadId: string, events: readonly InboundEvent[], session?: string): Promise<IngestResult>;
  /** Sends each event in its own batch: one push per event, one stored delta row per delta. */
  ingestEach(threadId: string, events: readonly InboundEvent[]): Promise<void>;
  /**
   * Runs the component's stream cleanup (`cleanup.sweep`), one call per pass, and pushes the
   * outcome to the client in one update (as a client that reconnects after they ran sees it).
   */
  sweep(...passes: Array<Omit<FunctionArgs<SweepRef>, "reschedule">>): Promise<Array<FunctionReturnType<SweepRef>>>;
  /**
   * Lets `ms` of real time pass while the component's own scheduled functions run (its
   * session sweep, say), then pushes what they changed to the client in one update.
   */
  elapse(ms: number): Promise<void>;
  /** Calls an app wrapper through the client (as the page would). */
  call<Ref extends FunctionReference<"mutation">>(ref: Ref, args: FunctionArgs<Ref>): Promise<FunctionReturnType<Ref>>;
  settle(): Promise<void>;
  /** Runs `fn` (a click, a submit) inside act and waits for everything it and its effects started. */
  act(fn: () => unknown): Promise<void>;
};

export function createHarness(): Harness {
  if (!backend) throw new Error("createHarness: the dev backend is not up (call it inside a test)");
  const dev = backend;
  const session = connectReactClient(dev, { user: USER });
  open.push(session);
  const react = session.client;
  const user = dev.as(USER);
  const engine = dev.testing.engine;
  const caller: Caller = {
    query: (ref, args) => user.query(getFunctionName(ref), args as Record<string, Value>) as never,
    mutation: (ref, args) => user.mutation(getFunctionName(ref), args as Record<string, Value>) as never,
  };
  const client: TestClient = {
    asReactClient: () => react,
    watched: (query) => dev.testing.liveQueries(query ? getFunctionName(query) : undefined),
    observeResults: (observer) =>
      dev.testing.observeResults((name, args, value) => observer(name, args as Record<string, Value>, value)),
    inOneUpdate: (writes) => engine.inOneBatch(writes),
    pause: (mutation) => engine.pause(getFunctionName(mutation)),
    dropConnection: () => dev.dropConnections(),
    settled: () => session.settled(),
  };
  // React runs the effects of what arrived when act's scope ends; those may subscribe anew
  // (a stream cursor moved). Again until a pass sends nothing.
  const settle = async () => {
    for (let pass = 0; pass < 20; pass++) {
      const before = session.sent();
      await act(async () => session.settled());
      if (session.sent() === before) return;
    }
    throw new Error("the hooks kept subscribing anew after 20 passes");
  };
  const run = async <T,>(fn: () => Promise<T>): Promise<T> => {
    let out: T;
    await act(async () => {
      out = await fn();
      await session.settled();
    });
    await settle();
    return out!;
  };
  const ingest = async (threadId: string, events: readonly InboundEvent[], session = sessionId) => {
    // The bridge is another process: its writes reach the page by subscription.
    const result = await run(() => caller.mutation(api.codex.ingestBatch, { sessionId: session, threadId, events: [...events] }));
    const outcome = result as IngestResult;
    // Every recorded event must be taken: a rejection means the test feeds the component wrong.
    if (outcome.rejected.length > 0) throw new Error(`ingest rejected: ${JSON.stringify(outcome.rejected)}`);
    return outcome;
  };
  return {
    backend: caller,
    client,
    // StrictMode renders twice and re-runs effects: hooks must hold up to both.
    render: (ui) =>
      render(
        <StrictMode>
          <ConvexProvider client={react}>{ui}</ConvexProvider>
        </StrictMode>,
      ),
    ingest,
    ingestEach: async (threadId, events) => {
      for (const event of events) await ingest(threadId, [event]);
    },
    sweep: async (...passes) => {
      const results: Array<FunctionReturnType<SweepRef>> = [];
      await run(() =>
        engine.inOneBatch(async () => {
          for (const pass of passes) results.push((await engine.convexTest.mutation(sweepRef, { ...pass, reschedule: false })) as FunctionReturnType<SweepRef>);
        }),
      );
      return results;
    },
    elapse: (ms) =>
      run(() =>
        engine.inOneBatch(async () => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          await engine.convexTest.finishInProgressScheduledFunctions();
        }),
      ),
    call: (ref, args) => run(() => react.mutation(ref, args as never) as Promise<FunctionReturnType<typeof ref>>),
    settle,
    act: async (fn) => {
      await act(async () => {
        await fn();
        await session.settled();
      });
      // What the effects it triggered started (a queued send, say) finishes inside act too.
      await settle();
    },
  };
}
