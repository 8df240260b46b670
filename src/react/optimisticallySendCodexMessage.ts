/**
 * An optimistic update for the composer's mutation: the user's text shows at once as the
 * newest message of every loaded `threadMessages` first page of that thread. Convex drops
 * it when the mutation returns; given to `useCodexComposer` as `optimistic`, the message
 * then stays (see `pendingSends.ts`) until the durable user message carrying it arrives,
 * and `useCodexMessages` never shows both.
 */
import type { OptimisticLocalStore } from "convex/browser";
import type { FunctionArgs } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { OPTIMISTIC_ID_PREFIX } from "./mergeMessages.js";
import type { ThreadMessagesQuery } from "./references.js";
import type { CodexMessageDoc, ThreadMessagesResult } from "./types.js";

export type OptimisticSendArgs = { threadId: string; inputText: string; idempotencyKey: string; [arg: string]: unknown };

/**
 * Convex replays a pending optimistic update on every new server result, and a replay sees
 * newer messages than the first run did. The message keeps the position (order) of its first
 * run, so the durable copy — stored at or after that position — is recognised as its own.
 */
const firstOrder = new Map<string, number>();
function orderFor(idempotencyKey: string, proposed: number): number {
  const known = firstOrder.get(idempotencyKey);
  if (known !== undefined) return known;
  firstOrder.set(idempotencyKey, proposed);
  if (firstOrder.size > 256) firstOrder.delete(firstOrder.keys().next().value!);
  return proposed;
}

const same = (a: unknown, b: unknown) => JSON.stringify(convexToJson(a as Value)) === JSON.stringify(convexToJson(b as Value));

export type OptimisticSendOptions = {
  /** Called with each message inserted (also on Convex's replays of the update). */
  onInsert?: (message: CodexMessageDoc, args: OptimisticSendArgs) => void;
};

/** Arguments both sides name (e.g. `threadId`, `actor`) agree: the send belongs to that query. */
export function sendMatchesQuery(sendArgs: Readonly<Record<string, unknown>>, queryArgs: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(queryArgs).every(
    ([k, v]) => k === "paginationOpts" || k === "streamArgs" || !(k in sendArgs) || same(v, sendArgs[k]),
  );
}

export function optimisticallySendCodexMessage<Query extends ThreadMessagesQuery>(query: Query, options: OptimisticSendOptions = {}) {
  return (store: OptimisticLocalStore, args: OptimisticSendArgs): void => {
    for (const { args: queryArgs, value } of store.getAllQueries(query)) {
      if (!value || queryArgs.streamArgs !== undefined || queryArgs.paginationOpts.cursor !== null) continue;
      if (!sendMatchesQuery(args, queryArgs)) continue;
      const newest = value.page[0];
      const actor = (args.actor ?? {}) as { tenantId?: string; userId?: string };
      const now = Date.now();
      const message: CodexMessageDoc = {
        _id: `${OPTIMISTIC_ID_PREFIX}${args.idempotencyKey}` as CodexMessageDoc["_id"],
        _creationTime: now,
        tenantId: newest?.tenantId ?? actor.tenantId ?? "",
        userId: newest?.userId ?? actor.userId ?? "",
        threadId: args.threadId,
        turnId: "",
        itemId: `${OPTIMISTIC_ID_PREFIX}${args.idempotencyKey}`,
        role: "user",
        status: "completed",
        text: args.inputText,
        order: orderFor(args.idempotencyKey, (newest?.order ?? -1) + 1),
        createdAt: now,
      };
      options.onInsert?.(message, args);
      const next: ThreadMessagesResult = { ...value, page: [message, ...value.page] };
      store.setQuery(query, queryArgs as FunctionArgs<Query>, next as never);
    }
  };
}
