/**
 * Sending a message: queues a turn through the app's `registerTurnStart` wrapper with a
 * new idempotency key per send (pass one back to retry the same send safely).
 */
import { useConvex, useMutation } from "convex/react";
import type { OptimisticUpdate } from "convex/browser";
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import { useCallback, useMemo, useState } from "react";
import { newIdempotencyKey } from "./idempotencyKey.js";
import { optimisticallySendCodexMessage } from "./optimisticallySendCodexMessage.js";
import { pendingSendsOf } from "./pendingSends.js";
import type { RegisterTurnStartMutation, ThreadMessagesQuery } from "./references.js";

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

export type CodexComposerOptions<Mutation extends RegisterTurnStartMutation> = {
  /**
   * The thread's `threadMessages` wrapper: the sent text shows in `useCodexMessages` at once
   * and until the durable user message arrives (or the send fails).
   */
  optimistic?: ThreadMessagesQuery;
  /** A custom optimistic update instead (not combined with `optimistic`). */
  optimisticUpdate?: OptimisticUpdate<FunctionArgs<Mutation>>;
};

export function useCodexComposer<Mutation extends RegisterTurnStartMutation>(
  mutation: Mutation,
  options: CodexComposerOptions<Mutation> = {},
): CodexComposer<Mutation> {
  const base = useMutation(mutation);
  const pendingSends = pendingSendsOf(useConvex());
  const { optimistic: messagesQuery, optimisticUpdate } = options;
  const update = useMemo(() => {
    if (!messagesQuery) return optimisticUpdate;
    return optimisticallySendCodexMessage(messagesQuery, {
      onInsert: (message, sendArgs) => pendingSends.add({ idempotencyKey: sendArgs.idempotencyKey, message, sendArgs }),
    }) as unknown as OptimisticUpdate<FunctionArgs<Mutation>>;
  }, [messagesQuery, optimisticUpdate, pendingSends]);
  const run = useMemo(() => (update ? base.withOptimisticUpdate(update) : base), [base, update]);
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
        pendingSends.remove(idempotencyKey);
        setError(e instanceof Error ? e : new Error(String(e)));
        throw e;
      } finally {
        setPending((n) => n - 1);
      }
    },
    [run, pendingSends],
  );
  return { send, pending, error };
}
