/**
 * Sending a message: queues a turn through the app's `registerTurnStart` wrapper with a
 * new idempotency key per send (pass one back to retry the same send safely).
 */
import { useMutation } from "convex/react";
import type { OptimisticUpdate } from "convex/browser";
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import { useCallback, useMemo, useState } from "react";
import { newIdempotencyKey } from "./idempotencyKey.js";
import type { RegisterTurnStartMutation } from "./references.js";

export type CodexSendArgs<Mutation extends RegisterTurnStartMutation> = Omit<FunctionArgs<Mutation>, "idempotencyKey"> & {
  /** Only to retry an earlier send; a new key is generated otherwise. */
  idempotencyKey?: string;
};

export type CodexComposer<Mutation extends RegisterTurnStartMutation> = {
  send: (args: CodexSendArgs<Mutation>) => Promise<FunctionReturnType<Mutation> & { idempotencyKey: string }>;
  /** Sends in flight. */
  pending: number;
  error: Error | undefined;
};

export function useCodexComposer<Mutation extends RegisterTurnStartMutation>(
  mutation: Mutation,
  options: { optimisticUpdate?: OptimisticUpdate<FunctionArgs<Mutation>> } = {},
): CodexComposer<Mutation> {
  const base = useMutation(mutation);
  const optimistic = options.optimisticUpdate;
  const run = useMemo(() => (optimistic ? base.withOptimisticUpdate(optimistic) : base), [base, optimistic]);
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<Error | undefined>(undefined);
  const send = useCallback(
    async (args: CodexSendArgs<Mutation>) => {
      const idempotencyKey = args.idempotencyKey ?? newIdempotencyKey();
      setPending((n) => n + 1);
      try {
        const result = (await run({ ...args, idempotencyKey } as never)) as FunctionReturnType<Mutation>;
        setError(undefined);
        return { ...result, idempotencyKey };
      } catch (e) {
        setError(e instanceof Error ? e : new Error(String(e)));
        throw e;
      } finally {
        setPending((n) => n - 1);
      }
    },
    [run],
  );
  return { send, pending, error };
}
