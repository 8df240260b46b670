import type { OptimisticLocalStore } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { describe, expect, test } from "vitest";
import { codexOptimisticPresets } from "./deletion.js";
import type { DeletionStatusQuery } from "./references.js";

const status = makeFunctionReference<"query">("codex:getDeletionStatus") as unknown as DeletionStatusQuery;

/** The loaded results of one query, as a ConvexReactClient's local store holds them (keyed by args). */
function storeOf(entries: Array<{ args: Record<string, unknown>; value: unknown }>): OptimisticLocalStore {
  const rows = new Map(entries.map((e) => [JSON.stringify(e.args), e]));
  return {
    getQuery: (_q: unknown, args: Record<string, unknown>) => rows.get(JSON.stringify(args))?.value,
    getAllQueries: () => [...rows.values()],
    setQuery: (_q: unknown, args: Record<string, unknown>, value: unknown) => void rows.set(JSON.stringify(args), { args, value }),
  } as unknown as OptimisticLocalStore;
}
const job = (jobId: string, s = "scheduled") => ({ _id: jobId, status: s, runAt: 1 });

describe("codexOptimisticPresets.deletionStatus", () => {
  test("a wrapper taking more args than the mutation (an actor) still shows the cancel at once", () => {
    const store = storeOf([
      { args: { jobId: "j1", tenant: "acme" }, value: job("j1") },
      { args: { jobId: "j2", tenant: "acme" }, value: job("j2") },
      { args: { jobId: "j3" }, value: job("j3", "running") },
    ]);
    codexOptimisticPresets.deletionStatus.cancel(status)(store, { jobId: "j1" } as never);
    codexOptimisticPresets.deletionStatus.forceRun(status)(store, { jobId: "j3" } as never);
    const byId = Object.fromEntries(store.getAllQueries(status).map((q) => [q.args.jobId as string, (q.value as { status: string }).status]));
    // j1 is cancelled under its wrapper's own args; j2 (another job) and j3 (already running) are left as they were.
    expect(byId).toEqual({ j1: "cancelled", j2: "scheduled", j3: "running" });
  });
});
