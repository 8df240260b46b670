/**
 * Test harness: the example app (apps/example/convex) on convex-test with the REAL component
 * registered, signed in as one user, and the client the hooks talk to. Tests play the bridge
 * through the app's own wrappers: `ingest` sends normalized codex events (see
 * src/protocol/testing/events.ts), `sweep` runs the component's stream cleanup.
 */
import { act, cleanup, render, type RenderResult } from "@testing-library/react";
import { ConvexProvider } from "convex/react";
import { type FunctionArgs, type FunctionReference, type FunctionReturnType } from "convex/server";
import { createConvexTest } from "../../testing/convexTest.js";
import { StrictMode, type ReactNode } from "react";
import { afterEach } from "vitest";
import { api, components } from "../../../apps/example/convex/_generated/api.js";
import type { internal as componentInternal } from "../../component/_generated/api.js";
import type { InboundEvent, IngestResult } from "../../contract/events.js";
import { register } from "../../test.js";
import { createConvexTestClient, type ConvexTestClient } from "./convexTestClient.js";

const modules = import.meta.glob("../../../apps/example/convex/**/*.ts");

// Vitest runs without globals here, so RTL cannot register its own cleanup.
afterEach(cleanup);

/** The bridge's session id in these tests. */
export const sessionId = "bridge-1";

type SweepRef = typeof componentInternal.cleanup.sweep;
/**
 * The component's cleanup (an internal mutation of the registered component). Component
 * references name any function by path; only the generated type hides internal ones.
 */
const sweepRef = (components.codexLocal as unknown as { cleanup: { sweep: SweepRef } }).cleanup.sweep;

export type Harness = {
  /** The convex-test backend, signed in as the test's user (what the hooks' client uses). */
  backend: ReturnType<ReturnType<typeof createConvexTest>["withIdentity"]>;
  client: ConvexTestClient;
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
  /** Calls an app wrapper outside React (as the bridge or another device would). */
  call<Ref extends FunctionReference<"mutation">>(ref: Ref, args: FunctionArgs<Ref>): Promise<FunctionReturnType<Ref>>;
  settle(): Promise<void>;
  /** Runs `fn` (a click, a submit) inside act and waits for everything it and its effects started. */
  act(fn: () => unknown): Promise<void>;
};

export function createHarness(): Harness {
  const t = createConvexTest(undefined, modules);
  register(t);
  const backend = t.withIdentity({ subject: "alice" });
  const client = createConvexTestClient(backend, { batch: (notify) => act(notify) });
  const settle = async () => {
    // Twice: effects that moved stream cursors start new subscriptions; let those land too.
    await act(async () => client.settled());
    await act(async () => client.settled());
  };
  const run = async <T,>(fn: () => Promise<T>): Promise<T> => {
    let out: T;
    await act(async () => {
      out = await fn();
      await client.settled();
    });
    await settle();
    return out!;
  };
  const ingest = async (threadId: string, events: readonly InboundEvent[], session = sessionId) => {
    const result = await run(() => client.mutation(api.chat.ingestBatch, { sessionId: session, threadId, events: [...events] }));
    const outcome = result as IngestResult;
    // Every recorded event must be taken: a rejection means the test feeds the component wrong.
    if (outcome.rejected.length > 0) throw new Error(`ingest rejected: ${JSON.stringify(outcome.rejected)}`);
    return outcome;
  };
  return {
    backend,
    client,
    // StrictMode renders twice and re-runs effects: hooks must hold up to both.
    render: (ui) =>
      render(
        <StrictMode>
          <ConvexProvider client={client.asReactClient()}>{ui}</ConvexProvider>
        </StrictMode>,
      ),
    ingest,
    ingestEach: async (threadId, events) => {
      for (const event of events) await ingest(threadId, [event]);
    },
    sweep: async (...passes) => {
      const results: Array<FunctionReturnType<SweepRef>> = [];
      await run(() =>
        client.inOneUpdate(async () => {
          for (const pass of passes) results.push(await t.mutation(sweepRef, { ...pass, reschedule: false }));
        }),
      );
      return results;
    },
    elapse: (ms) =>
      run(() =>
        client.inOneUpdate(async () => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          await t.finishInProgressScheduledFunctions();
        }),
      ),
    call: (ref, args) => run(() => client.mutation(ref, args as never) as Promise<FunctionReturnType<typeof ref>>),
    settle,
    act: async (fn) => {
      await act(async () => {
        await fn();
        await client.settled();
      });
      // What the effects it triggered started (a queued send, say) finishes inside act too.
      await settle();
    },
  };
}
