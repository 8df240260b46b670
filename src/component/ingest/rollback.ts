/**
 * THREAD_ROLLED_BACK_KIND: codex dropped the thread's turns after `keptTurnId`. The stored
 * turns after it (started before this event: turns begun since are new) are deleted with all
 * their rows, by a rollback deletion job whose first page runs here, in this batch — a
 * rollback of a few turns is gone in the same transaction that reports it; a long one goes
 * on in pages (`deletion.ts`). Each dropped turn leaves a tombstone.
 */
import { runJobPage, scheduleJob } from "../lib/deletionJobs.js";
import type { ThreadRolledBack } from "../validators.js";
import { flushThread, type IngestBatch } from "./batch.js";
import { flushAllStreams } from "./streamStore.js";
import { findTurn } from "./turns.js";

/** Rows the rollback's first page deletes inside the ingest transaction. */
const INLINE_ROWS = 1_000;

export async function threadRolledBack(batch: IngestBatch, rollback: ThreadRolledBack, at: number) {
  const kept = rollback.keptTurnId ? await findTurn(batch, rollback.keptTurnId) : null;
  // The kept turn as stored tells exactly where the cut is; codex's own time of it when we never stored it.
  const afterStartedAt = kept ? kept.startedAt : rollback.keptUntilMs;
  // A kept turn we cannot place: deleting "everything" would be a guess. Nothing is deleted.
  if (rollback.keptTurnId !== undefined && afterStartedAt === undefined) return;
  // What this batch holds back is written first: the page may delete rows it touched.
  await flushAllStreams(batch);
  batch.streams.clear();
  await flushThread(batch);
  const { jobId } = await scheduleJob(batch.ctx, batch.owner, { kind: "rollback", threadId: batch.threadId, afterStartedAt, untilStartedAt: at }, {});
  const job = (await batch.ctx.db.get("deletion_jobs", jobId))!;
  await runJobPage(batch.ctx, job, INLINE_ROWS);
  batch.thread = (await batch.ctx.db.get("threads", batch.thread._id))!;
  batch.deletedTurns.clear();
}
