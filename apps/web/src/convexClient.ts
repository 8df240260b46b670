/**
 * The real `ConvexReactClient` under `ConvexProvider`: WebSocket sync, live subscriptions.
 * Built with `VITE_CONVEX_URL` it talks to that deployment (with `VITE_CONVEX_AUTH_TOKEN`, if
 * given). Without it the page was served by the dev backend (`pnpm web`) and talks to its
 * own origin, signed in with dev tokens the backend mints for the demo user.
 */
import { ConvexReactClient } from "convex/react";
import { DEMO_USER } from "./demoUser.js";

export function createConvexClient(): ConvexReactClient {
  const deployment = import.meta.env.VITE_CONVEX_URL;
  const client = new ConvexReactClient(deployment || window.location.origin);
  const token = import.meta.env.VITE_CONVEX_AUTH_TOKEN;
  if (deployment) {
    if (token) client.setAuth(async () => token);
  } else {
    client.setAuth(fetchDevToken);
  }
  return client;
}

async function fetchDevToken(): Promise<string> {
  const res = await fetch(`${window.location.origin}/dev/token`, { method: "POST", body: JSON.stringify({ subject: DEMO_USER }) });
  if (!res.ok) throw new Error(`the dev backend refused a token: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
