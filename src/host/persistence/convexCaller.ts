/**
 * The slice of a Convex client the persistence adapter needs. `ConvexClient` (from
 * `convex/browser`, WebSocket, live subscriptions) fits it as is; `ConvexHttpClient` fits it
 * without `onUpdate` (the adapter then polls); the in-process test backend implements it too.
 */
import type { FunctionArgs, FunctionReference, FunctionReturnType } from "convex/server";

export type ConvexCaller = {
  query<Q extends FunctionReference<"query">>(ref: Q, args: FunctionArgs<Q>): Promise<FunctionReturnType<Q>>;
  mutation<M extends FunctionReference<"mutation">>(ref: M, args: FunctionArgs<M>): Promise<FunctionReturnType<M>>;
  /** Live query: `callback` on every new result; returns the unsubscribe function. */
  onUpdate?<Q extends FunctionReference<"query">>(
    ref: Q,
    args: FunctionArgs<Q>,
    callback: (result: FunctionReturnType<Q>) => unknown,
    onError?: (error: Error) => unknown,
  ): () => void;
};
