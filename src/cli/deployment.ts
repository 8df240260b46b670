/**
 * The bridge's side of the deployment: the user's token (fixed, or from a login command), a
 * one-shot check over HTTP that the deployment is reachable, accepts the token and exports the
 * host API (`whoami`), and the client the runtime then uses — `ConvexClient` (WebSocket, live
 * command queue) or, with `--poll`, `ConvexHttpClient` (its token refreshed by `httpAuth.ts`).
 */
import { execFile } from "node:child_process";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import type { ConvexCaller } from "../host/index.js";
import type { BridgeOptions } from "./bridgeOptions.js";
import { BridgeStartError, explainDeploymentError } from "./explain.js";
import { refreshingHttpCaller } from "../host/httpAuth.js";

/** What the bridge says when the deployment stops taking a token it cannot renew. */
export const FIXED_TOKEN_LAPSED =
  "the deployment refused the token, and a fixed --token cannot be refreshed: restart the bridge with a fresh one, or use --token-command";

/** What `whoami` answers: the actor the deployment derives for this token. */
export type SignedIn = { tenantId: string; userId: string; deviceId?: string };

const CHECK_TIMEOUT_MS = 15_000;

/** Returns the token (or undefined without one); `forceRefresh` re-runs a login command. */
export function tokenSource(token: BridgeOptions["token"]): () => Promise<string | undefined> {
  if (token.kind === "none") return async () => undefined;
  if (token.kind === "static") return async () => token.value;
  return () =>
    new Promise((resolve, reject) => {
      execFile(process.env.SHELL || "/bin/sh", ["-c", token.command], { timeout: 60_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        const value = stdout.trim().split("\n").at(-1)?.trim();
        if (error || !value) {
          const why = error ? `exit ${error.code ?? error.signal}` : "it printed nothing";
          reject(
            new BridgeStartError(
              `the token command failed (${why})${stderr.trim() ? `: ${stderr.trim().split("\n").at(-1)}` : ""}`,
              `run \`${token.command}\` yourself: it must print the user's token on stdout`,
            ),
          );
        } else resolve(value);
      });
    });
}

/** The deployment's answer to `whoami` with this token, or a `BridgeStartError` saying why not. */
export async function checkDeployment(options: BridgeOptions, token: string | undefined): Promise<SignedIn> {
  const http = new ConvexHttpClient(options.url, { skipConvexDeploymentUrlCheck: true });
  if (token) http.setAuth(token);
  const whoami = makeFunctionReference<"query", { deviceId?: string }, SignedIn>(`${options.module}:whoami`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      http.query(whoami, { deviceId: options.deviceId }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the deployment did not answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    throw explainDeploymentError(error, { url: options.url, module: options.module, hasToken: token !== undefined });
  } finally {
    clearTimeout(timer);
  }
}

export type Connection = {
  client: ConvexCaller;
  transport: string;
  /** Calls `listener` with `true` / `false` as the live connection comes and goes (WebSocket only). */
  onConnectionChange(listener: (connected: boolean) => void): void;
  /** Called when the deployment stops accepting the token, with why (once per lapse). */
  onAuthLost(listener: (why: string) => void): void;
  /** Called when a fresh token is in use (HTTP: before it expires, or after a refusal). */
  onTokenRefreshed(listener: (why: "before-expiry" | "refused") => void): void;
  close(): Promise<void>;
};

export function connect(options: BridgeOptions, fetchToken: (forceRefresh: boolean) => Promise<string | undefined>, token: string | undefined): Connection {
  const authLost = new Set<(why: string) => void>();
  const refreshed = new Set<(why: "before-expiry" | "refused") => void>();
  if (options.poll) {
    const http = new ConvexHttpClient(options.url, { skipConvexDeploymentUrlCheck: true });
    return {
      client: refreshingHttpCaller(http, {
        fixedTokenLapsed: FIXED_TOKEN_LAPSED,
        token,
        // Only a login command can give another token; a fixed one is said to be lost instead.
        ...(options.token.kind === "command" ? { refresh: () => fetchToken(true) } : {}),
        onAuthLost: (why) => authLost.forEach((listener) => listener(why)),
        onRefreshed: (why) => refreshed.forEach((listener) => listener(why)),
      }),
      transport: `HTTP, polling every ${options.pollMs} ms`,
      onConnectionChange: () => undefined,
      onAuthLost: (listener) => void authLost.add(listener),
      onTokenRefreshed: (listener) => void refreshed.add(listener),
      close: async () => undefined,
    };
  }
  const live = new ConvexClient(options.url, { skipConvexDeploymentUrlCheck: true });
  if (token !== undefined) {
    let first = true;
    live.setAuth(
      async ({ forceRefreshToken }) => {
        const value = first && !forceRefreshToken ? token : await fetchToken(true).catch(() => undefined);
        first = false;
        return value ?? null;
      },
      (isAuthenticated) => {
        if (isAuthenticated) return;
        const why = options.token.kind === "command" ? "the deployment stopped accepting the token, and the token command gave none it accepts" : FIXED_TOKEN_LAPSED;
        for (const listener of authLost) listener(why);
      },
    );
  }
  return {
    client: live,
    transport: "WebSocket",
    onConnectionChange(listener) {
      let connected: boolean | undefined;
      live.subscribeToConnectionState((state) => {
        // Not connected yet is not news; losing a connection is.
        if (state.isWebSocketConnected === connected || (!state.hasEverConnected && !state.isWebSocketConnected)) return;
        connected = state.isWebSocketConnected;
        listener(connected);
      });
    },
    onAuthLost: (listener) => void authLost.add(listener),
    // ConvexClient refreshes on its own, silently.
    onTokenRefreshed: () => undefined,
    close: () => live.close(),
  };
}
