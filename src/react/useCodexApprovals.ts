/**
 * Pending approvals of a thread and a way to answer them. An answered approval leaves the
 * list at once (optimistic update), and comes back if the answer fails.
 */
import { useMutation, useQuery } from "convex/react";
import type { FunctionArgs, OptionalRestArgs } from "convex/server";
import { useCallback, useMemo } from "react";
import type { ApprovalRespondMutation, PendingApprovalsQuery } from "./references.js";
import type { ApprovalDecision, CodexApprovalDoc } from "./types.js";

export type CodexApprovals = {
  /** Pending approvals, oldest first; empty while loading. */
  approvals: CodexApprovalDoc[];
  isLoading: boolean;
  respond: (approval: Pick<CodexApprovalDoc, "turnId" | "itemId">, decision: ApprovalDecision, reason?: string) => Promise<void>;
};

export function useCodexApprovals<Query extends PendingApprovalsQuery, Respond extends ApprovalRespondMutation>(
  query: Query,
  args: FunctionArgs<Query> | "skip",
  respondMutation: Respond,
): CodexApprovals {
  const pending = useQuery(query, args as never) as CodexApprovalDoc[] | undefined;
  const key = args === "skip" ? "skip" : JSON.stringify(args);
  const mutate = useMutation(respondMutation);
  const respond = useCallback(
    async (approval: Pick<CodexApprovalDoc, "turnId" | "itemId">, decision: ApprovalDecision, reason?: string) => {
      if (key === "skip") throw new Error("useCodexApprovals: cannot respond while args are \"skip\"");
      const queryArgs = JSON.parse(key) as FunctionArgs<Query>;
      const respondArgs = { ...queryArgs, turnId: approval.turnId, itemId: approval.itemId, decision, ...(reason === undefined ? {} : { reason }) };
      await mutate.withOptimisticUpdate((store) => {
        const current = store.getQuery(query, ...([queryArgs] as never as OptionalRestArgs<Query>)) as CodexApprovalDoc[] | undefined;
        if (current) store.setQuery(query, queryArgs, current.filter((a) => a.turnId !== approval.turnId || a.itemId !== approval.itemId) as never);
      })(respondArgs as never);
    },
    [key, mutate, query],
  );
  return useMemo(
    () => ({ approvals: pending ?? [], isLoading: pending === undefined && key !== "skip", respond }),
    [pending, key, respond],
  );
}
