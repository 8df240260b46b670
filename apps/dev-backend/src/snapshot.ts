/**
 * The backend's data in a JSON file, so `pnpm web` survives a restart: every document of
 * every table the app's and its components' schemas declare, and every scheduled function.
 * A restore runs on a fresh backend: documents are inserted again oldest first (so their
 * order holds; their `_creationTime` is the restore's), and every id in them is rewritten
 * to the id its document gets now; pending scheduled functions are scheduled again at their
 * time, the others kept as cancelled entries so what pointed at them still finds a finished
 * job. A file that cannot be restored is reported and left alone; the backend starts empty.
 */
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { makeFunctionReference } from "convex/server";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { AppDefinition } from "./app.js";
import { FIRST_ID_COUNTER, idFor } from "./convexTestHooks.js";
import type { Engine } from "./engine.js";

type Doc = Record<string, Value> & { _id: string; _creationTime: number };
type Job = { _id: string; name: string; args: Value[]; scheduledTime: number; state: { kind: string } };
type Part = { path: string; tables: Record<string, JSONValue[]>; jobs: JSONValue[] };
type SnapshotFile = { version: 1; parts: Part[] };

type Ctx = {
  db: {
    query(table: string): { paginate(opts: { cursor: string | null; numItems: number }): Promise<{ page: Doc[]; isDone: boolean; continueCursor: string }> };
    insert(table: string, doc: Record<string, Value>): Promise<string>;
    system: { query(table: string): { collect(): Promise<Job[]> } };
  };
  scheduler: { runAt(ts: number, ref: unknown, args: unknown): Promise<string>; cancel(id: string): Promise<void> };
};

const CHUNK = 500;
const FAR_FUTURE = Date.UTC(9999, 0, 1);

function partsOf(app: AppDefinition) {
  return [{ path: "", schema: app.schema }, ...(app.components ?? []).map((c) => ({ path: c.name, schema: c.schema }))].map((p) => ({
    path: p.path,
    tables: Object.keys((p.schema as { tables?: object } | undefined)?.tables ?? {}),
  }));
}

export async function saveSnapshot(engine: Engine, app: AppDefinition, file: string): Promise<void> {
  const t = engine.convexTest as unknown as { runInComponent(path: string, fn: (ctx: Ctx) => Promise<unknown>): Promise<unknown> };
  const parts: Part[] = [];
  for (const { path, tables } of partsOf(app)) {
    const part: Part = { path, tables: {}, jobs: [] };
    for (const table of tables) {
      const rows: JSONValue[] = (part.tables[table] = []);
      let cursor: string | null = null;
      for (;;) {
        const page = (await t.runInComponent(path, (ctx) => ctx.db.query(table).paginate({ cursor, numItems: CHUNK }))) as {
          page: Doc[];
          isDone: boolean;
          continueCursor: string;
        };
        rows.push(...page.page.map((d) => convexToJson(d as Value)));
        if (page.isDone) break;
        cursor = page.continueCursor;
      }
    }
    part.jobs = ((await t.runInComponent(path, (ctx) => ctx.db.system.query("_scheduled_functions").collect())) as Job[]).map((j) =>
      convexToJson(j as unknown as Value),
    );
    parts.push(part);
  }
  // Written whole or not at all: a crash mid-write leaves the previous snapshot.
  await writeFile(`${file}.tmp`, JSON.stringify({ version: 1, parts } satisfies SnapshotFile));
  await rename(`${file}.tmp`, file);
}

export async function loadSnapshot(engine: Engine, app: AppDefinition, file: string): Promise<void> {
  if (!existsSync(file)) return;
  try {
    const snapshot = JSON.parse(await readFile(file, "utf8")) as SnapshotFile;
    if (snapshot.version !== 1) throw new Error(`unknown snapshot version ${String(snapshot.version)}`);
    const known = new Set(partsOf(app).map((p) => p.path));
    for (const part of snapshot.parts) if (known.has(part.path)) await restorePart(engine, part);
  } catch (error) {
    console.error(`dev backend: could not restore ${file} (${error instanceof Error ? error.message : String(error)}); starting empty`);
    await engine.reset();
  }
}

async function restorePart(engine: Engine, part: Part) {
  const t = engine.convexTest as unknown as { runInComponent(path: string, fn: (ctx: Ctx) => Promise<unknown>): Promise<unknown> };
  const newIds = new Map<string, string>();
  const jobs = part.jobs.map((j) => jsonToConvex(j) as unknown as Job);
  for (let i = 0; i < jobs.length; i += CHUNK) {
    await t.runInComponent(part.path, async (ctx) => {
      for (const job of jobs.slice(i, i + CHUNK)) {
        const pending = job.state.kind === "pending";
        const id = await ctx.scheduler.runAt(pending ? job.scheduledTime : FAR_FUTURE, makeFunctionReference(job.name), job.args[0] ?? {});
        if (!pending) await ctx.scheduler.cancel(id);
        newIds.set(job._id, id);
      }
    });
  }
  // Every document's new id is known before the first insert (ids count up from a fresh
  // database's first counter), so references between documents are rewritten up front.
  const docs = Object.entries(part.tables)
    .flatMap(([table, rows]) => rows.map((row) => ({ table, doc: jsonToConvex(row) as Doc })))
    .sort((a, b) => a.doc._creationTime - b.doc._creationTime);
  const first = FIRST_ID_COUNTER + jobs.length;
  docs.forEach(({ table, doc }, k) => newIds.set(doc._id, idFor(first + k, table)));
  for (let i = 0; i < docs.length; i += CHUNK) {
    await t.runInComponent(part.path, async (ctx) => {
      for (const { table, doc } of docs.slice(i, i + CHUNK)) {
        const { _id, _creationTime: _, ...fields } = doc;
        const id = await ctx.db.insert(table, remap(fields, newIds) as Record<string, Value>);
        if (id !== newIds.get(_id)) throw new Error(`restored ${table} document got id ${id}, expected ${newIds.get(_id)}`);
      }
    });
  }
  await engine.flush();
}

function remap(value: Value, ids: Map<string, string>): Value {
  if (typeof value === "string") return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => remap(v, ids));
  if (value !== null && typeof value === "object" && !(value instanceof ArrayBuffer)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v as Value, ids)]));
  }
  return value;
}
