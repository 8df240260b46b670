/**
 * convex-test evaluates every query by scanning all documents of its component (all
 * tables) — fine for tests, O(N²) over a 200,000-character reply of 25-character rows.
 * For the bench only, its database keeps a set of ids per table, so a query scans its own
 * table. Query results are unchanged (same documents, same order); it only runs faster.
 * The database object is reached through the async context convex-test runs functions in.
 */
import { executionAsyncResource } from "node:async_hooks";

type Db = {
  _documents: Record<string, unknown>;
  _writes: Array<Record<string, unknown>>;
  get(table: string, id: string): unknown;
  insert(table: string, value: unknown): string;
  _iterateDocs(table: string, cb: (doc: unknown) => void): void;
};
type ConvexGlobal = { components: Record<string, { db: Db }> };

const tableOf = (id: string) => id.replace(/^[0-9]+/, "");
const patched = new WeakSet<object>();

/** Call from inside a Convex function (e.g. a syscall): patches the databases it can see. */
export function speedUpScans(): void {
  const resource = executionAsyncResource() as Record<symbol, unknown>;
  for (const sym of Object.getOwnPropertySymbols(resource)) {
    const value = resource[sym] as ConvexGlobal | undefined;
    if (!value || typeof value !== "object" || !("components" in value)) continue;
    for (const { db } of Object.values(value.components)) {
      const proto = Object.getPrototypeOf(db) as Db;
      if (!patched.has(proto)) patchPrototype(proto);
    }
  }
}

function patchPrototype(proto: Db): void {
  patched.add(proto);
  if (process.env.BENCH_DEBUG) console.error("fastScan: patched convex-test's database");
  const ids = new WeakMap<Db, Map<string, Set<string>>>();
  const idsOf = (db: Db) => {
    let map = ids.get(db);
    if (!map) {
      map = new Map();
      for (const id of Object.keys(db._documents)) add(map, id);
      for (const level of db._writes) for (const id of Object.keys(level)) add(map, id);
      ids.set(db, map);
    }
    return map;
  };
  const add = (map: Map<string, Set<string>>, id: string) => {
    const table = tableOf(id);
    let set = map.get(table);
    if (!set) map.set(table, (set = new Set()));
    set.add(id);
  };
  const insert = proto.insert;
  proto.insert = function (this: Db, table, value) {
    const id = insert.call(this, table, value);
    add(idsOf(this), id);
    return id;
  };
  proto._iterateDocs = function (this: Db, table, cb) {
    for (const id of idsOf(this).get(table) ?? []) {
      const doc = this.get(table, id);
      if (doc !== null) cb(doc);
    }
  };
}
