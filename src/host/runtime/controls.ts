/**
 * Conversation controls: they act on codex; the backend learns of the result through codex's
 * own notifications (e.g. `thread/name/updated`), like everything else.
 */
import {
  buildThreadArchiveRequest,
  buildThreadCompactStartRequest,
  buildThreadListRequest,
  buildThreadReadRequest,
  buildThreadRevertRequest,
  buildThreadSetNameRequest,
  buildThreadUnarchiveRequest,
} from "../../app-server/index.js";
import type { CodexLocalBridge } from "../../bridge/index.js";
import type { ThreadReadResponse } from "../../protocol/generated/v2/ThreadReadResponse.js";

export type ThreadSummary = { threadId: string; preview: string; updatedAt: number; messageCount: number };

/** thread/read calls in flight at once while counting messages for a list page. */
const READ_FANOUT = 4;

export function conversationControls(bridge: CodexLocalBridge, requireThread: (threadId?: string) => string) {
  return {
    async renameThread(name: string, threadId?: string) {
      await bridge.request(buildThreadSetNameRequest(requireThread(threadId), name));
    },
    async archiveThread(threadId?: string) {
      await bridge.request(buildThreadArchiveRequest(requireThread(threadId)));
    },
    async unarchiveThread(threadId?: string) {
      await bridge.request(buildThreadUnarchiveRequest(requireThread(threadId)));
    },
    async compactThread(threadId?: string) {
      await bridge.request(buildThreadCompactStartRequest(requireThread(threadId)));
    },
    /** Drops `beforeTurnId` and every later turn from codex's history (codex 0.169 `thread/revert`). */
    async rollbackThread(beforeTurnId: string, threadId?: string) {
      return await bridge.request(buildThreadRevertRequest(requireThread(threadId), beforeTurnId));
    },
    async readThread(threadId?: string, includeTurns = true): Promise<ThreadReadResponse> {
      return await bridge.request(buildThreadReadRequest(requireThread(threadId), includeTurns));
    },
    /** codex's threads, newest first; `messageCount` (user + agent messages) read per thread. */
    async listThreads(args: { cursor?: string; limit?: number } = {}): Promise<{ data: ThreadSummary[]; nextCursor: string | null }> {
      const page = await bridge.request(buildThreadListRequest({ cursor: args.cursor ?? null, limit: args.limit ?? 20 }));
      const data = await mapLimited(page.data, READ_FANOUT, async (thread): Promise<ThreadSummary> => {
        let messageCount = 0;
        try {
          const read = await bridge.request(buildThreadReadRequest(thread.id, true));
          for (const turn of read.thread.turns) {
            messageCount += turn.items.filter((i) => i.type === "userMessage" || i.type === "agentMessage").length;
          }
        } catch {
          // A thread codex cannot read (e.g. never materialized) counts as empty.
        }
        return { threadId: thread.id, preview: thread.preview, updatedAt: thread.updatedAt, messageCount };
      });
      return { data, nextCursor: page.nextCursor };
    },
  };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
