/**
 * Deleting from a device: a deletion job's status (`useCodexDeletionStatus`), and the
 * optimistic updates that make cancelling or forcing it show at once on the page that asked
 * (`codexOptimisticPresets.deletionStatus.cancel / .forceRun`, applied with
 * `useCodexOptimisticMutation`). The server's answer replaces the guess when it arrives; a
 * refused call (the job already ran) rolls it back.
 */
import { useMutation, useQuery } from "convex/react";
import type { OptimisticLocalStore, OptimisticUpdate } from "convex/browser";
import type { FunctionArgs, FunctionReference } from "convex/server";
import { useMemo } from "react";
import type { DeletionJobMutation, DeletionStatusQuery } from "./references.js";
import type { CodexDeletionJobDoc } from "./types.js";

/** The job, live: `undefined` while loading, `null` for an unknown (or another user's) job. */
export function useCodexDeletionStatus<Query extends DeletionStatusQuery>(query: Query, args: FunctionArgs<Query> | "skip"): { job: CodexDeletionJobDoc | null | undefined } {
  return { job: useQuery(query, args as never) as CodexDeletionJobDoc | null | undefined };
}

/** A mutation with an optimistic update (e.g. one of `codexOptimisticPresets`), memoized per pair. */
export function useCodexOptimisticMutation<Mutation extends FunctionReference<"mutation">>(mutation: Mutation, update: OptimisticUpdate<FunctionArgs<Mutation>>) {
  const run = useMutation(mutation);
  return useMemo(() => run.withOptimisticUpdate(update), [run, update]);
}

/**
 * Rewrites the job wherever the status query holds it for `jobId` and it still waits. Every
 * loaded subscription of the query is looked at, not only `{ jobId }`: an app's wrapper may take
 * more arguments (an actor, a tenant) than the mutation does.
 */
function patchJob(store: OptimisticLocalStore, status: DeletionStatusQuery, jobId: string, change: (job: CodexDeletionJobDoc) => CodexDeletionJobDoc) {
  for (const { args, value } of store.getAllQueries(status)) {
    const job = value as CodexDeletionJobDoc | null | undefined;
    if (args.jobId === jobId && job && job.status === "scheduled") store.setQuery(status, args, change(job) as never);
  }
}

/**
 * Optimistic updates for a page's own deletion controls, given the status query it watches:
 * `cancel(status)` shows the job cancelled, `forceRun(status)` shows it running from now.
 */
export const codexOptimisticPresets = {
  deletionStatus: {
    cancel:
      (status: DeletionStatusQuery): OptimisticUpdate<FunctionArgs<DeletionJobMutation>> =>
      (store, { jobId }) =>
        patchJob(store, status, jobId, (job) => ({ ...job, status: "cancelled", finishedAt: Date.now() })),
    forceRun:
      (status: DeletionStatusQuery): OptimisticUpdate<FunctionArgs<DeletionJobMutation>> =>
      (store, { jobId }) =>
        patchJob(store, status, jobId, (job) => ({ ...job, status: "running", runAt: Date.now() })),
  },
};
