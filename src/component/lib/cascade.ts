/**
 * What deleting a thread, a turn or everything of one owner removes, table by table, and the
 * loop that removes it within one transaction's share (`deletion.ts` runs it page after page).
 *
 * Every table of the schema has a plan for each kind of target: an index range that holds
 * exactly the target's rows, or a reason it holds none (`exempt`). The `plans` type is keyed
 * by the schema's table names, so a table added later does not compile until it has a plan,
 * and `cascade.test.ts` seeds a row in every table and checks that each plan removes it.
 *
 * Ranges are deleted from their start: what an earlier page deleted is simply gone, so a page
 * that stops anywhere (its share spent, or its transaction failed and rolled back) leaves a
 * state the next page goes on from with no cursor. A stream's delta rows and checkpoints go
 * before its stream row, and a turn's row goes last of the turn's rows, so a stopped page
 * never leaves rows whose parent it can no longer find.
 */
import { getDocumentSize, type Value } from "convex/values";
import type { Doc, Id, TableNames } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import type { Owner } from "./owner.js";

export type CascadeTarget =
  | { kind: "thread"; owner: Owner; threadId: string }
  | { kind: "turn"; owner: Owner; threadId: string; turnId: string }
  /** `keepJob`: the purge's own job row, which reports on it. */
  | { kind: "actor"; owner: Owner; keepJob?: Id<"deletion_jobs"> };

type Kind = CascadeTarget["kind"];
type Target<K extends Kind> = Extract<CascadeTarget, { kind: K }>;
type AnyDoc = { _id: Id<TableNames> } & Record<string, unknown>;
type Db = MutationCtx["db"];
/** An index range holding exactly the target's rows of one table. */
type Range<K extends Kind> = (db: Db, target: Target<K>) => AsyncIterable<AnyDoc>;
/** `spare`: a row in the range that is not the target's all the same (kept, read past). */
type Plan<K extends Kind> = { range: Range<K>; spare?: (doc: AnyDoc, target: Target<K>) => boolean } | { exempt: string };

/** One transaction's share: rows (each read once and deleted), bytes (counted twice), index queries. */
export type CascadeBudget = { rows: number; bytes: number; queries: number };

const rows = <T,>(query: AsyncIterable<T>) => query as unknown as AsyncIterable<AnyDoc>;
const o = (target: { owner: Owner }) => target.owner;

/** Commands whose `turnId` is an argument (the turn to fork at, or to roll back from), not the turn they belong to. */
const THREAD_CONTROLS_NAMING_A_TURN = new Set(["forkThread", "rollbackThread"]);

const NOT_A_THREADS_ROW = "holds no row of a thread or turn";

/**
 * The plan of every table. `thread` and `turn` ranges start with (owner, threadId[, turnId]);
 * `actor` ranges with the owner. `stream_deltas` are found through their stream (they carry
 * only the stream's key), so `streams` deletes them; `threads` in an actor purge leaves a
 * tombstone per thread (see `deletion.ts`).
 */
export const plans: { [T in TableNames]: { thread: Plan<"thread">; turn: Plan<"turn">; actor: Plan<"actor"> } } = {
  threads: {
    thread: { range: (db, t) => rows(db.query("threads").withIndex("by_owner_thread", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { exempt: "a turn's deletion updates its thread's counters, it does not delete the thread" },
    actor: { range: (db, t) => rows(db.query("threads").withIndex("by_owner_thread", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  turns: {
    thread: { range: (db, t) => rows(db.query("turns").withIndex("by_owner_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("turns").withIndex("by_owner_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("turns").withIndex("by_owner_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  items: {
    thread: { range: (db, t) => rows(db.query("items").withIndex("by_owner_turn_item", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("items").withIndex("by_owner_turn_item", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("items").withIndex("by_owner_turn_item", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  messages: {
    thread: { range: (db, t) => rows(db.query("messages").withIndex("by_owner_thread_order", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("messages").withIndex("by_owner_turn_order", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("messages").withIndex("by_owner_thread_order", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  reasoning_segments: {
    thread: { range: (db, t) => rows(db.query("reasoning_segments").withIndex("by_owner_thread_order", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("reasoning_segments").withIndex("by_owner_turn_item", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("reasoning_segments").withIndex("by_owner_thread_order", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  streams: {
    thread: { range: (db, t) => rows(db.query("streams").withIndex("by_owner_stream", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("streams").withIndex("by_owner_turn_item", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("streams").withIndex("by_owner_stream", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  stream_deltas: {
    thread: { exempt: "deleted with their stream (found by its key)" },
    turn: { exempt: "deleted with their stream (found by its key)" },
    actor: { exempt: "deleted with their stream (found by its key)" },
  },
  stream_checkpoints: {
    thread: { range: (db, t) => rows(db.query("stream_checkpoints").withIndex("by_owner_thread_stream", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { exempt: "deleted with each stream of the turn (a checkpoint names its stream, not its turn)" },
    actor: { range: (db, t) => rows(db.query("stream_checkpoints").withIndex("by_owner_thread_stream", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  approvals: {
    thread: { range: (db, t) => rows(db.query("approvals").withIndex("by_owner_thread_created", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("approvals").withIndex("by_owner_turn_created", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("approvals").withIndex("by_owner_thread_created", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  server_requests: {
    thread: { range: (db, t) => rows(db.query("server_requests").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("server_requests").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("server_requests").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  commands: {
    thread: { range: (db, t) => rows(db.query("commands").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: {
      range: (db, t) => rows(db.query("commands").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))),
      // A fork or rollback names a turn as its argument; the command is the thread's, and a
      // rollback deletes the very turn it names: its device must still read how it ended.
      spare: (doc) => THREAD_CONTROLS_NAMING_A_TURN.has(doc.kind as string),
    },
    actor: { range: (db, t) => rows(db.query("commands").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  sessions: {
    thread: { exempt: "a host's connection, shared by its threads" },
    turn: { exempt: "a host's connection, shared by its threads" },
    actor: { range: (db, t) => rows(db.query("sessions").withIndex("by_owner_session", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  lifecycle_events: {
    thread: { range: (db, t) => rows(db.query("lifecycle_events").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("lifecycle_events").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("lifecycle_events").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  sweeps: {
    thread: { exempt: "the component's own scheduling, owned by nobody" },
    turn: { exempt: "the component's own scheduling, owned by nobody" },
    actor: { exempt: "the component's own scheduling, owned by nobody" },
  },
  dropped_events: {
    thread: { range: (db, t) => rows(db.query("dropped_events").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("dropped_events").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("dropped_events").withIndex("by_owner_thread_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  token_usage: {
    thread: { range: (db, t) => rows(db.query("token_usage").withIndex("by_owner_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { range: (db, t) => rows(db.query("token_usage").withIndex("by_owner_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId).eq("turnId", t.turnId))) },
    actor: { range: (db, t) => rows(db.query("token_usage").withIndex("by_owner_turn", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  rate_limits: {
    thread: { exempt: "the account's limits, " + NOT_A_THREADS_ROW },
    turn: { exempt: "the account's limits, " + NOT_A_THREADS_ROW },
    actor: { range: (db, t) => rows(db.query("rate_limits").withIndex("by_owner_limit", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  deletion_jobs: {
    thread: { exempt: "the record of what was deleted (a purge removes the owner's)" },
    turn: { exempt: "the record of what was deleted (a purge removes the owner's)" },
    actor: {
      range: (db, t) => rows(db.query("deletion_jobs").withIndex("by_owner_created", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))),
      spare: (doc, t) => doc._id === t.keepJob,
    },
  },
  tombstones: {
    thread: { exempt: "what keeps a deleted thread from coming back (ids only)" },
    turn: { exempt: "what keeps a deleted turn from coming back (ids only)" },
    actor: { exempt: "what keeps the purged threads from coming back (ids only)" },
  },
  import_jobs: {
    thread: { range: (db, t) => rows(db.query("import_jobs").withIndex("by_owner_thread", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { exempt: "imports are per thread" },
    actor: { range: (db, t) => rows(db.query("import_jobs").withIndex("by_owner_thread", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
  import_chunks: {
    thread: { range: (db, t) => rows(db.query("import_chunks").withIndex("by_owner_thread_seq", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId).eq("threadId", t.threadId))) },
    turn: { exempt: "imports are per thread" },
    actor: { range: (db, t) => rows(db.query("import_chunks").withIndex("by_owner_thread_seq", (q) => q.eq("tenantId", o(t).tenantId).eq("userId", o(t).userId))) },
  },
};

/**
 * The order tables are emptied in. A thread's row goes first (it leaves every list at once;
 * its tombstone keeps ingest away), then what a host could still act on (imports, commands,
 * requests), then the rest; a turn's row goes last (its rows are found through it, see above).
 */
const orders: { [K in Kind]: TableNames[] } = {
  thread: ["threads", "import_jobs", "commands", "server_requests", "approvals", "token_usage", "dropped_events", "lifecycle_events", "reasoning_segments", "messages", "items", "streams", "stream_checkpoints", "import_chunks", "turns"],
  turn: ["commands", "server_requests", "approvals", "token_usage", "dropped_events", "lifecycle_events", "reasoning_segments", "messages", "items", "streams", "turns"],
  actor: ["threads", "import_jobs", "commands", "sessions", "server_requests", "approvals", "token_usage", "dropped_events", "lifecycle_events", "reasoning_segments", "messages", "items", "streams", "stream_checkpoints", "import_chunks", "turns", "rate_limits", "deletion_jobs"],
};


export type CascadeHooks = {
  /** Called before a row is deleted (a purge writes a thread's tombstone here). */
  beforeDelete?: (table: TableNames, doc: AnyDoc) => Promise<void>;
  /** Rows deleted, per table, added up across pages. */
  deleted: Record<string, number>;
};

/**
 * Deletes the target's rows, table by table, until done (true) or `budget` is spent (false:
 * call again, in another transaction, to go on).
 */
export async function runCascade(ctx: MutationCtx, target: CascadeTarget, budget: CascadeBudget, hooks: CascadeHooks): Promise<boolean> {
  for (const table of orders[target.kind]) {
    const plan = plans[table][target.kind] as Plan<Kind>;
    if ("exempt" in plan) continue;
    if (spent(budget)) return false;
    budget.queries--;
    for await (const doc of (plan.range as Range<Kind>)(ctx.db, target as never)) {
      if (plan.spare?.(doc, target as never)) continue;
      if (table === "streams" && !(await deleteStreamChildren(ctx, doc as unknown as Doc<"streams">, budget, hooks))) return false;
      if (spent(budget)) return false;
      await hooks.beforeDelete?.(table, doc);
      await deleteRow(ctx, table, doc, budget, hooks);
    }
  }
  return true;
}

function spent(budget: CascadeBudget): boolean {
  return budget.rows <= 0 || budget.bytes <= 0 || budget.queries <= 0;
}

async function deleteRow(ctx: MutationCtx, table: TableNames, doc: AnyDoc, budget: CascadeBudget, hooks: CascadeHooks) {
  budget.rows--;
  // Read once, and deleting writes it again as far as the transaction's byte count goes.
  budget.bytes -= 2 * getDocumentSize(doc as Record<string, Value>);
  await ctx.db.delete(table, doc._id as never);
  hooks.deleted[table] = (hooks.deleted[table] ?? 0) + 1;
}

/** A stream's delta rows, then every device's checkpoint of it; false when the budget ran out first. */
async function deleteStreamChildren(ctx: MutationCtx, stream: Doc<"streams">, budget: CascadeBudget, hooks: CascadeHooks): Promise<boolean> {
  if (spent(budget)) return false;
  budget.queries -= 2;
  for await (const delta of ctx.db.query("stream_deltas").withIndex("by_key_start", (q) => q.eq("k", stream.key))) {
    if (spent(budget)) return false;
    await deleteRow(ctx, "stream_deltas", delta as unknown as AnyDoc, budget, hooks);
  }
  const checkpoints = ctx.db
    .query("stream_checkpoints")
    .withIndex("by_owner_thread_stream", (q) =>
      q.eq("tenantId", stream.tenantId).eq("userId", stream.userId).eq("threadId", stream.threadId).eq("streamId", stream.streamId),
    );
  for await (const checkpoint of checkpoints) {
    if (spent(budget)) return false;
    await deleteRow(ctx, "stream_checkpoints", checkpoint as unknown as AnyDoc, budget, hooks);
  }
  return true;
}
