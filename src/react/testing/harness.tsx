/**
 * Test harness: a convex-test backend with the test-only app, the client the hooks talk
 * to, and a bridge stand-in bound to one owner and thread.
 */
import { act, cleanup, render, type RenderResult } from "@testing-library/react";
import { ConvexProvider } from "convex/react";
import { convexTest, type TestConvex } from "convex-test";
import { StrictMode, type ReactNode } from "react";
import { afterEach } from "vitest";
import { api } from "./app/_generated/api.js";
import schema from "./app/schema.js";
import { createConvexTestClient, type ConvexTestClient } from "./convexTestClient.js";

const modules = import.meta.glob("./app/**/*.ts");

// Vitest runs without globals here, so RTL cannot register its own cleanup.
afterEach(cleanup);

export const actor = { tenantId: "tenant-1", userId: "user-1" };

export type Harness = {
  /** The convex-test backend itself, for setup and for reading what was stored. */
  t: TestConvex<typeof schema>;
  client: ConvexTestClient;
  threadId: string;
  render(ui: ReactNode): RenderResult;
  /** Runs a bridge stand-in mutation through the client, then waits for queries to settle. */
  bridge<K extends keyof typeof api.bridge>(
    name: K,
    args: Omit<(typeof api.bridge)[K]["_args"], "actor" | "threadId">,
  ): Promise<void>;
  settle(): Promise<void>;
  /** Runs `fn` (a click, a submit) and waits for everything it started, all inside one act. */
  act(fn: () => unknown): Promise<void>;
};

export async function createHarness(threadId = "thread-1"): Promise<Harness> {
  const t = convexTest(schema, modules);
  const client = createConvexTestClient(t, { batch: (notify) => act(notify) });
  const settle = async () => {
    await act(async () => {
      await client.settled();
    });
  };
  const harness: Harness = {
    t,
    client,
    threadId,
    // StrictMode renders twice and re-runs effects: hooks must hold up to both.
    render: (ui) =>
      render(
        <StrictMode>
          <ConvexProvider client={client.asReactClient()}>{ui}</ConvexProvider>
        </StrictMode>,
      ),
    bridge: async (name, args) => {
      await act(async () => {
        await client.mutation(api.bridge[name], { actor, threadId, ...args } as never);
        await client.settled();
      });
      // Effects that moved stream cursors start new subscriptions: let those land too.
      await settle();
    },
    settle,
    act: async (fn) => {
      await act(async () => {
        await fn();
        await client.settled();
      });
    },
  };
  await t.mutation(api.bridge.ensureThread, { actor, threadId });
  return harness;
}
