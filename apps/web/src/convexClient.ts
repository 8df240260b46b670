/**
 * The client under `ConvexProvider`. With `VITE_CONVEX_URL` it is the real `ConvexReactClient`
 * (WebSocket sync with a deployment). Without it the page talks to the local stand-in that
 * served it (apps/web/serve.ts), which speaks Convex's HTTP API but not its sync protocol:
 * calls go through `ConvexHttpClient`, and the watched queries, optimistic updates and result
 * caching are the workspace's ConvexReactClient stand-in, re-running the watched queries
 * after each mutation and on a short poll for what the bridge writes.
 */
import { ConvexHttpClient } from "convex/browser";
import { ConvexReactClient } from "convex/react";
import { createConvexTestClient } from "../../../src/react/testing/convexTestClient.js";
import { DEMO_USER_TOKEN } from "./demoUser.js";

/** How often the stand-in client re-reads watched queries. */
const POLL_MS = 150;

export function createConvexClient(): ConvexReactClient {
  const url = import.meta.env.VITE_CONVEX_URL;
  if (url) {
    const client = new ConvexReactClient(url);
    const token = import.meta.env.VITE_CONVEX_AUTH_TOKEN;
    if (token) client.setAuth(async () => token);
    return client;
  }
  const http = new ConvexHttpClient(window.location.origin);
  http.setAuth(DEMO_USER_TOKEN);
  const backend = {
    query: http.query.bind(http),
    mutation: http.mutation.bind(http),
    action: http.action.bind(http),
  };
  return createConvexTestClient(backend, { pollMs: POLL_MS }).asReactClient();
}
