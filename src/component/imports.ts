/**
 * Importing a thread that exists only in a machine's local codex (`importLocalThreadToPersistence`
 * on the host runtime). The host reads codex's record of it (`thread/turns/list`, page by page)
 * and hands it over in chunks; from the moment it seals them the import is the backend's own
 * work, which no host has to stay for:
 *
 *     collecting ─seal─► sealed ─► running (chunk by chunk, through ingest) ─► verifying ─► synced
 *        │                              └─────────────── failed | cancelled ◄──────┘
 *        └─ no chunk for IMPORT_COLLECT_IDLE_MS, or cancel ─► failed | cancelled
 *
 * - Resumable: a host that died while collecting starts again, gets the same job back and
 *   goes on from `chunks` / `sourceCursor`; a sealed import runs to its end without it.
 * - Idempotent: the events carry codex's live event ids, so importing again — or importing a
 *   thread a host already persisted live — adds nothing that is there (`duplicates`).
 * - Verified: before `synced`, every message codex reported is looked up with the same role and
 *   text (SHA-256); any difference ends the import `failed`, listing `mismatches`. Messages of
 *   turns deleted here are skipped; rows that keep a marked prefix count as `truncatedMessages`.
 * - Ends: pages that keep failing fail the job (`lib/jobs.ts`); a turn left open by a stopped
 *   import ends `interrupted`. Chunk rows are deleted as they are verified, or when it stops.
 */
import { paginationOptsValidator } from "convex/server";
import { paginator } from "convex-helpers/server/pagination";
import { v } from "convex/values";
import { internal } from "./_generated/api.js";
import type { Doc } from "./_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "./_generated/server.js";
import { internalMutation, mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import {
  IMPORT_CHUNK_MAX_BYTES,
  IMPORT_CHUNK_MAX_EVENTS,
  IMPORT_CHUNK_MAX_MESSAGES,
  IMPORT_CHUNK_MAX_TURNS,
  IMPORT_COLLECT_IDLE_MS,
  ID_MAX_BYTES,
  NAME_MAX_BYTES,
  NOTE_MAX_BYTES,
  PATH_MAX_BYTES,
  ITEM_TEXT_PREVIEW_BYTES,
  batchBytes,
  truncateUtf8,
} from "../contract/limits.js";
import { applyChunk, deleteChunks, endOpenTurn, verifyChunk } from "./lib/importPages.js";
import { checkPage, schedulePage, unschedule, type JobRefs } from "./lib/jobs.js";
import { requireFits } from "./lib/args.js";
import { createOrFillThread, ownerAndThread, ownerOf, type Owner } from "./lib/owner.js";
import { pageOf } from "./lib/pages.js";
import { vImportJobPage } from "./lib/returns.js";
import { findTombstone, refuseDeletedThread } from "./lib/tombstones.js";
import schema, { vv } from "./schema.js";
import { vActor, vImportChunkFields } from "./validators.js";

const refs: JobRefs<"import_jobs"> = { run: internal.imports.run, watchdog: internal.imports.watchdog };
const OPEN = new Set<Doc<"import_jobs">["status"]>(["collecting", "sealed", "running", "verifying"]);
const vJob = vv.doc("import_jobs");
const ownerOfJob = (job: Doc<"import_jobs">): Owner => ({ tenantId: job.tenantId, userId: job.userId });

async function requireJob(ctx: QueryCtx, owner: Owner, rawJobId: string) {
  const jobId = ctx.db.normalizeId("import_jobs", rawJobId);
  const job = jobId ? await ctx.db.get("import_jobs", jobId) : null;
  if (!job || job.tenantId !== owner.tenantId || job.userId !== owner.userId) {
    throw codexError(ErrorCode.importNotFound, `import ${rawJobId} not found`, { jobId: rawJobId });
  }
  return job;
}

function requireStatus(job: Doc<"import_jobs">, status: Doc<"import_jobs">["status"], action: string) {
  if (job.status !== status) {
    throw codexError(ErrorCode.importState, `import ${job._id} is ${job.status}: cannot ${action}`, { jobId: job._id, status: job.status });
  }
}

const fresh = {
  status: "collecting" as const,
  chunks: 0,
  applied: 0,
  verified: 0,
  sourceCursor: undefined,
  sourceSeq: 0,
  expectedTurns: 0,
  expectedMessages: 0,
  matchedMessages: 0,
  truncatedMessages: 0,
  mismatches: [],
  accepted: 0,
  duplicates: 0,
  rejected: 0,
  openTurnId: undefined,
  attempts: 0,
  error: undefined,
  sealedAt: undefined,
  finishedAt: undefined,
};

/** Checks, while collecting, that the host is still there (IMPORT_COLLECT_IDLE_MS). */
async function watchCollecting(ctx: MutationCtx, job: Doc<"import_jobs">, now: number) {
  const watchdogId = await ctx.scheduler.runAt(now + IMPORT_COLLECT_IDLE_MS, refs.watchdog, { jobId: job._id });
  await ctx.db.patch("import_jobs", job._id, { watchdogId });
}

/**
 * Begins the import of `threadId` (the thread row is created, or filled with what codex says
 * of it), or resumes the one still collecting; an import sealed and under way is returned as
 * it is. A thread imported before is imported again (changing nothing that is stored).
 */
export const start = mutation({
  args: {
    actor: vActor,
    threadId: v.string(),
    name: v.optional(v.string()),
    preview: v.optional(v.string()),
    model: v.optional(v.string()),
    cwd: v.optional(v.string()),
    forkedFromThreadId: v.optional(v.string()),
  },
  returns: vJob,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    await refuseDeletedThread(ctx, owner, threadId);
    const cut = (text: string | undefined, max: number) => (text === undefined ? undefined : truncateUtf8(text, max).text);
    await createOrFillThread(ctx, owner, threadId, {
      name: cut(args.name, NAME_MAX_BYTES),
      preview: cut(args.preview, ITEM_TEXT_PREVIEW_BYTES),
      model: cut(args.model, NAME_MAX_BYTES),
      cwd: cut(args.cwd, PATH_MAX_BYTES),
      forkedFromThreadId: cut(args.forkedFromThreadId, ID_MAX_BYTES),
    });
    const existing = await ctx.db
      .query("import_jobs")
      .withIndex("by_owner_thread", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId))
      .unique();
    const now = Date.now();
    if (existing && OPEN.has(existing.status)) {
      if (existing.status !== "collecting") return existing;
      await ctx.db.patch("import_jobs", existing._id, { updatedAt: now });
      return (await ctx.db.get("import_jobs", existing._id))!;
    }
    let jobId;
    if (existing) {
      await ctx.db.patch("import_jobs", existing._id, { ...fresh, updatedAt: now });
      jobId = existing._id;
    } else {
      jobId = await ctx.db.insert("import_jobs", { ...owner, threadId, ...fresh, createdAt: now, updatedAt: now });
    }
    const job = (await ctx.db.get("import_jobs", jobId))!;
    await watchCollecting(ctx, job, now);
    return (await ctx.db.get("import_jobs", jobId))!;
  },
});

/**
 * Chunk `seq` of what the host read: codex's events for whole turns where they fit
 * (`turnIds`: turns that begin here; `endsTurn`: the last one ends here too), and the messages
 * codex reported in them. A chunk sent with a `seq` already received replaces it and drops the
 * ones after it (a host that resumed re-sends the page it was cut off in). `next`, on the last
 * chunk of a page of codex's turns: where a host goes on from after it.
 */
export const appendChunk = mutation({
  args: { actor: vActor, jobId: v.string(), ...vImportChunkFields },
  returns: vJob,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const job = await requireJob(ctx, owner, args.jobId);
    requireStatus(job, "collecting", "take a chunk");
    if (!Number.isInteger(args.seq) || args.seq > job.chunks) {
      throw codexError(ErrorCode.importState, `chunk ${args.seq} after ${job.chunks} chunks: chunks are sent in order from 0`, { jobId: job._id, chunks: job.chunks });
    }
    checkChunk(args);
    for (const event of args.events) {
      if (event.turnId !== undefined && event.turnId.trim() === "") throw codexError(ErrorCode.invalidArgument, "an event's turnId is blank");
    }
    const { expectedMessages, expectedTurns } = await dropChunksFrom(ctx, job, args.seq);
    await ctx.db.insert("import_chunks", { ...owner, threadId: job.threadId, seq: args.seq, events: args.events, expected: args.expected, turnIds: args.turnIds, endsTurn: args.endsTurn });
    if (args.next !== undefined && args.next.cursor !== null) requireFits("next.cursor", args.next.cursor, NOTE_MAX_BYTES);
    await ctx.db.patch("import_jobs", job._id, {
      chunks: args.seq + 1,
      expectedMessages: expectedMessages + args.expected.length,
      expectedTurns: expectedTurns + args.turnIds.length,
      ...(args.next !== undefined ? { sourceCursor: args.next.cursor, sourceSeq: args.next.seq } : {}),
      updatedAt: Date.now(),
    });
    return (await ctx.db.get("import_jobs", job._id))!;
  },
});

/** Chunk rows read per call when chunks are replaced (each up to ~1 MiB); later ones go with the next chunks. */
const REPLACED_PER_CALL = 4;

/** Deletes chunks from `seq` on (at most REPLACED_PER_CALL), taking back what they counted. */
async function dropChunksFrom(ctx: MutationCtx, job: Doc<"import_jobs">, seq: number) {
  const replaced = await ctx.db
    .query("import_chunks")
    .withIndex("by_owner_thread_seq", (q) => q.eq("tenantId", job.tenantId).eq("userId", job.userId).eq("threadId", job.threadId).gte("seq", seq))
    .take(REPLACED_PER_CALL);
  let { expectedMessages, expectedTurns } = job;
  for (const old of replaced) {
    if (old.seq < job.chunks) {
      expectedMessages -= old.expected.length;
      expectedTurns -= old.turnIds.length;
    }
    await ctx.db.delete("import_chunks", old._id);
  }
  return { expectedMessages, expectedTurns };
}

function checkChunk(args: { events: Parameters<typeof batchBytes>[0]; expected: unknown[]; turnIds: string[] }) {
  const too = (field: string, what: string, data: Record<string, number>) => {
    throw codexError(ErrorCode.tooLarge, `${field}: ${what}`, { field, ...data });
  };
  if (args.events.length > IMPORT_CHUNK_MAX_EVENTS) too("events", `${args.events.length} events; at most ${IMPORT_CHUNK_MAX_EVENTS} per chunk`, { maxEntries: IMPORT_CHUNK_MAX_EVENTS });
  const bytes = batchBytes(args.events);
  if (bytes > IMPORT_CHUNK_MAX_BYTES) too("events", `${bytes} bytes; at most ${IMPORT_CHUNK_MAX_BYTES} per chunk`, { maxBytes: IMPORT_CHUNK_MAX_BYTES, bytes });
  if (args.expected.length > IMPORT_CHUNK_MAX_MESSAGES) too("expected", `${args.expected.length} messages; at most ${IMPORT_CHUNK_MAX_MESSAGES} per chunk`, { maxEntries: IMPORT_CHUNK_MAX_MESSAGES });
  if (args.turnIds.length > IMPORT_CHUNK_MAX_TURNS) too("turnIds", `${args.turnIds.length} turns; at most ${IMPORT_CHUNK_MAX_TURNS} per chunk`, { maxEntries: IMPORT_CHUNK_MAX_TURNS });
}

/**
 * Everything was sent (`chunkCount` chunks): the backend takes over and runs the import to its
 * end. Sealing again is a no-op.
 */
export const seal = mutation({
  args: { actor: vActor, jobId: v.string(), chunkCount: v.number() },
  returns: vJob,
  handler: async (ctx, args) => {
    const job = await requireJob(ctx, ownerOf(args.actor), args.jobId);
    if (job.status !== "collecting" && job.sealedAt !== undefined) return job;
    requireStatus(job, "collecting", "seal it");
    if (args.chunkCount !== job.chunks) {
      throw codexError(ErrorCode.importState, `sealed with ${args.chunkCount} chunks, ${job.chunks} received`, { jobId: job._id, chunks: job.chunks });
    }
    // Chunks a resumed host did not send again (its re-read page made fewer) are not part of it.
    const counts = await dropChunksFrom(ctx, job, job.chunks);
    const now = Date.now();
    const status = job.chunks === 0 ? ("synced" as const) : ("sealed" as const);
    await ctx.db.patch("import_jobs", job._id, { ...counts, status, sealedAt: now, updatedAt: now, ...(status === "synced" ? { finishedAt: now } : {}) });
    const sealed = (await ctx.db.get("import_jobs", job._id))!;
    if (status === "synced") await unschedule(ctx, "import_jobs", sealed);
    else await schedulePage(ctx, "import_jobs", sealed, refs, now);
    return (await ctx.db.get("import_jobs", job._id))!;
  },
});

/** Stops an import that has not ended (what it already stored stays). Cancelling an ended one returns it as it is. */
export const cancel = mutation({
  args: { actor: vActor, jobId: v.string() },
  returns: vJob,
  handler: async (ctx, args) => {
    const job = await requireJob(ctx, ownerOf(args.actor), args.jobId);
    if (!OPEN.has(job.status)) return job;
    await stop(ctx, job, "cancelled", "the import was cancelled");
    return (await ctx.db.get("import_jobs", job._id))!;
  },
});

/** Ends the import; its open turn and chunk rows are settled (a cleanup page per leftover chunks). */
async function stop(ctx: MutationCtx, job: Doc<"import_jobs">, status: "failed" | "cancelled", why: string) {
  const now = Date.now();
  await endOpenTurn(ctx, job, why);
  await ctx.db.patch("import_jobs", job._id, { status, error: truncateUtf8(why, NOTE_MAX_BYTES).text, openTurnId: undefined, updatedAt: now, finishedAt: now });
  const stopped = (await ctx.db.get("import_jobs", job._id))!;
  if (await deleteChunks(ctx, stopped)) await unschedule(ctx, "import_jobs", stopped);
  else await schedulePage(ctx, "import_jobs", stopped, refs, now);
}

/** One page: apply a chunk, verify one, or (stopped) delete leftover chunks. */
export const run = internalMutation({
  args: { jobId: v.id("import_jobs") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const job = await ctx.db.get("import_jobs", args.jobId);
    if (!job || job.status === "collecting") return null;
    const now = Date.now();
    if (!OPEN.has(job.status)) {
      if (!(await deleteChunks(ctx, job))) await schedulePage(ctx, "import_jobs", job, refs, now);
      else await unschedule(ctx, "import_jobs", job);
      return null;
    }
    // The thread was deleted while the import ran (a purge goes table by table): nothing more of it is written.
    if (await findTombstone(ctx, ownerOfJob(job), job.threadId)) {
      await stop(ctx, job, "failed", "the thread was deleted during the import");
      return null;
    }
    const working = job.status === "sealed" ? { ...job, status: "running" as const } : job;
    const change = working.status === "running" ? await applyChunk(ctx, working) : await verifyChunk(ctx, working);
    const { status, error, ...progress } = { status: working.status, ...change };
    await ctx.db.patch("import_jobs", job._id, { ...progress, attempts: 0, updatedAt: now, ...(status === "failed" ? {} : { status }) });
    const next = (await ctx.db.get("import_jobs", job._id))!;
    if (status === "failed") await stop(ctx, next, "failed", error ?? "failed");
    else if (status !== "synced") await schedulePage(ctx, "import_jobs", next, refs, now);
    else {
      await ctx.db.patch("import_jobs", job._id, { finishedAt: now, openTurnId: undefined });
      if (await deleteChunks(ctx, next)) await unschedule(ctx, "import_jobs", next);
      else await schedulePage(ctx, "import_jobs", next, refs, now);
    }
    return null;
  },
});

/** A collecting import whose host went silent fails; a page that did not run is run again, or the import fails. */
export const watchdog = internalMutation({
  args: { jobId: v.id("import_jobs") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const job = await ctx.db.get("import_jobs", args.jobId);
    if (!job || !OPEN.has(job.status)) return null;
    const now = Date.now();
    if (job.status === "collecting") {
      if (now - job.updatedAt >= IMPORT_COLLECT_IDLE_MS) await stop(ctx, job, "failed", "the host stopped sending before it sealed the import: import the thread again");
      else {
        const watchdogId = await ctx.scheduler.runAt(job.updatedAt + IMPORT_COLLECT_IDLE_MS, refs.watchdog, { jobId: job._id });
        await ctx.db.patch("import_jobs", job._id, { watchdogId });
      }
      return null;
    }
    const verdict = await checkPage(ctx, "import_jobs", job, refs);
    if (verdict.kind === "giveUp") await stop(ctx, job, "failed", verdict.reason);
    return null;
  },
});

/** One import by id; `null` for another owner's or an unknown id. */
export const get = query({
  args: { actor: vActor, jobId: v.string() },
  returns: v.union(vJob, v.null()),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const jobId = ctx.db.normalizeId("import_jobs", args.jobId);
    const job = jobId ? await ctx.db.get("import_jobs", jobId) : null;
    return job && job.tenantId === owner.tenantId && job.userId === owner.userId ? job : null;
  },
});

/** The thread's import (each thread has at most one), or `null`. */
export const getForThread = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.union(vJob, v.null()),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    return await ctx.db
      .query("import_jobs")
      .withIndex("by_owner_thread", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId))
      .unique();
  },
});

/** The owner's imports, most recently updated first. */
export const list = query({
  args: { actor: vActor, paginationOpts: paginationOptsValidator },
  returns: vImportJobPage,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const jobs = paginator(ctx.db, schema)
      .query("import_jobs")
      .withIndex("by_owner_updated", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId))
      .order("desc");
    return await pageOf(jobs, args.paginationOpts);
  },
});
