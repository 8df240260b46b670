/**
 * The ONE place the dev backend reaches into convex-test's internals (not a public API): it
 * wraps the `Convex.syscall` / `Convex.asyncSyscall` global every Convex function calls, to
 *
 *  - record what a query read (index ranges, documents) while it runs inside `trackReads`,
 *  - record every document a function writes, with the component it lives in,
 *  - give the built-in `.paginate()` a query journal: the page ends where it ended the first
 *    time (Convex's `endCursor` from the journal), so page boundaries stay put on re-runs.
 *
 * Written against convex-test 0.0.60: `assertPinnedVersion` refuses any other version, and the
 * conformance suite (apps/dev-backend/*.test.ts) exercises every hook with the real clients.
 * Upgrading convex-test means re-reading its `asyncSyscallImpl` and re-running that suite.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import type { ReadSet } from "./readSet.js";

export const PINNED_CONVEX_TEST = "0.0.60";

/** A written document: where it lives; its current value is read after the commit. */
export type WriteRecord = { componentPath: string; table: string; id: string };

type Syscall = (op: string, jsonArgs: string) => string;
type AsyncSyscall = (op: string, jsonArgs: string) => Promise<string>;
type ConvexGlobal = { syscall: Syscall; asyncSyscall: AsyncSyscall; jsSyscall: unknown };

/** What one tracked query run collects. `journalIn` is the end cursor to honour. */
export type ReadScope = { reads: ReadSet; journalIn: string | null; journalOut: string | null };

const readScope = new AsyncLocalStorage<ReadScope>();
// Work started from inside a Convex function would inherit its contexts (convex-test's own
// included, which forbid timers): flushes are scheduled from this snapshot of the root.
const atRoot = AsyncLocalStorage.snapshot();
/** Runs `fn` outside every async context (convex-test's and ours). */
export const outsideFunctions = <T>(fn: () => T): T => atRoot(fn);

/** Write listeners by convex-test instance (keyed by that instance's asyncSyscall). */
const writeSinks = new WeakMap<AsyncSyscall, (write: WriteRecord) => void>();
let installed = false;

export function assertPinnedVersion(): void {
  const require = createRequire(import.meta.url);
  const { version } = require("convex-test/package.json") as { version: string };
  if (version !== PINNED_CONVEX_TEST) {
    throw new Error(
      `the dev backend hooks into convex-test ${PINNED_CONVEX_TEST} internals but found ${version}: ` +
        "re-check apps/dev-backend/src/convexTestHooks.ts against it and run the conformance suite",
    );
  }
}

/**
 * Wraps the global once (after the first `convexTest()` installed convex-test's own proxy).
 * Then `probe` runs inside an instance (`t.run`) to learn which asyncSyscall is that
 * instance's, so its writes reach `onWrite`.
 */
export async function hookInstance(
  run: (handler: () => Promise<void>) => Promise<unknown>,
  onWrite: (write: WriteRecord) => void,
): Promise<void> {
  install();
  const g = globalThis as unknown as { Convex: { __inner: ConvexGlobal } };
  let own: AsyncSyscall | undefined;
  await run(async () => {
    own = g.Convex.__inner.asyncSyscall;
  });
  if (!own) throw new Error("dev backend: could not find convex-test's syscalls");
  writeSinks.set(own, onWrite);
}

/** Runs a query with its reads recorded and its journal honoured. */
export function trackReads<T>(scope: ReadScope, fn: () => Promise<T>): Promise<T> {
  return readScope.run(scope, fn);
}

/** The table of a convex-test document id (digits, then the table name). */
export function tableOfId(id: string): string | null {
  const digits = /^[0-9]+/.exec(id)?.[0];
  return digits && digits.length < id.length ? id.slice(digits.length) : null;
}

function install() {
  if (installed) return;
  const g = globalThis as unknown as { Convex?: ConvexGlobal };
  const inner = g.Convex;
  if (!inner || !("asyncSyscall" in inner)) throw new Error("dev backend: convex-test's Convex global is missing");
  const wrappedSync = new WeakMap<Syscall, Syscall>();
  const wrappedAsync = new WeakMap<AsyncSyscall, AsyncSyscall>();
  g.Convex = {
    get __inner() {
      return inner;
    },
    get syscall() {
      const original = inner.syscall;
      let wrapped = wrappedSync.get(original);
      if (!wrapped) wrappedSync.set(original, (wrapped = wrapSyscall(original)));
      return wrapped;
    },
    get asyncSyscall() {
      const original = inner.asyncSyscall;
      let wrapped = wrappedAsync.get(original);
      if (!wrapped) wrappedAsync.set(original, (wrapped = wrapAsyncSyscall(original)));
      return wrapped;
    },
    get jsSyscall() {
      return inner.jsSyscall;
    },
  } as ConvexGlobal;
  installed = true;
}

type QuerySource =
  | { type: "FullTableScan"; tableName: string }
  | { type: "IndexRange"; indexName: string; range: Array<{ type: string; fieldPath: string; value: unknown }> }
  | { type: "Search"; indexName: string };

function recordSource(reads: ReadSet, source: QuerySource) {
  if (source.type === "FullTableScan") reads.addRange(source.tableName, []);
  else if (source.type === "IndexRange") reads.addRange(source.indexName.split(".")[0]!, source.range);
  else reads.addRange(source.indexName.split(".")[0]!, []);
}

function wrapSyscall(original: Syscall): Syscall {
  return (op, jsonArgs) => {
    const scope = readScope.getStore();
    if (scope && op === "1.0/queryStream") recordSource(scope.reads, (JSON.parse(jsonArgs) as { query: { source: QuerySource } }).query.source);
    return original(op, jsonArgs);
  };
}

function wrapAsyncSyscall(original: AsyncSyscall): AsyncSyscall {
  return async (op, jsonArgs) => {
    const scope = readScope.getStore();
    if (scope) return await trackRead(scope, original, op, jsonArgs);
    const sink = writeSinks.get(original);
    if (!sink || !WRITE_OPS.has(op)) return await original(op, jsonArgs);
    const result = await original(op, jsonArgs);
    const args = JSON.parse(jsonArgs) as { id?: string; table?: string };
    const id = op === "1.0/insert" ? (JSON.parse(result) as { _id: string })._id : op === "1.0/schedule" ? (JSON.parse(result) as string) : args.id!;
    const table = tableOfId(id);
    if (table) {
      const meta = JSON.parse(await original("1.0/getFunctionMetadata", "{}")) as { componentPath: string };
      sink({ componentPath: meta.componentPath, table, id });
    }
    return result;
  };
}

const WRITE_OPS = new Set(["1.0/insert", "1.0/shallowMerge", "1.0/replace", "1.0/remove", "1.0/schedule", "1.0/cancel_job"]);

type PageResult = { page: Array<{ _id: string }>; isDone: boolean; continueCursor: string };

async function trackRead(scope: ReadScope, original: AsyncSyscall, op: string, jsonArgs: string): Promise<string> {
  switch (op) {
    case "1.0/get": {
      scope.reads.addDocument((JSON.parse(jsonArgs) as { id: string }).id);
      return await original(op, jsonArgs);
    }
    case "1.0/queryStreamNext": {
      const result = await original(op, jsonArgs);
      const { value } = JSON.parse(result) as { value: { _id?: string } | null };
      if (value?._id) scope.reads.addDocument(value._id);
      return result;
    }
    case "1.0/count": {
      scope.reads.addRange((JSON.parse(jsonArgs) as { table: string }).table, []);
      return await original(op, jsonArgs);
    }
    case "1.0/queryPage": {
      // A deployment has no built-in pagination inside a component (convex-test has): refuse it
      // here too, so code that would fail on a deployment fails on the dev backend first.
      const meta = JSON.parse(await original("1.0/getFunctionMetadata", "{}")) as { componentPath: string };
      if (meta.componentPath) {
        throw new Error(
          `.paginate() is not available inside a component (${meta.componentPath}): use convex-helpers' paginator`,
        );
      }
      const args = JSON.parse(jsonArgs) as { query: { source: QuerySource }; endCursor?: string | null };
      recordSource(scope.reads, args.query.source);
      // Convex: the page ends at the given end cursor, else at the journal's; the result's
      // continueCursor is that end, and it becomes the next journal.
      const endCursor = args.endCursor ?? scope.journalIn;
      const result = JSON.parse(await original(op, JSON.stringify({ ...args, endCursor }))) as PageResult;
      for (const doc of result.page) scope.reads.addDocument(doc._id);
      if (endCursor) {
        result.continueCursor = endCursor;
        result.isDone = endCursor === END_CURSOR;
      }
      scope.journalOut = result.continueCursor;
      return JSON.stringify(result);
    }
    default:
      return await original(op, jsonArgs);
  }
}

/** convex-test's cursor for "the end of the range". */
const END_CURSOR = "_end_cursor";

/** The counter a fresh convex-test database gives its first document. */
export const FIRST_ID_COUNTER = 10_000;

/** The id convex-test gives the document created with `counter` in `table` (digits, then the table). */
export function idFor(counter: number, table: string): string {
  return String(counter).padStart(32 - table.length, "0") + table;
}
