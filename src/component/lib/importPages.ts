/**
 * One page of a sealed import (`imports.ts`): apply the next chunk through ingest's own
 * projection (the events keep codex's live event ids, so what is already stored is a
 * duplicate), or verify the next chunk's messages against the stored rows, or — once the
 * import is over — delete chunk rows it left.
 */
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import { closeBatch, openBatch, applyEvent } from "../ingest/apply.js";
import { turnCompleted } from "../ingest/turns.js";
import type { ExpectedMessage } from "../validators.js";
import type { Owner } from "./owner.js";
import { findTombstone } from "./tombstones.js";
import { findTurn } from "./turnRows.js";

/** Mismatches an import keeps to show (it fails on the first chunk that has any). */
export const MISMATCHES_KEPT = 20;
/** Chunk rows one cleanup page deletes (each up to ~1 MiB). */
const CLEANUP_CHUNKS = 8;

const ownerOf = (job: Doc<"import_jobs">): Owner => ({ tenantId: job.tenantId, userId: job.userId });
/** The session ingest records an import's turns under: no host's, so no host's end settles them. */
export const importSession = (threadId: string) => `import:${threadId}`;

export async function chunkAt(ctx: MutationCtx, job: Doc<"import_jobs">, seq: number) {
  return await ctx.db
    .query("import_chunks")
    .withIndex("by_owner_thread_seq", (q) => q.eq("tenantId", job.tenantId).eq("userId", job.userId).eq("threadId", job.threadId).eq("seq", seq))
    .unique();
}

/** Applies chunk `job.applied`; what changes on the job. */
export async function applyChunk(ctx: MutationCtx, job: Doc<"import_jobs">): Promise<Partial<Doc<"import_jobs">>> {
  const chunk = await chunkAt(ctx, job, job.applied);
  if (!chunk) return { status: "failed", error: `chunk ${job.applied} of ${job.chunks} is missing` };
  const now = Date.now();
  const batch = await openBatch(ctx, ownerOf(job), job.threadId, importSession(job.threadId), now);
  const counts = { accepted: job.accepted, duplicates: job.duplicates, rejected: job.rejected };
  for (const event of chunk.events) {
    const outcome = await applyEvent(batch, event);
    if (outcome.kind === "accepted") counts.accepted++;
    else if (outcome.kind === "duplicate") counts.duplicates++;
    else counts.rejected++;
  }
  if (counts.accepted > job.accepted) batch.threadDirty.add("updatedAt");
  await closeBatch(batch);
  const applied = job.applied + 1;
  return {
    ...counts,
    applied,
    openTurnId: chunk.endsTurn ? undefined : chunk.turnIds.at(-1) ?? job.openTurnId,
    ...(applied === job.chunks ? { status: "verifying" as const } : {}),
  };
}

/** Checks chunk `job.verified` against the stored rows, then deletes it; what changes on the job. */
export async function verifyChunk(ctx: MutationCtx, job: Doc<"import_jobs">): Promise<Partial<Doc<"import_jobs">>> {
  const chunk = await chunkAt(ctx, job, job.verified);
  if (!chunk) return { status: "failed", error: `chunk ${job.verified} of ${job.chunks} is missing` };
  const owner = ownerOf(job);
  const mismatches = [...job.mismatches];
  let matched = job.matchedMessages;
  let truncated = job.truncatedMessages;
  const miss = (turnId: string, itemId: string, reason: string) => {
    if (mismatches.length < MISMATCHES_KEPT) mismatches.push({ turnId, itemId, reason });
  };
  for (const turnId of chunk.turnIds) {
    const turn = await findTurn(ctx, owner, job.threadId, turnId);
    if (!turn && !(await findTombstone(ctx, owner, job.threadId, turnId))) miss(turnId, "", "the turn is missing");
  }
  for (const expected of chunk.expected) {
    const verdict = await verifyMessage(ctx, owner, job.threadId, expected);
    if (verdict === "match") matched++;
    else if (verdict === "truncated") truncated++;
    else if (verdict !== "deleted") miss(expected.turnId, expected.itemId, verdict);
  }
  await ctx.db.delete("import_chunks", chunk._id);
  const verified = job.verified + 1;
  const failed = mismatches.length > job.mismatches.length;
  const done = failed || verified === job.chunks;
  return {
    verified,
    matchedMessages: matched,
    truncatedMessages: truncated,
    mismatches,
    ...(failed ? { status: "failed" as const, error: `${mismatches.length} of codex's messages do not match what is stored (see mismatches)` } : {}),
    ...(done && !failed ? { status: "synced" as const } : {}),
  };
}

type Verdict = "match" | "truncated" | "deleted" | string;

/**
 * The stored message of a codex message: under its item id, or under a later occurrence's id
 * (`msg_1#2`: codex's history merges an item id repeated within a turn, keeping the last
 * one's text). Same role and same text (by SHA-256) is a match; a row that keeps a marked
 * prefix (the text is longer than a row holds) counts apart.
 */
async function verifyMessage(ctx: MutationCtx, owner: Owner, threadId: string, expected: ExpectedMessage): Promise<Verdict> {
  const byItem = await ctx.db
    .query("messages")
    .withIndex("by_owner_turn_item", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", expected.turnId).eq("itemId", expected.itemId),
    )
    .first();
  const repeats = await ctx.db
    .query("messages")
    .withIndex("by_owner_turn_item", (q) =>
      q
        .eq("tenantId", owner.tenantId)
        .eq("userId", owner.userId)
        .eq("threadId", threadId)
        .eq("turnId", expected.turnId)
        .gt("itemId", `${expected.itemId}#`)
        .lt("itemId", `${expected.itemId}#\uffff`),
    )
    .take(10);
  const candidates = [...(byItem ? [byItem] : []), ...repeats].filter((m) => m.role === expected.role);
  if (candidates.length === 0) {
    if (await findTombstone(ctx, owner, threadId, expected.turnId)) return "deleted";
    return byItem ? `stored as ${byItem.role}, codex has ${expected.role}` : "the message is missing";
  }
  for (const message of candidates) {
    if (message.truncated) return "truncated";
    if ((await sha256(message.text)) === expected.sha256) return "match";
  }
  return `the stored text differs from codex's (${candidates[0]!.text.length} characters stored, ${expected.bytes} bytes in codex)`;
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The import stopped (failed, cancelled): a turn whose events went on in a chunk never applied
 * ends `interrupted`, so no turn is left running for good.
 */
export async function endOpenTurn(ctx: MutationCtx, job: Doc<"import_jobs">, why: string) {
  if (job.openTurnId === undefined) return;
  const owner = ownerOf(job);
  const turn = await findTurn(ctx, owner, job.threadId, job.openTurnId);
  if (!turn || turn.status !== "inProgress") return;
  const now = Date.now();
  const batch = await openBatch(ctx, owner, job.threadId, importSession(job.threadId), now);
  await turnCompleted(batch, job.openTurnId, { status: "interrupted", error: { message: why }, provisional: true }, now);
  await closeBatch(batch);
}

/** Deletes up to a page of the import's chunk rows; true when none are left. */
export async function deleteChunks(ctx: MutationCtx, job: Doc<"import_jobs">): Promise<boolean> {
  const chunks = await ctx.db
    .query("import_chunks")
    .withIndex("by_owner_thread_seq", (q) => q.eq("tenantId", job.tenantId).eq("userId", job.userId).eq("threadId", job.threadId))
    .take(CLEANUP_CHUNKS + 1);
  for (const chunk of chunks.slice(0, CLEANUP_CHUNKS)) await ctx.db.delete("import_chunks", chunk._id);
  return chunks.length <= CLEANUP_CHUNKS;
}
