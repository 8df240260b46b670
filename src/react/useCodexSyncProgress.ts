/**
 * How far importing a local codex thread has got (`importLocalThreadToPersistence` on the
 * host), from its import job: the earlier library's `syncProgress` — counts, a state a send
 * policy can gate on, and a label such as `12/20 synced`. Give it the thread's job
 * (`threadSyncJob`, args `{ threadId }`) or one job by id (`getConversationSyncJob`, `{ jobId }`).
 */
import type { FunctionArgs } from "convex/server";
import type { SyncJobQuery } from "./references.js";
import type { CodexImportJobDoc } from "./types.js";
import { useThreadQuery } from "./useThreadQuery.js";

/** `syncing` while the job is open (block sends meanwhile: the thread's history is still arriving). */
export type CodexSyncState = "syncing" | "synced" | "failed" | "cancelled";

export type CodexSyncProgress = {
  syncState: CodexSyncState;
  /** Messages codex reported that are stored and verified, of `totalCount`. */
  syncedCount: number;
  /** Messages codex reported so far (final once the host sealed the source). */
  totalCount: number;
  /** Chunks of the source applied, of those received: progress before verifying counts messages. */
  appliedChunks: number;
  chunks: number;
  label: string;
  /** Why it failed or was cancelled, when said. */
  error: string | undefined;
  job: CodexImportJobDoc;
};

const OPEN: ReadonlySet<CodexImportJobDoc["status"]> = new Set(["collecting", "sealed", "running", "verifying"]);

/** The progress a job row shows (pure: what the hook returns for a loaded job). */
export function syncProgressOf(job: CodexImportJobDoc): CodexSyncProgress {
  const syncState: CodexSyncState = OPEN.has(job.status) ? "syncing" : (job.status as Exclude<CodexSyncState, "syncing">);
  const totalCount = job.expectedMessages;
  const syncedCount = job.matchedMessages;
  const label =
    job.status === "collecting" ? `reading ${totalCount} messages`
    : job.status === "sealed" || job.status === "running" ? `applying ${job.applied}/${job.chunks} chunks`
    : job.status === "verifying" ? `verifying ${syncedCount}/${totalCount}`
    : job.status === "synced" ? `${syncedCount}/${totalCount} synced`
    : job.status === "failed" ? `sync failed${job.error ? `: ${job.error}` : ""}`
    : "sync cancelled";
  return { syncState, syncedCount, totalCount, appliedChunks: job.applied, chunks: job.chunks, label, error: job.error, job };
}

/** `undefined` while loading, `null` when there is no such job (never imported, or not the caller's). */
export function useCodexSyncProgress<Query extends SyncJobQuery>(query: Query, args: FunctionArgs<Query> | "skip"): { syncProgress: CodexSyncProgress | null | undefined } {
  const job = useThreadQuery(query, args as never) as CodexImportJobDoc | null | undefined;
  if (job === undefined) return { syncProgress: undefined };
  return { syncProgress: job === null ? null : syncProgressOf(job) };
}
