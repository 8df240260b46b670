/**
 * A stand-in for `ConvexReactClient` backed by convex-test, so `ConvexProvider`,
 * `useQuery`, `useMutation` and `usePaginatedQuery` run against real Convex functions in
 * tests. Like the real client it keeps one result per (query, args), re-runs every watched
 * query after each mutation (a real deployment pushes the same updates), layers optimistic
 * updates over server results until their mutation's results are in, and keeps a result's
 * object identity when a re-run returns the same value.
 *
 *     const client = createConvexTestClient(t, { batch: act });
 *     render(<ConvexProvider client={client.asReactClient()}>…</ConvexProvider>);
 *
 * The backend is anything that answers `query` / `mutation` / `action`: convex-test here,
 * a `ConvexHttpClient` in the web app (apps/web), where `pollMs` also re-runs the watched
 * queries for writes made by others (the bridge), which no server pushes over HTTP.
 */
import type { OptimisticUpdate } from "convex/browser";
import type { ConvexReactClient } from "convex/react";
import { getFunctionName, type FunctionReference } from "convex/server";
import { convexToJson, type Value } from "convex/values";

type AnyRef = FunctionReference<"query" | "mutation" | "action", "public" | "internal">;
type Args = Record<string, Value>;
type Result = Value | undefined | Error;

/** What the client needs from a convex-test instance (`convexTest(schema, modules)`). */
export type TestBackend = {
  query(ref: never, args: never): Promise<unknown>;
  mutation(ref: never, args: never): Promise<unknown>;
  action(ref: never, args: never): Promise<unknown>;
};

export type ConvexTestClientOptions = {
  /** Wraps every batch of subscriber notifications, e.g. RTL's `act`. */
  batch?: (notify: () => void) => void;
  /**
   * Also re-run every watched query this often (ms), one pass at a time. Polls are not
   * "in flight" for `settled()`. Default: only after this client's own mutations.
   */
  pollMs?: number;
};

type Entry = {
  ref: AnyRef;
  name: string;
  args: Args;
  server: Result;
  run: number;
  listeners: Set<() => void>;
};

type PendingUpdate = { id: number; update: OptimisticUpdate<Args> ; args: Args };

const keyOf = (name: string, args: Args) => `${name}:${JSON.stringify(convexToJson(args))}`;

function sameValue(a: Result, b: Result): boolean {
  if (a instanceof Error || b instanceof Error) return a === b;
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(convexToJson(a)) === JSON.stringify(convexToJson(b));
}

export class ConvexTestClient {
  private entries = new Map<string, Entry>();
  /** Results set by optimistic updates for keys no query watches yet. */
  private pending: PendingUpdate[] = [];
  private effective = new Map<string, Result>();
  /** The result each watched query's listeners were last told about. */
  private published = new Map<string, Result>();
  private inflight = new Set<Promise<unknown>>();
  private paused = new Map<string, Array<() => void>>();
  private nextUpdateId = 0;
  private held = 0;
  private resultObservers = new Set<(name: string, args: Args, result: unknown) => void>();
  private closed = false;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  readonly logger = {
    logVerbose: () => {},
    log: (...a: unknown[]) => console.log(...a),
    warn: (...a: unknown[]) => console.warn(...a),
    error: (...a: unknown[]) => console.error(...a),
  };

  constructor(
    private readonly backend: TestBackend,
    private readonly options: ConvexTestClientOptions = {},
  ) {
    if (options.pollMs !== undefined) {
      let polling = false;
      this.pollTimer = setInterval(() => {
        if (polling || this.entries.size === 0) return;
        polling = true;
        void this.refresh([...this.entries.values()]).finally(() => (polling = false));
      }, options.pollMs);
    }
  }

  /** The object to hand to `ConvexProvider` (typed as the real client it stands in for). */
  asReactClient(): ConvexReactClient {
    return this as unknown as ConvexReactClient;
  }

  watchQuery(query: AnyRef, args: Args = {}) {
    const name = getFunctionName(query);
    const key = keyOf(name, args);
    return {
      onUpdate: (callback: () => void) => {
        let entry = this.entries.get(key);
        if (!entry) {
          entry = { ref: query, name, args, server: undefined, run: 0, listeners: new Set() };
          this.entries.set(key, entry);
          this.track(this.refresh([entry]));
        }
        entry.listeners.add(callback);
        return () => {
          const current = this.entries.get(key);
          if (!current) return;
          current.listeners.delete(callback);
          if (current.listeners.size === 0) {
            this.entries.delete(key);
            this.published.delete(key);
          }
        };
      },
      localQueryResult: () => {
        const value = this.resultOf(key);
        if (value instanceof Error) throw value;
        return value;
      },
      localQueryLogs: () => undefined,
      journal: () => undefined,
    };
  }

  watchPaginatedQuery(): never {
    throw new Error("ConvexTestClient: watchPaginatedQuery is not used by convex 1.48's usePaginatedQuery");
  }

  prewarmQuery(options: { query: AnyRef; args?: Args }): void {
    const unsubscribe = this.watchQuery(options.query, options.args ?? {}).onUpdate(() => {});
    void this.settled().then(unsubscribe);
  }

  async query(query: AnyRef, args: Args = {}): Promise<unknown> {
    return await this.backend.query(query as never, args as never);
  }

  mutation(mutation: AnyRef, args: Args = {}, options: { optimisticUpdate?: OptimisticUpdate<Args> } = {}): Promise<unknown> {
    let pending: PendingUpdate | undefined;
    if (options.optimisticUpdate) {
      pending = { id: this.nextUpdateId++, update: options.optimisticUpdate, args };
      this.pending.push(pending);
      this.recompute();
    }
    // A paused mutation is not "in flight" for `settled()` until it is released.
    const run = (async () => {
      await this.gate(getFunctionName(mutation));
      const work = (async () => {
        try {
          return await this.backend.mutation(mutation as never, args as never);
        } finally {
          // As in Convex, the optimistic layer goes away in the same update that brings the
          // server results written by its mutation (or right away if the mutation failed).
          await this.refresh([...this.entries.values()], () => {
            if (pending) this.pending = this.pending.filter((p) => p !== pending);
          });
        }
      })();
      this.track(work);
      return await work;
    })();
    return run;
  }

  async action(action: AnyRef, args: Args = {}): Promise<unknown> {
    const run = (async () => {
      try {
        return await this.backend.action(action as never, args as never);
      } finally {
        await this.refresh([...this.entries.values()]);
      }
    })();
    this.track(run);
    return await run;
  }

  connectionState() {
    return {
      hasInflightRequests: this.inflight.size > 0,
      isWebSocketConnected: true,
      hasEverConnected: true,
      connectionCount: 1,
      connectionRetries: 0,
      timeOfOldestInflightRequest: null,
      inflightMutations: 0,
      inflightActions: 0,
    };
  }

  subscribeToConnectionState(_cb: () => void): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    this.entries.clear();
  }

  // ---- test controls -------------------------------------------------------------------

  /** Resolves once no query run or mutation is in flight (including ones started meanwhile). */
  async settled(): Promise<void> {
    // A macrotask first, so work queued by just-resolved promises (a released pause) is tracked.
    do {
      await new Promise((resolve) => setTimeout(resolve, 0));
      while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
      await new Promise((resolve) => setTimeout(resolve, 0));
    } while (this.inflight.size > 0);
  }

  /** Holds calls of one mutation before they reach the backend until the returned release runs. */
  pause(mutation: AnyRef): () => void {
    const name = getFunctionName(mutation);
    this.paused.set(name, this.paused.get(name) ?? []);
    return () => {
      const waiters = this.paused.get(name) ?? [];
      this.paused.delete(name);
      for (const go of waiters) go();
    };
  }

  /**
   * Runs `writes` with re-runs held back, then re-runs the watched queries once: the
   * client sees all the writes in one update, as when they land between two server pushes.
   */
  async inOneUpdate(writes: () => Promise<void>): Promise<void> {
    this.held++;
    try {
      await writes();
    } finally {
      this.held--;
    }
    await this.refresh([...this.entries.values()]);
  }

  /** Calls `observer` with every query result the backend returns (to measure what is sent). */
  observeResults(observer: (name: string, args: Args, result: unknown) => void): () => void {
    this.resultObservers.add(observer);
    return () => this.resultObservers.delete(observer);
  }

  /** Subscribed (query name, args) pairs: lets tests assert what the hooks asked for. */
  watched(query?: AnyRef): Args[] {
    const name = query ? getFunctionName(query) : undefined;
    return [...this.entries.values()].filter((e) => !name || e.name === name).map((e) => e.args);
  }

  // ---- internals -----------------------------------------------------------------------

  private gate(name: string): Promise<void> {
    const waiters = this.paused.get(name);
    if (!waiters) return Promise.resolve();
    return new Promise((resolve) => waiters.push(resolve));
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch(() => {}).finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }

  /** Re-runs queries, then (with `alsoApply`) applies a change in the same notification. */
  private async refresh(entries: Entry[], alsoApply?: () => void): Promise<void> {
    if (this.held > 0) {
      alsoApply?.();
      return;
    }
    const runs = entries.map(async (entry) => {
      const run = ++entry.run;
      let value: Result;
      try {
        value = (await this.backend.query(entry.ref as never, entry.args as never)) as Value;
        for (const observe of this.resultObservers) observe(entry.name, entry.args, value);
      } catch (error) {
        value = error instanceof Error ? error : new Error(String(error));
      }
      // A newer run of the same query wins; an unchanged value keeps its identity.
      if (run === entry.run && !sameValue(entry.server, value)) entry.server = value;
    });
    await Promise.all(runs);
    alsoApply?.();
    this.recompute();
  }

  private resultOf(key: string): Result {
    return this.effective.has(key) ? this.effective.get(key) : this.entries.get(key)?.server;
  }

  /** Server results with every pending optimistic update replayed on top, in order. */
  private recompute(): void {
    if (this.closed) return;
    const layer = new Map<string, { args: Args; name: string; value: Result }>();
    for (const [key, entry] of this.entries) layer.set(key, { args: entry.args, name: entry.name, value: entry.server });
    const store = {
      getQuery: (query: AnyRef, args: Args = {}) => {
        const value = layer.get(keyOf(getFunctionName(query), args))?.value;
        return value instanceof Error ? undefined : value;
      },
      getAllQueries: (query: AnyRef) => {
        const name = getFunctionName(query);
        return [...layer.values()]
          .filter((e) => e.name === name)
          .map((e) => ({ args: e.args, value: e.value instanceof Error ? undefined : e.value }));
      },
      setQuery: (query: AnyRef, args: Args, value: Value | undefined) => {
        const name = getFunctionName(query);
        layer.set(keyOf(name, args), { args, name, value });
      },
    };
    for (const { update, args } of this.pending) update(store as never, args);
    this.effective = new Map();
    for (const [key, e] of layer) {
      if (this.entries.get(key)?.server !== e.value) this.effective.set(key, e.value);
    }
    const changed = [...this.entries.entries()].filter(([key]) => this.published.get(key) !== this.resultOf(key));
    for (const [key] of changed) this.published.set(key, this.resultOf(key));
    if (changed.length === 0) return;
    const notify = () => {
      for (const [, entry] of changed) for (const listener of [...entry.listeners]) listener();
    };
    if (this.options.batch) this.options.batch(notify);
    else notify();
  }
}

export function createConvexTestClient(backend: TestBackend, options?: ConvexTestClientOptions): ConvexTestClient {
  return new ConvexTestClient(backend, options);
}
