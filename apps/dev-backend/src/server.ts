/**
 * `startDevBackend()`: the dev backend as a library. It serves the unmodified Convex clients
 * on 127.0.0.1 — `ConvexClient` / `ConvexReactClient` over WebSocket at
 * `ws://…/api/<version>/sync`, `ConvexHttpClient` over HTTP — running an app (by default the
 * example app with the codexLocal component) on convex-test with transaction limits on.
 * Port 0 picks a free port; `url` is what a client is given. A development and test tool,
 * not a database: state is in memory (optionally snapshotted to a file).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { UserIdentity } from "convex/server";
import { ConvexError, jsonToConvex, type Value } from "convex/values";
import { WebSocketServer, type WebSocket } from "./nodeWs.js";
import { exampleApp, type AppDefinition } from "./app.js";
import { identityFromToken, mintDevToken, type DevTokenOptions } from "./auth.js";
import { Engine, type Outcome } from "./engine.js";
import { createHttpHandler } from "./http.js";
import { loadSnapshot, saveSnapshot } from "./snapshot.js";
import { SyncConnection, type Reactivity } from "./sync/connection.js";
import { MutationLog } from "./sync/mutationLog.js";
import type { ClientMessage } from "./sync/wire.js";

export type DevBackendOptions = {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** Default: the example app with the codexLocal component. */
  app?: AppDefinition;
  /** "read-set" (default) re-runs only the queries a commit touched; "rerun-all" every one (the benchmark's baseline). */
  reactivity?: Reactivity;
  /** A built page served on GET (same origin as the API). */
  staticDir?: string;
  /** Restore from this file at start (if it exists) and save to it on `stop()` and `snapshot()`. */
  snapshotFile?: string;
};

export type DevBackend = {
  /** The deployment URL to give a Convex client (`http://127.0.0.1:PORT`). */
  url: string;
  /** A dev token for a user (unsigned, not verified: dev only). */
  mintToken(subjectOrOptions: string | DevTokenOptions): string;
  /** Calls the app's public functions in process as a user (`null`: signed out), like a client would. */
  as(user: string | UserIdentity | null): {
    query(path: string, args?: Record<string, Value>): Promise<unknown>;
    mutation(path: string, args?: Record<string, Value>): Promise<unknown>;
    action(path: string, args?: Record<string, Value>): Promise<unknown>;
  };
  /** Deletes every document and pending scheduled function; live clients see the empty state. */
  reset(): Promise<void>;
  /** Writes the snapshot file now (requires `snapshotFile`). */
  snapshot(): Promise<void>;
  /** Closes every client socket at once, as a backend restart would (clients reconnect). */
  dropConnections(): void;
  stop(): Promise<void>;
  /** Test controls (see testing.ts). */
  testing: DevBackendTesting;
};

export type DevBackendTesting = {
  engine: Engine;
  /** Live queries of every socket, by function path. */
  liveQueries(udfPath?: string): Array<Record<string, Value>>;
  /** Called with every query result sent to a client. */
  observeResults(observer: (udfPath: string, args: Value, value: Value) => void): () => void;
  /** WebSocket messages received from and sent to the sockets opened with `?tag=` (see testing.ts). */
  messageCounts(tag?: string): { received: number; sent: number };
  /** Resolves once nothing is being computed or sent. */
  idle(): Promise<void>;
  /**
   * From now on HTTP calls with `token` are refused (401 Unauthenticated) as if it had expired
   * — a token its provider revoked — though its `exp` is still ahead: how tests make a token
   * lapse on cue. HTTP only (a socket's identity is checked when it authenticates).
   */
  revokeToken(token: string): void;
};

export async function startDevBackend(options: DevBackendOptions = {}): Promise<DevBackend> {
  const app = options.app ?? (await exampleApp());
  const engine = await Engine.create(app);
  if (options.snapshotFile) await loadSnapshot(engine, app, options.snapshotFile);
  const mutations = new MutationLog();
  const connections = new Map<WebSocket, SyncConnection>();
  const observers = new Set<(udfPath: string, args: Value, value: Value) => void>();
  const counts: Record<string, { received: number; sent: number }> = {};
  engine.onCommit((batch) => {
    for (const connection of connections.values()) connection.onCommit(batch);
  });

  const server: Server = createServer((req, res) => void handleHttp(req, res));
  const revoked = new Set<string>();
  const handleHttp = createHttpHandler(engine, { staticDir: options.staticDir, isRevoked: (token) => revoked.has(token) });
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    // Any client version: the 1.48 protocol is what is spoken.
    if (!/^\/api\/[^/]+\/sync$/.test(new URL(req.url ?? "/", "http://x").pathname)) {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    const tag = new URL(req.url ?? "/", "http://x").searchParams.get("tag") ?? "";
    sockets.handleUpgrade(req, socket, head, (ws) => accept(ws, tag));
  });

  function accept(ws: WebSocket, tag: string) {
    const counted = (counts[tag] ??= { received: 0, sent: 0 });
    const connection = new SyncConnection({
      engine,
      mutations,
      reactivity: options.reactivity ?? "read-set",
      send: (message) => {
        counted.sent++;
        ws.send(JSON.stringify(message));
      },
      close: (code, reason) => ws.close(code, reason),
      onQueryResult: (udfPath, args, value) => {
        for (const observe of observers) observe(udfPath, args, value);
      },
    });
    connections.set(ws, connection);
    ws.on("message", (data) => {
      counted.received++;
      try {
        connection.receive(JSON.parse(String(data)) as ClientMessage);
      } catch {
        ws.close(1002, "WSMessageInvalidJson");
      }
    });
    ws.on("close", () => {
      connection.dispose();
      connections.delete(ws);
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const userOf = (user: string | UserIdentity | null) =>
    user === null ? null : typeof user === "string" ? identityFromToken(mintDevToken({ subject: user })).identity : user;

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    mintToken: (subjectOrOptions) => mintDevToken(typeof subjectOrOptions === "string" ? { subject: subjectOrOptions } : subjectOrOptions),
    as(user) {
      const caller = engine.as(userOf(user));
      const unwrap = async (run: Promise<Outcome>) => {
        const outcome = await run;
        if (outcome.ok) return outcome.value;
        // As the clients do: a ConvexError carries its data, anything else is an Error.
        if (outcome.data === undefined) throw new Error(outcome.message);
        throw Object.assign(new ConvexError(outcome.message), { data: jsonToConvex(outcome.data) });
      };
      return {
        query: (path, args = {}) => unwrap(caller.query(path, args)),
        mutation: (path, args = {}) => unwrap(caller.mutation(path, args)),
        action: (path, args = {}) => unwrap(caller.action(path, args)),
      };
    },
    reset: async () => {
      mutations.clear();
      await engine.reset();
    },
    snapshot: async () => {
      if (!options.snapshotFile) throw new Error("startDevBackend: no snapshotFile configured");
      await saveSnapshot(engine, app, options.snapshotFile);
    },
    dropConnections() {
      for (const ws of connections.keys()) ws.terminate();
    },
    async stop() {
      for (const ws of connections.keys()) ws.terminate();
      await engine.idle();
      if (options.snapshotFile) await saveSnapshot(engine, app, options.snapshotFile);
      sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    testing: {
      engine,
      liveQueries: (udfPath) =>
        [...connections.values()].flatMap((c) => c.liveQueries()).filter((q) => !udfPath || q.udfPath === udfPath).map((q) => q.args),
      observeResults(observer) {
        observers.add(observer);
        return () => observers.delete(observer);
      },
      messageCounts: (tag = "") => ({ ...(counts[tag] ?? { received: 0, sent: 0 }) }),
      revokeToken: (token) => void revoked.add(token),
      async idle() {
        for (;;) {
          await engine.idle();
          if (![...connections.values()].some((c) => c.busy)) return;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      },
    },
  };
}
