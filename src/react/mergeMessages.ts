/**
 * Durable messages + streaming overlay → one chronological list. Pure, so the rules that
 * keep a message from showing twice or getting stuck are tested without React:
 * - one entry per codex item: a stream and its durable row meet on `turnId` + `itemId`
 *   (providers may reuse item ids in every response, so an item id alone names nothing);
 * - a durable row that is no longer `streaming` wins over any overlay;
 * - a stream that ended with no durable row among the loaded ones is not shown: its row was
 *   written in the transaction that ended it, so it is older than the loaded page (an old
 *   interrupted reply must not surface below the newest answer);
 * - an optimistic user message gives way to the durable user message that carries it,
 *   unless its send failed (then it stays, marked, and claims nothing).
 */
import type { CodexStream } from "./streamSync.js";
import type { CodexMessageDoc } from "./types.js";

export type CodexMessage = CodexMessageDoc & {
  /** Stable across overlay → durable: use it as the React key. */
  key: string;
  /** True while the text comes from a live stream. */
  streaming: boolean;
  /** True for a message inserted by `optimisticallySendCodexMessage` not yet stored. */
  optimistic: boolean;
  /** An optimistic message whose turn will never run: its command ended `failed` or `cancelled`. */
  failed: boolean;
  /** Why it failed (the command's error), with `failed`. */
  error?: string;
  /** The send's idempotency key, on optimistic messages (for `useCodexComposer`'s `retry` / `dismiss`). */
  idempotencyKey?: string;
};

/** A row to merge: durable, or an optimistic one that may carry its send's failure. */
export type MergeInput = CodexMessageDoc & { failed?: boolean; error?: string };

export const OPTIMISTIC_ID_PREFIX = "optimistic:";

/** One codex item within its turn: the identity of a message, and its React key. */
export function messageKey(turnId: string, itemId: string): string {
  return `${turnId}/${itemId}`;
}

export function isOptimistic(message: Pick<CodexMessageDoc, "_id">): boolean {
  return (message._id as string).startsWith(OPTIMISTIC_ID_PREFIX);
}


/**
 * @param durable messages as pages deliver them (any order; sorted here by `order`)
 * @param streams agent-message streams from the overlay
 */
export function mergeMessages(
  durable: readonly MergeInput[],
  streams: readonly CodexStream[],
  threadId = "",
): CodexMessage[] {
  const sorted = [...durable].sort((a, b) => a.order - b.order || a._creationTime - b._creationTime);
  const stored = sorted.filter((m) => !isOptimistic(m));
  const claimed = new Set<string>();
  const result: CodexMessage[] = [];
  for (const m of sorted) {
    if (isOptimistic(m)) {
      const idempotencyKey = (m._id as string).slice(OPTIMISTIC_ID_PREFIX.length);
      if (m.failed) {
        result.push({ ...m, key: m._id, streaming: false, optimistic: true, failed: true, idempotencyKey });
        continue;
      }
      // The durable user message that carries this text, stored at or after it, replaces it.
      const text = m.text.trim();
      const match = stored.find((d) => d.role === "user" && d.text.trim() === text && d.order >= m.order && !claimed.has(d._id));
      if (match) {
        claimed.add(match._id);
        continue;
      }
      result.push({ ...m, key: m._id, streaming: false, optimistic: true, failed: false, idempotencyKey });
      continue;
    }
    result.push({ ...m, key: messageKey(m.turnId, m.itemId), streaming: false, optimistic: false, failed: false });
  }

  const byItem = new Map(result.map((m, i) => [m.key, i]));
  for (const s of streams) {
    if (s.channel !== "agentMessage") continue;
    const key = messageKey(s.turnId, s.itemId);
    const at = byItem.get(key);
    if (at !== undefined) {
      const m = result[at]!;
      if (m.status !== "streaming" || m.optimistic) continue;
      if (s.text.length >= m.text.length) result[at] = { ...m, text: s.text, streaming: s.status === "streaming" };
      continue;
    }
    if (s.status !== "streaming") continue;
    const last = result[result.length - 1];
    result.push({
      _id: `stream:${s.streamId}` as CodexMessageDoc["_id"],
      _creationTime: last?._creationTime ?? 0,
      tenantId: last?.tenantId ?? "",
      userId: last?.userId ?? "",
      threadId: last?.threadId ?? threadId,
      turnId: s.turnId,
      itemId: s.itemId,
      role: "assistant",
      status: "streaming",
      text: s.text,
      streamId: s.streamId,
      order: (last?.order ?? -1) + 0.5,
      createdAt: last?.createdAt ?? 0,
      key,
      streaming: true,
      optimistic: false,
      failed: false,
    });
    byItem.set(key, result.length - 1);
  }
  return result;
}
