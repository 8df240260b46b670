/**
 * Watches the commands of the client's sends that wait for their turn (see pendingSends.ts):
 * one `commandStatus` subscription per such send, none when nothing waits. A command that
 * ends `failed` or `cancelled` fails its send; one that ends `done` is no longer watched (the
 * durable user message follows and clears the send as usual).
 */
import { useQueries } from "convex/react";
import { getFunctionName } from "convex/server";
import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import type { PendingSends } from "./pendingSends.js";
import type { CommandStatusQuery, CommandStatusResult } from "./references.js";

const fallbackError = { failed: "the turn could not be started", cancelled: "the turn was cancelled before it started" };

export function usePendingCommands(query: CommandStatusQuery | undefined, store: PendingSends): void {
  const all = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const watchKey = JSON.stringify(
    query ? all.filter((p) => p.commandId !== undefined && !p.commandDone && !p.failure).map((p) => [p.idempotencyKey, p.commandId]) : [],
  );
  // `api.x.y` is a new object on each access: the subscriptions follow the function's name.
  const queryName = query ? getFunctionName(query) : undefined;
  const latestQuery = useRef(query);
  latestQuery.current = query;
  const requests = useMemo(() => {
    const watched = JSON.parse(watchKey) as Array<[string, string]>;
    const ref = latestQuery.current;
    if (!queryName || !ref || watched.length === 0) return {};
    return Object.fromEntries(watched.map(([idempotencyKey, commandId]) => [idempotencyKey, { query: ref, args: { commandId } }]));
  }, [queryName, watchKey]);
  const results = useQueries(requests) as Record<string, CommandStatusResult | Error | undefined>;
  useEffect(() => {
    for (const [idempotencyKey, result] of Object.entries(results)) {
      // Not loaded yet, not found (another user's), or an error reading it: nothing to say.
      if (!result || result instanceof Error) continue;
      if (result.status === "failed" || result.status === "cancelled") {
        store.update(idempotencyKey, { failure: { status: result.status, error: result.error ?? fallbackError[result.status] } });
      } else if (result.status === "done") {
        // A send with no message shown has nothing left to wait for; one with a message waits for its durable copy.
        if (store.get(idempotencyKey)?.message) store.update(idempotencyKey, { commandDone: true });
        else store.remove(idempotencyKey);
      }
    }
  }, [results, store]);
}
