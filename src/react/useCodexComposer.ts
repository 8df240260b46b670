/**
 * Sending a message: queues a turn through the app's `registerTurnStart` wrapper with a
 * new idempotency key per send (pass one back to retry the same send safely).
 */
import { useConvex, useMutation } from "convex/react";
import type { OptimisticUpdate } from "convex/browser";
import { getFunctionName, type FunctionArgs, type FunctionReturnType } from "convex/server";
import { useCallback, useMemo, useState, useSyncExternalStore } from "react";
import { newIdempotencyKey } from "./idempotencyKey.js";
import { optimisticallySendCodexMessage } from "./optimisticallySendCodexMessage.js";
import { pendingSendsOf, type SendFailure } from "./pendingSends.js";
import type { CommandStatusQuery, RegisterTurnStartMutation, ThreadMessagesQuery } from "./references.js";
import { usePendingCommands } from "./usePendingCommands.js";

export type CodexSendArgs<Mutation extends RegisterTurnStartMutation> = Omit<FunctionArgs<Mutation>, "idempotencyKey"> & {
  /** Only to retry an earlier send; a new key is generated otherwise. */
  idempotencyKey?: string;
};

/** A send whose command ended `failed` or `cancelled`: its turn will never run. */
export type CodexFailedSend = SendFailure & { idempotencyKey: string; commandId: string | undefined; inputText: string };

export type CodexComposer<Mutation extends RegisterTurnStartMutation> = {
  send: (args: CodexSendArgs<Mutation>) => Promise<FunctionReturnType<Mutation> & { idempotencyKey: string }>;
  /** Sends in flight. */
  pending: number;
  /** The last send's error, else the newest failed send's command error. */
  error: Error | undefined;
  /** Sends of this composer whose command failed or was cancelled (needs `commandStatus`), oldest first. */
  failed: CodexFailedSend[];
  /** Sends a failed send again under a new idempotency key; its failed message goes away. */
  retry: (idempotencyKey: string) => Promise<FunctionReturnType<Mutation> & { idempotencyKey: string }>;
  /** Drops a failed send (and its failed message) without sending it again. */
  dismiss: (idempotencyKey: string) => void;
};

export type CodexComposerOptions<Mutation extends RegisterTurnStartMutation> = {
  /**
   * The thread's `threadMessages` wrapper: the sent text shows in `useCodexMessages` at once
   * and until the durable user message arrives (or the send fails).
   */
  optimistic?: ThreadMessagesQuery;
  /** A custom optimistic update instead (not combined with `optimistic`). */
  optimisticUpdate?: OptimisticUpdate<FunctionArgs<Mutation>>;
  /**
   * The app's `commandStatus` wrapper: each send's command is watched until its turn starts,
   * and one that ends `failed` or `cancelled` is listed in `failed` (and, with `optimistic`,
   * its message is marked `failed` with the command's `error`).
   */
  commandStatus?: CommandStatusQuery;
};

export function useCodexComposer<Mutation extends RegisterTurnStartMutation>(
  mutation: Mutation,
  options: CodexComposerOptions<Mutation> = {},
): CodexComposer<Mutation> {
  const base = useMutation(mutation);
  const mutationName = getFunctionName(mutation);
  const pendingSends = pendingSendsOf(useConvex());
  const { optimistic: messagesQuery, optimisticUpdate, commandStatus } = options;
  const update = useMemo(() => {
    if (!messagesQuery) return optimisticUpdate;
    return optimisticallySendCodexMessage(messagesQuery, {
      onInsert: (message, sendArgs) =>
        pendingSends.add({ idempotencyKey: sendArgs.idempotencyKey, message, sendArgs, sentBy: mutationName }),
    }) as unknown as OptimisticUpdate<FunctionArgs<Mutation>>;
  }, [messagesQuery, optimisticUpdate, pendingSends, mutationName]);
  const run = useMemo(() => (update ? base.withOptimisticUpdate(update) : base), [base, update]);
  usePendingCommands(commandStatus, pendingSends);
  const watchesCommands = commandStatus !== undefined;

  const allPending = useSyncExternalStore(pendingSends.subscribe, pendingSends.getSnapshot, pendingSends.getSnapshot);
  const failed = useMemo(
    () =>
      allPending.flatMap((p): CodexFailedSend[] =>
        p.failure && p.sentBy === mutationName
          ? [{ ...p.failure, idempotencyKey: p.idempotencyKey, commandId: p.commandId, inputText: p.message?.text ?? String(p.sendArgs.inputText ?? "") }]
          : [],
      ),
    [allPending, mutationName],
  );
  const newestFailure = failed.at(-1)?.error;
  const failureError = useMemo(() => (newestFailure === undefined ? undefined : new Error(newestFailure)), [newestFailure]);

  const [pending, setPending] = useState(0);
  const [error, setError] = useState<Error | undefined>(undefined);
  const send = useCallback(
    async (args: CodexSendArgs<Mutation>) => {
      const idempotencyKey = args.idempotencyKey ?? newIdempotencyKey();
      setPending((n) => n + 1);
      try {
        const result = (await run({ ...args, idempotencyKey } as never)) as FunctionReturnType<Mutation>;
        // From here the send waits for its command's turn: tie it to the command to watch. With
        // no optimistic message there is no entry yet; watching the command still needs one.
        if (watchesCommands && !pendingSends.get(idempotencyKey)) {
          pendingSends.add({ idempotencyKey, sendArgs: { ...args, idempotencyKey }, sentBy: mutationName, commandId: result.commandId });
        } else {
          pendingSends.update(idempotencyKey, { commandId: result.commandId });
        }
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
    [run, pendingSends, watchesCommands, mutationName],
  );
  const retry = useCallback(
    async (idempotencyKey: string) => {
      const previous = pendingSends.get(idempotencyKey);
      if (!previous?.failure) throw new Error(`no failed send with idempotencyKey ${idempotencyKey}`);
      pendingSends.remove(idempotencyKey);
      const { idempotencyKey: _old, ...args } = previous.sendArgs;
      return await send(args as CodexSendArgs<Mutation>);
    },
    [pendingSends, send],
  );
  const dismiss = useCallback(
    (idempotencyKey: string) => {
      if (pendingSends.get(idempotencyKey)?.failure) pendingSends.remove(idempotencyKey);
    },
    [pendingSends],
  );
  return { send, pending, error: error ?? failureError, failed, retry, dismiss };
}
