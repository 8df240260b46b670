// The dev backend driven by the UNMODIFIED Convex 1.48 clients (ConvexClient over WebSocket,
// on Node 20 with the `ws` its Node build carries; ConvexHttpClient over HTTP), on a small
// app made for it (conformance/convex). If a convex or convex-test upgrade changes the
// protocol or the internals the backend hooks into, this is what fails.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { ConvexError } from "convex/values";
import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { api } from "./conformance/convex/_generated/api.js";
import { appFromDir, startDevBackend, type DevBackend } from "./src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
let backend: DevBackend;
const clients: ConvexClient[] = [];
const client = (token?: () => string | null) => {
  const c = new ConvexClient(backend.url, { logger: false });
  if (token) c.setAuth(async () => token());
  clients.push(c);
  return c;
};

beforeAll(async () => {
  backend = await startDevBackend({ app: await appFromDir(join(here, "conformance/convex")) });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await backend.reset();
});
afterAll(() => backend.stop());

/** The latest value a subscription delivered, and a way to wait for one that matches. */
function watch<T>(subscribe: (cb: (v: T) => void) => unknown) {
  const values: T[] = [];
  const waiters: Array<() => void> = [];
  subscribe((v) => {
    values.push(v);
    for (const w of waiters.splice(0)) w();
  });
  return {
    get latest() {
      return values.at(-1);
    },
    values,
    async until(done: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      while (!(values.length > 0 && done(values.at(-1)!))) {
        if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(values.at(-1))}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return values.at(-1)!;
    },
  };
}

describe("ConvexClient over WebSocket", () => {
  test("a subscription sees updates; a mutation resolves only once its write shows to the same client", async () => {
    const c = client();
    const notes = watch<string[]>((cb) => c.onUpdate(api.notes.all, { list: "a" }, cb));
    await notes.until((v) => v.length === 0);
    for (const text of ["one", "two", "three"]) {
      await c.mutation(api.notes.add, { list: "a", text });
      // No waiting: the Transition carrying the write came before the promise resolved.
      expect(notes.latest?.at(-1)).toBe(text);
    }
    expect(notes.latest).toEqual(["one", "two", "three"]);
  });

  test("two clients see each other's writes; a scheduled function's write reaches a subscriber", async () => {
    const [a, b] = [client(), client()];
    const seenByB = watch<string[]>((cb) => b.onUpdate(api.notes.all, { list: "shared" }, cb));
    await a.mutation(api.notes.add, { list: "shared", text: "from a" });
    await seenByB.until((v) => v.includes("from a"));
    await b.mutation(api.notes.addLater, { list: "shared", text: "scheduled", delayMs: 100 });
    expect(seenByB.latest).toEqual(["from a"]);
    await seenByB.until((v) => v.includes("scheduled"));
  });

  test("ConvexError data arrives intact over WebSocket and HTTP; internal functions are refused", async () => {
    const c = client();
    const ws = await c.mutation(api.notes.refuse, { code: "E_NOPE" }).catch((e: unknown) => e);
    expect(ws).toBeInstanceOf(ConvexError);
    expect((ws as { data: unknown }).data).toEqual({ code: "E_NOPE", detail: { limit: 3, tags: ["a", "b"] } });
    const http = new ConvexHttpClient(backend.url, { logger: false });
    const overHttp = await http.mutation(api.notes.refuse, { code: "E_NOPE" }).catch((e: unknown) => e);
    expect((overHttp as { data: unknown }).data).toEqual({ code: "E_NOPE", detail: { limit: 3, tags: ["a", "b"] } });

    const internalRef = "notes:secret" as unknown as typeof api.notes.whoami;
    await expect(c.query(internalRef, {})).rejects.toThrow(/Could not find public function for 'notes:secret'/);
    await expect(http.query(internalRef, {})).rejects.toThrow(/Could not find public function/);
    const internalMutation = "notes:addInternal" as unknown as typeof api.notes.add;
    await expect(c.mutation(internalMutation, { list: "x", text: "sneaky" })).rejects.toThrow(/Could not find public function/);
    expect(await c.query(api.notes.all, { list: "x" })).toEqual([]);
  });

  test("auth: on, refreshed before it expires, off; an expired token is refused and refetched", async () => {
    let minted = 0;
    const c = new ConvexClient(backend.url, { logger: false, authRefreshTokenLeewaySeconds: 2 });
    clients.push(c);
    const forced: boolean[] = [];
    const authChanges: boolean[] = [];
    c.setAuth(
      async ({ forceRefreshToken }) => {
        forced.push(forceRefreshToken);
        minted++;
        return backend.mintToken({ subject: "alice", name: `alice #${minted}`, expiresInSeconds: 4 });
      },
      (isAuthenticated) => authChanges.push(isAuthenticated),
    );
    const me = watch<{ subject: string; name?: string } | null>((cb) => c.onUpdate(api.notes.whoami, {}, cb));
    const first = await me.until((v) => v?.subject === "alice");
    expect(first?.name).toMatch(/^alice #/);
    // The client confirms its first token, fetches a fresh one (#2), then refreshes it 2 s
    // before it expires (#3): the identity follows each time.
    const confirmed = Date.now();
    await me.until((v) => v?.name === "alice #3", 6_000);
    expect(Date.now() - confirmed).toBeGreaterThan(1_000);
    expect(forced).toEqual([false, true, true]);
    expect(authChanges[0]).toBe(true);

    c.client.clearAuth();
    await me.until((v) => v === null);

    // An already expired token: the backend says AuthError, the client asks for a fresh one.
    const expired = backend.mintToken({ subject: "bob", expiresInSeconds: -10 });
    const d = client();
    const asked: boolean[] = [];
    d.setAuth(async ({ forceRefreshToken }) => {
      asked.push(forceRefreshToken);
      return forceRefreshToken ? backend.mintToken("bob") : expired;
    });
    const bob = watch<{ subject: string } | null>((cb) => d.onUpdate(api.notes.whoami, {}, cb));
    await bob.until((v) => v?.subject === "bob", 8_000);
    expect(asked).toEqual([false, true]);

    // Over HTTP an expired token is a 401.
    const http = new ConvexHttpClient(backend.url, { logger: false });
    http.setAuth(expired);
    await expect(http.query(api.notes.whoami, {})).rejects.toThrow(/Token expired/);
  }, 20_000);

  test("after the server drops every socket the client reconnects; a re-sent mutation is applied once", async () => {
    const c = client();
    const notes = watch<string[]>((cb) => c.onUpdate(api.notes.all, { list: "once" }, cb));
    await notes.until((v) => v.length === 0);
    const release = backend.testing.engine.pause("notes:add");
    const pending = c.mutation(api.notes.add, { list: "once", text: "exactly once" });
    await waitUntil(() => backend.testing.engine.waiting("notes:add") === 1);
    backend.dropConnections();
    release(); // commits while the client is away; its re-send must not commit again
    const id = await pending;
    expect(await notes.until((v) => v.length > 0)).toEqual(["exactly once"]);
    await c.mutation(api.notes.add, { list: "once", text: "after" });
    expect(notes.latest).toEqual(["exactly once", "after"]);
    expect(typeof id).toBe("string");
    expect(c.connectionState().connectionCount).toBeGreaterThan(1);
  }, 15_000);

  test("an action's mutation reaches subscribers; its result returns", async () => {
    const c = client();
    const notes = watch<string[]>((cb) => c.onUpdate(api.notes.all, { list: "act" }, cb));
    expect(await c.action(api.notes.addViaAction, { list: "act", text: "via action" })).toMatch(/^added /);
    await notes.until((v) => v.includes("via action"));
  });

  test("a commit re-runs only the queries whose read set it touched", async () => {
    const c = client();
    const a = watch<string[]>((cb) => c.onUpdate(api.notes.all, { list: "a" }, cb));
    const b = watch<string[]>((cb) => c.onUpdate(api.notes.all, { list: "b" }, cb));
    const owner = watch<string | null>((cb) => c.onUpdate(api.notes.listOwner, { name: "b" }, cb));
    await Promise.all([a.until((v) => v.length === 0), b.until((v) => v.length === 0), owner.until((v) => v === null)]);
    const runs = () => backend.testing.engine.queryRuns("notes:all");
    const before = runs();
    await c.mutation(api.notes.add, { list: "b", text: "only b" });
    expect(runs() - before).toBe(1);
    expect(b.latest).toEqual(["only b"]);
    // A patch of a document a query read (found through an index) re-runs that query.
    await c.mutation(api.notes.renameList, { name: "b", owner: "carol" });
    expect(owner.latest).toBe("carol");
    const ownerRuns = backend.testing.engine.queryRuns("notes:listOwner");
    await c.mutation(api.notes.renameList, { name: "b", owner: "dave" });
    expect(owner.latest).toBe("dave");
    expect(backend.testing.engine.queryRuns("notes:listOwner") - ownerRuns).toBe(1);
    expect(runs() - before).toBe(1);
  });
});

describe("the wire, as a raw WebSocket sees it", () => {
  test("versions chain; a mutation's response comes before the Transition that carries its write; log lines", async () => {
    const ws = new WebSocket(`${backend.url.replace("http", "ws")}/api/1.48.0/sync`);
    const got: Array<Record<string, unknown>> = [];
    ws.on("message", (data) => got.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise((r) => ws.once("open", r));
    const send = (m: object) => ws.send(JSON.stringify(m));
    send({ type: "Connect", sessionId: "raw-session", connectionCount: 0, lastCloseReason: null, clientTs: Date.now() });
    send({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [{ type: "Add", queryId: 0, udfPath: "notes:all", args: [{ list: "raw" }] }] });
    send({ type: "Mutation", requestId: 0, udfPath: "notes:add", args: [{ list: "raw", text: "hello" }] });
    send({ type: "Mutation", requestId: 0, udfPath: "notes:add", args: [{ list: "raw", text: "hello" }] }); // a re-send
    // Both answers, and a Transition after the last (the one that resolves it on a client).
    await waitUntil(() => {
      const lastAnswer = got.findLastIndex((m) => m.type === "MutationResponse");
      return got.filter((m) => m.type === "MutationResponse").length === 2 && got.slice(lastAnswer).some((m) => m.type === "Transition");
    });
    ws.close();

    const transitions = got.filter((m) => m.type === "Transition") as Array<{ startVersion: Version; endVersion: Version; modifications: Array<{ value?: unknown }> }>;
    expect(transitions[0]!.startVersion).toEqual({ querySet: 0, identity: 0, ts: "AAAAAAAAAAA=" });
    for (let i = 1; i < transitions.length; i++) expect(transitions[i]!.startVersion).toEqual(transitions[i - 1]!.endVersion);
    expect(transitions[0]!.endVersion.querySet).toBe(1);

    const responseAt = got.findIndex((m) => m.type === "MutationResponse");
    const response = got[responseAt] as { success: boolean; ts: string; logLines: string[] };
    expect(response).toMatchObject({ success: true, logLines: ["[LOG] adding hello"] });
    const carrying = got.findIndex((m) => m.type === "Transition" && JSON.stringify(m).includes("hello"));
    expect(carrying).toBeGreaterThan(responseAt);
    expect(u64(transitions.find((t) => JSON.stringify(t).includes("hello"))!.endVersion.ts)).toBeGreaterThanOrEqual(u64(response.ts));
    // The re-sent request got the first result (same ts), and nothing was written twice.
    const responses = got.filter((m) => m.type === "MutationResponse") as Array<{ ts: string; result: unknown }>;
    expect(responses).toHaveLength(2);
    expect(responses[1]).toEqual(responses[0]);
    expect(await backend.as(null).query("notes:all", { list: "raw" })).toEqual(["hello"]);
  });

  test("HTTP answers CORS preflights and a 404 for unknown routes", async () => {
    const preflight = await fetch(`${backend.url}/api/query`, { method: "OPTIONS", headers: { origin: "http://elsewhere", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    expect((await fetch(`${backend.url}/nope`, { method: "POST" })).status).toBe(404);
  });
});

type Version = { querySet: number; identity: number; ts: string };
const u64 = (ts: string) => Buffer.from(ts, "base64").readBigUInt64LE();

async function waitUntil(done: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
