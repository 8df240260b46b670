/**
 * The slice of a Convex client the persistence adapter needs. `ConvexClient` (from
 * `convex/browser`, WebSocket, live subscriptions) fits it as is; `ConvexHttpClient` fits it
 * without `onUpdate` (the adapter then polls); the in-process test backend implements it too.
 */
import type { FunctionReference } from "convex/server";

export type ConvexCaller = {
  query(ref: FunctionReference<"query">, args: Record<string, unknown>): Promise<unknown>;
  mutation(ref: FunctionReference<"mutation">, args: Record<string, unknown>): Promise<unknown>;
  /** Live query: `callback` on every new result; returns the unsubscribe function. */
  onUpdate?(
    ref: FunctionReference<"query">,
    args: Record<string, unknown>,
    callback: (result: unknown) => void,
    onError?: (error: Error) => void,
  ): () => void;
};
