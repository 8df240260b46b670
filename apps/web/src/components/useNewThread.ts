import { newIdempotencyKey } from "codex-local-component/react";
import { useMutation, useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { chat } from "../api.js";

export type NewThread = { start(): void; pending: boolean; error: string | undefined; cancel(): void };

/**
 * "New thread" from this device: a `startThread` command a host runtime runs (codex names
 * the thread); once done, `onCreated` opens it. With no host online it waits, and can be
 * cancelled.
 */
export function useNewThread(onCreated: (threadId: string) => void): NewThread {
  const request = useMutation(chat.newThread);
  const cancelCommand = useMutation(chat.cancelQueuedCommand);
  const [commandId, setCommandId] = useState<string>();
  const [error, setError] = useState<string>();
  const command = useQuery(chat.commandStatus, commandId ? { commandId } : "skip");
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  useEffect(() => {
    if (!command) return;
    if (command.status === "done" && command.createdThreadId) {
      setCommandId(undefined);
      onCreated(command.createdThreadId);
    } else if (command.status === "failed" || command.status === "cancelled") {
      setCommandId(undefined);
      setError(command.status === "cancelled" ? undefined : (command.error ?? "the host could not start a thread"));
    }
  }, [command, onCreated]);

  return {
    start: () => {
      setError(undefined);
      request({ idempotencyKey: newIdempotencyKey() })
        .then((ticket) => setCommandId(String(ticket.commandId)))
        .catch(fail);
    },
    pending: commandId !== undefined,
    error,
    cancel: () => {
      if (commandId) cancelCommand({ commandId }).catch(fail);
    },
  };
}
