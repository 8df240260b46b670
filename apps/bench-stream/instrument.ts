/**
 * The instrument: what Convex would read and write, and which subscriptions a write
 * re-runs, measured on convex-test by wrapping the database syscalls every Convex function
 * goes through (`globalThis.Convex`), whatever component issues them.
 *
 * - A read records its read set as Convex tracks it: for an index range, the range itself,
 *   cut at the last document read when the reader stopped early (`first`, `take`, a break);
 *   for a `get`, the document id. Documents and bytes read are counted per document
 *   returned, bytes as Convex sizes a document (`getDocumentSize`).
 * - A write records the document before and after (a patch rewrites the whole document),
 *   its bytes as stored after the write (a delete counts a document, no bytes).
 * - `Follower` is a client: it holds subscriptions and, after each mutation, re-runs every
 *   one whose read set the mutation's writes touched (old or new version of a document
 *   inside a range it read, or a document it got by id) — the invalidation a deployment
 *   does. Nothing else re-runs, and nothing is timed.
 */
import { compareValues, getDocumentSize, jsonToConvex, type Value } from "convex/values";
import { speedUpScans } from "./fastScan.js";

type Doc = Record<string, Value> & { _id: string };
type RangeFilter = { op: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; path: string; value: Value };
type RangeRead = { table: string; fields: string[]; filters: RangeFilter[]; order: "asc" | "desc"; start?: Value[]; stop?: Value[] };
export type ReadSet = { ranges: RangeRead[]; ids: Set<string> };
export type Write = { table: string; id: string; before: Doc | null; after: Doc | null };
export type Tally = { docs: number; bytes: number };

type Syscalls = {
  syscall(op: string, args: string): string;
  asyncSyscall(op: string, args: string): Promise<string>;
  jsSyscall(op: string, args: unknown): unknown;
};
type OpenQuery = { range: RangeRead; limit: number | null; count: number; last: Doc | null; done: boolean };
type Reading = { set: ReadSet; tally: Tally; queries: Map<number, OpenQuery> };
type Writing = { writes: Write[]; tally: Tally };

/** convex-test ids are a counter followed by the table name. */
const tableOf = (id: string) => id.replace(/^[0-9]+/, "");

const field = (doc: Doc, path: string): Value | undefined => {
  let v: unknown = doc;
  for (const part of path.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
  return v as Value | undefined;
};

function compareKeys(a: (Value | undefined)[], b: (Value | undefined)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i] as Value, b[i] as Value);
    if (c !== 0) return c;
  }
  return 0;
}

export class Instrument {
  private reading: Reading | null = null;
  private writing: Writing | null = null;
  private inner!: Syscalls;

  /** `indexes`: "table.index" → the index's fields, for every table of the system measured. */
  constructor(private readonly indexes: Map<string, string[]>) {}

  /**
   * Makes this the instrument every syscall goes through (one at a time: each system runs
   * on its own convex-test instance). Call after `convexTest()`, which installs
   * `globalThis.Convex`; the hook itself is installed once.
   */
  install(): void {
    const g = globalThis as unknown as { Convex: Syscalls; __benchHook?: { inner: Syscalls; active: Instrument } };
    if (!g.__benchHook) {
      const hook = { inner: g.Convex, active: this as Instrument };
      g.__benchHook = hook;
      g.Convex = {
        syscall: (op, args) => hook.active.onSyscall(op, args, hook.inner.syscall(op, args)),
        asyncSyscall: (op, args) => hook.active.onAsyncSyscall(op, args),
        jsSyscall: (op, args) => hook.inner.jsSyscall(op, args),
      };
    }
    g.__benchHook.active = this;
    this.inner = g.__benchHook.inner;
  }

  async read<T>(fn: () => Promise<T>): Promise<{ result: T; set: ReadSet; tally: Tally }> {
    const reading: Reading = { set: { ranges: [], ids: new Set() }, tally: { docs: 0, bytes: 0 }, queries: new Map() };
    this.reading = reading;
    try {
      const result = await fn();
      for (const q of reading.queries.values()) reading.set.ranges.push(this.readRange(q));
      return { result, set: reading.set, tally: reading.tally };
    } finally {
      this.reading = null;
    }
  }

  async write<T>(fn: () => Promise<T>): Promise<{ result: T; writes: Write[]; tally: Tally }> {
    const writing: Writing = { writes: [], tally: { docs: 0, bytes: 0 } };
    this.writing = writing;
    try {
      const result = await fn();
      return { result, writes: writing.writes, tally: writing.tally };
    } finally {
      this.writing = null;
    }
  }

  /** Would Convex re-run a subscription with this read set after these writes? */
  touches(set: ReadSet, writes: Write[]): boolean {
    for (const w of writes) {
      if (set.ids.has(w.id)) return true;
      for (const doc of [w.before, w.after]) {
        if (doc && set.ranges.some((r) => r.table === w.table && this.inRange(doc, r))) return true;
      }
    }
    return false;
  }

  private inRange(doc: Doc, r: RangeRead): boolean {
    for (const f of r.filters) {
      const c = compareValues(field(doc, f.path) as Value, f.value);
      const ok = f.op === "Eq" ? c === 0 : f.op === "Gt" ? c > 0 : f.op === "Gte" ? c >= 0 : f.op === "Lt" ? c < 0 : c <= 0;
      if (!ok) return false;
    }
    const key = r.fields.map((f) => field(doc, f));
    const sign = r.order === "asc" ? 1 : -1;
    if (r.start && sign * compareKeys(key, r.start) < 0) return false;
    if (r.stop && sign * compareKeys(key, r.stop) > 0) return false;
    return true;
  }

  /** The range a query really covered: all of it when it ran out, else up to its last document. */
  private readRange(q: OpenQuery): RangeRead {
    const stoppedEarly = !q.done || (q.limit !== null && q.count >= q.limit);
    if (!stoppedEarly || !q.last) return q.range;
    return { ...q.range, stop: q.range.fields.map((f) => field(q.last!, f)) as Value[] };
  }

  private rangeOf(source: Record<string, unknown>): RangeRead {
    if (source.type === "IndexRange") {
      const [table, index] = (source.indexName as string).split(".") as [string, string];
      const own = index === "by_creation_time" ? [] : index === "by_id" ? [] : this.indexes.get(`${table}.${index}`);
      if (!own) throw new Error(`bench instrument: unknown index ${source.indexName as string}`);
      const fields = index === "by_id" ? ["_id"] : [...own, "_creationTime", "_id"];
      const filters = (source.range as Array<{ type: RangeFilter["op"]; fieldPath: string; value: unknown }>).map((f) => ({
        op: f.type,
        path: f.fieldPath,
        value: jsonToConvex(f.value as never),
      }));
      return { table, fields, filters, order: (source.order as "asc" | "desc") ?? "asc" };
    }
    const table = (source.tableName ?? String(source.indexName).split(".")[0]) as string;
    return { table, fields: ["_creationTime", "_id"], filters: [], order: (source.order as "asc" | "desc") ?? "asc" };
  }

  private countRead(doc: Doc | null): void {
    if (!this.reading || !doc) return;
    this.reading.tally.docs++;
    this.reading.tally.bytes += getDocumentSize(doc);
  }

  private onSyscall(op: string, argsJson: string, resultJson: string): string {
    if (op === "1.0/queryStream") speedUpScans();
    if (op === "1.0/queryStream" && this.reading) {
      const { query } = JSON.parse(argsJson) as { query: { source: Record<string, unknown>; operators: Array<{ limit?: number }> } };
      const { queryId } = JSON.parse(resultJson) as { queryId: number };
      const limit = query.operators.find((o) => o.limit !== undefined)?.limit ?? null;
      this.reading.queries.set(queryId, { range: this.rangeOf(query.source), limit, count: 0, last: null, done: false });
    }
    return resultJson;
  }

  private async rawGet(id: string): Promise<Doc | null> {
    const json = await this.inner.asyncSyscall("1.0/get", JSON.stringify({ id, table: tableOf(id) }));
    return jsonToConvex(JSON.parse(json)) as Doc | null;
  }

  private async onAsyncSyscall(op: string, argsJson: string): Promise<string> {
    const inner = this.inner;
    const args = JSON.parse(argsJson) as Record<string, unknown>;
    if (this.writing && (op === "1.0/shallowMerge" || op === "1.0/replace" || op === "1.0/remove")) {
      const id = args.id as string;
      const before = await this.rawGet(id);
      const out = await inner.asyncSyscall(op, argsJson);
      const after = op === "1.0/remove" ? null : await this.rawGet(id);
      this.recordWrite({ table: tableOf(id), id, before, after });
      return out;
    }
    const out = await inner.asyncSyscall(op, argsJson);
    if (this.writing && op === "1.0/insert") {
      const { _id } = JSON.parse(out) as { _id: string };
      this.recordWrite({ table: args.table as string, id: _id, before: null, after: await this.rawGet(_id) });
    }
    if (!this.reading) return out;
    if (op === "1.0/get") {
      const doc = jsonToConvex(JSON.parse(out)) as Doc | null;
      this.reading.set.ids.add(args.id as string);
      this.countRead(doc);
    } else if (op === "1.0/queryStreamNext") {
      const q = this.reading.queries.get(args.queryId as number);
      const { value, done } = jsonToConvex(JSON.parse(out)) as { value: Doc | null; done: boolean };
      if (q) {
        if (done) q.done = true;
        else if (value) {
          q.count++;
          q.last = value;
          this.countRead(value);
        }
      }
    } else if (op === "1.0/queryPage") {
      const { query } = args as { query: { source: Record<string, unknown> } };
      const page = jsonToConvex(JSON.parse(out)) as { page: Doc[]; isDone: boolean };
      const range = this.rangeOf(query.source);
      const keyOf = (d: Doc) => range.fields.map((f) => field(d, f)) as Value[];
      const first = page.page[0];
      const last = page.page.at(-1);
      this.reading.set.ranges.push({
        ...range,
        ...(args.cursor && first ? { start: keyOf(first) } : {}),
        ...(!page.isDone && last ? { stop: keyOf(last) } : {}),
      });
      for (const d of page.page) this.countRead(d);
    }
    return out;
  }

  private recordWrite(w: Write): void {
    this.writing!.writes.push(w);
    this.writing!.tally.docs++;
    if (w.after) this.writing!.tally.bytes += getDocumentSize(w.after);
  }
}

/** A client's live subscriptions, re-run exactly when a write touches what they read. */
export class Follower {
  readonly tally: Tally = { docs: 0, bytes: 0 };
  private subs = new Map<string, { run: () => Promise<unknown>; set: ReadSet; result: unknown }>();

  constructor(private readonly instrument: Instrument) {}

  async subscribe(key: string, run: () => Promise<unknown>): Promise<unknown> {
    const existing = this.subs.get(key);
    if (existing) return existing.result;
    const { result, set } = await this.measured(run);
    this.subs.set(key, { run, set, result });
    return result;
  }

  unsubscribe(key: string): void {
    this.subs.delete(key);
  }

  result(key: string): unknown {
    return this.subs.get(key)?.result;
  }

  /** Re-runs the subscriptions these writes invalidate; returns the keys that re-ran. */
  async onWrites(writes: Write[]): Promise<string[]> {
    const rerun: string[] = [];
    for (const [key, sub] of this.subs) {
      if (!this.instrument.touches(sub.set, writes)) continue;
      const { result, set } = await this.measured(sub.run);
      sub.result = result;
      sub.set = set;
      rerun.push(key);
    }
    return rerun;
  }

  private async measured(run: () => Promise<unknown>) {
    const r = await this.instrument.read(run);
    this.tally.docs += r.tally.docs;
    this.tally.bytes += r.tally.bytes;
    return r;
  }
}

/** "table.index" → fields, from one or more schemas (`defineSchema` results). */
export function indexFieldsOf(...schemas: Array<{ tables: Record<string, { export(): { indexes: Array<{ indexDescriptor: string; fields: string[] }> } }> }>) {
  const map = new Map<string, string[]>();
  for (const schema of schemas) {
    for (const [table, def] of Object.entries(schema.tables)) {
      for (const index of def.export().indexes) map.set(`${table}.${index.indexDescriptor}`, index.fields);
    }
  }
  return map;
}
