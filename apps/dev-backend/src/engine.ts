/**
 * The app running on convex-test (transaction limits and the 1 MiB write guard on, see
 * src/testing/convexTest.ts), as the sync and HTTP layers see it:
 * public functions only, called by path as a given user; each query's read set and journal;
 * every commit announced once, as a batch of written documents with a rising timestamp.
 */
import { makeFunctionReference, type UserIdentity } from "convex/server";
import type { Value } from "convex/values";
import { createConvexTest } from "../../../src/testing/convexTest.js";
import type { AppDefinition } from "./app.js";
import { assertPinnedVersion, hookInstance, outsideFunctions, trackReads, type WriteRecord } from "./convexTestHooks.js";
import { captured, type Outcome } from "./outcome.js";
import { ReadSet, type WrittenDocument } from "./readSet.js";

export type FunctionKind = "query" | "mutation" | "action";

export type { Outcome };

export type QueryOutcome = Outcome & { reads: ReadSet; journal: string | null };

/** One commit (or several, when they landed together): what was written, as it is now. */
export type CommitBatch = { ts: bigint; writes: WrittenDocument[] };

type Accessor = {
  query(ref: unknown, args: unknown): Promise<unknown>;
  mutation(ref: unknown, args: unknown): Promise<unknown>;
  action(ref: unknown, args: unknown): Promise<unknown>;
  run(handler: (ctx: unknown) => Promise<unknown>): Promise<unknown>;
  runInComponent(path: string, handler: (ctx: DbCtx) => Promise<unknown>): Promise<unknown>;
  finishInProgressScheduledFunctions(): Promise<void>;
  withIdentity(identity: Partial<UserIdentity>): Accessor;
};
type Doc = Record<string, Value> & { _id: string };
type DbCtx = {
  db: {
    get(id: string): Promise<Doc | null>;
    delete(id: string): Promise<void>;
    query(table: string): { take(n: number): Promise<Doc[]> };
    system: { get(id: string): Promise<Doc | null>; query(table: string): { collect(): Promise<Doc[]> } };
  };
  scheduler: { cancel(id: string): Promise<void> };
};

export class NotPublicError extends Error {}

export class Engine {
  private readonly accessors = new Map<string, Accessor>();
  private readonly listeners = new Set<(batch: CommitBatch) => void>();
  private pending: WriteRecord[] = [];
  private flushing: Promise<bigint> = Promise.resolve(0n);
  private flushQueued = false;
  private lastTs = 0n;
  private held = 0;
  private busy = 0;
  private readonly idleWaiters = new Set<() => void>();
  private readonly paused = new Map<string, Array<() => void>>();
  private readonly runs = new Map<string, number>();

  private constructor(
    private readonly app: AppDefinition,
    private readonly t: Accessor,
  ) {}

  static async create(app: AppDefinition): Promise<Engine> {
    assertPinnedVersion();
    // The project's one way to make a convex-test backend: Convex's transaction limits and the 1 MiB write guard.
    const t = createConvexTest(app.schema as Parameters<typeof createConvexTest>[0], app.modules) as unknown as Accessor & {
      registerComponent(name: string, schema: unknown, modules: unknown): void;
    };
    for (const c of app.components ?? []) t.registerComponent(c.name, c.schema, c.modules);
    const engine = new Engine(app, t);
    await hookInstance((handler) => t.run(handler), (write) => engine.noteWrite(write));
    return engine;
  }

  /** The latest announced commit timestamp (ns). */
  get ts(): bigint {
    return this.lastTs;
  }

  onCommit(listener: (batch: CommitBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async query(path: string, args: Record<string, Value>, identity: UserIdentity | null, journal: string | null): Promise<QueryOutcome> {
    this.runs.set(path, (this.runs.get(path) ?? 0) + 1);
    const scope = { reads: new ReadSet(), journalIn: journal, journalOut: null as string | null };
    const outcome = await this.call("query", path, identity, (user, ref) => trackReads(scope, () => user.query(ref, args)));
    return { ...outcome, reads: scope.reads, journal: scope.journalOut };
  }

  async mutation(path: string, args: Record<string, Value>, identity: UserIdentity | null): Promise<Outcome> {
    await this.gate(path);
    return await this.call("mutation", path, identity, (user, ref) => user.mutation(ref, args));
  }

  async action(path: string, args: Record<string, Value>, identity: UserIdentity | null): Promise<Outcome> {
    return await this.call("action", path, identity, (user, ref) => user.action(ref, args));
  }

  /** The kind of a public function, or a NotPublicError (internal and unknown functions alike). */
  async kindOf(path: string): Promise<FunctionKind> {
    const [modulePath, exportName = "default"] = path.split(":") as [string, string?];
    const loader = Object.entries(this.app.modules).find(([key]) => key.replace(/\.[^./]+$/, "").endsWith(`/convex/${modulePath}`))?.[1];
    const fn = loader ? ((await loader()) as Record<string, { isPublic?: boolean; isQuery?: boolean; isMutation?: boolean; isAction?: boolean }>)[exportName] : undefined;
    const kind = fn?.isQuery ? "query" : fn?.isMutation ? "mutation" : fn?.isAction ? "action" : undefined;
    if (!fn?.isPublic || !kind) {
      throw new NotPublicError(`Could not find public function for '${path}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`);
    }
    return kind;
  }

  /** Announces what was written since the last flush; resolves with that batch's timestamp. */
  flush(): Promise<bigint> {
    const run = this.flushing.then(async () => {
      if (this.held > 0 || this.pending.length === 0) return this.lastTs;
      const writes = this.pending.splice(0);
      const ts = this.nextTs();
      const docs = await this.readBack(writes);
      this.lastTs = ts;
      for (const listener of this.listeners) listener({ ts, writes: docs });
      return ts;
    });
    this.flushing = run.catch(() => this.lastTs);
    return this.tracked(run);
  }

  /** Calls as a user in process (tests, the CLI): the same path as a client's call. */
  as(identity: UserIdentity | null) {
    return {
      query: (path: string, args: Record<string, Value>) => this.query(path, args, identity, null),
      mutation: (path: string, args: Record<string, Value>) => this.mutation(path, args, identity),
      action: (path: string, args: Record<string, Value>) => this.action(path, args, identity),
    };
  }

  /** The raw convex-test instance, for test set-up (internal functions, scheduled work). */
  get convexTest(): Accessor {
    return this.t;
  }

  // ---- test controls ---------------------------------------------------------------------

  /** Holds every call of mutation `path` before it runs until the returned release is called. */
  pause(path: string): () => void {
    if (!this.paused.has(path)) this.paused.set(path, []);
    return () => {
      const waiters = this.paused.get(path) ?? [];
      this.paused.delete(path);
      for (const go of waiters) go();
    };
  }

  /** Calls of mutation `path` held by `pause`. */
  waiting(path: string): number {
    return this.paused.get(path)?.length ?? 0;
  }

  /** How many times query `path` ran (to see what a commit re-ran). */
  queryRuns(path: string): number {
    return this.runs.get(path) ?? 0;
  }

  /** Runs `writes` with commits held back, then announces them as one batch. */
  async inOneBatch(writes: () => Promise<void>): Promise<void> {
    this.held++;
    try {
      await writes();
    } finally {
      this.held--;
    }
    await this.flush();
  }

  /** Resolves once no call, flush or announced batch is in progress here. */
  async idle(): Promise<void> {
    while (this.busy > 0 || this.flushQueued || (this.pending.length > 0 && this.held === 0)) {
      await new Promise<void>((resolve) => {
        this.idleWaiters.add(resolve);
        setTimeout(resolve, 20).unref?.();
      });
    }
  }

  /** Deletes every document and cancels every pending scheduled function (test isolation). */
  async reset(): Promise<void> {
    await this.t.finishInProgressScheduledFunctions();
    const parts = [{ path: "", schema: this.app.schema }, ...(this.app.components ?? []).map((c) => ({ path: c.name, schema: c.schema }))];
    for (const { path, schema } of parts) {
      await this.t.runInComponent(path, async (ctx) => {
        for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
          if ((job.state as { kind: string }).kind === "pending") await ctx.scheduler.cancel(job._id);
        }
      });
      for (const table of Object.keys((schema as { tables?: object } | undefined)?.tables ?? {})) {
        // In pages: a reset is a transaction too, under the same limits.
        while ((await this.t.runInComponent(path, async (ctx) => {
          const docs = await ctx.db.query(table).take(1000);
          for (const doc of docs) await ctx.db.delete(doc._id);
          return docs.length;
        })) as number);
      }
    }
    await this.flush();
  }

  // ---- internals ---------------------------------------------------------------------------

  private noteWrite(write: WriteRecord) {
    this.pending.push(write);
    if (this.flushQueued) return;
    this.flushQueued = true;
    outsideFunctions(() =>
      setImmediate(() => {
        this.flushQueued = false;
        void this.flush();
      }),
    );
  }

  private async call(
    kind: FunctionKind,
    path: string,
    identity: UserIdentity | null,
    invoke: (user: Accessor, ref: unknown) => Promise<unknown>,
  ): Promise<Outcome> {
    return await this.tracked(
      captured(async () => {
        if ((await this.kindOf(path)) !== kind) throw new NotPublicError(`Could not find public ${kind} '${path}'`);
        return (await invoke(this.accessor(identity), makeFunctionReference(path))) as Value;
      }),
    );
  }

  private accessor(identity: UserIdentity | null): Accessor {
    if (!identity) return this.t;
    const key = JSON.stringify(identity);
    let accessor = this.accessors.get(key);
    if (!accessor) this.accessors.set(key, (accessor = this.t.withIdentity(identity)));
    return accessor;
  }

  private async readBack(writes: WriteRecord[]): Promise<WrittenDocument[]> {
    const byComponent = new Map<string, Map<string, WriteRecord>>();
    for (const w of writes) {
      const ids = byComponent.get(w.componentPath) ?? new Map<string, WriteRecord>();
      ids.set(w.id, w);
      byComponent.set(w.componentPath, ids);
    }
    const out: WrittenDocument[] = [];
    for (const [path, ids] of byComponent) {
      const docs = (await this.t.runInComponent(path, async (ctx) =>
        Promise.all([...ids.values()].map((w) => (w.table.startsWith("_") ? ctx.db.system.get(w.id) : ctx.db.get(w.id)))),
      )) as Array<Doc | null>;
      [...ids.values()].forEach((w, i) => out.push({ table: w.table, id: w.id, doc: docs[i] ?? null }));
    }
    return out;
  }

  private nextTs(): bigint {
    const now = BigInt(Date.now()) * 1_000_000n;
    return now > this.lastTs ? now : this.lastTs + 1n;
  }

  private gate(path: string): Promise<void> {
    const waiters = this.paused.get(path);
    return waiters ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve();
  }

  private async tracked<T>(work: Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work;
    } finally {
      this.busy--;
      if (this.busy === 0) {
        for (const wake of this.idleWaiters) wake();
        this.idleWaiters.clear();
      }
    }
  }
}
