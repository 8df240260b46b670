/**
 * Conversation controls: they act on codex, and the backend learns of the result through
 * codex's own notifications (`thread/name/updated`, `thread/archived`, `thread/reverted`, a
 * fork's `thread/started`), like everything else — `control` makes sure those of a thread this
 * runtime did not open are persisted too. Plus what codex can tell about its threads: the
 * list (with message counts), the loaded ones, one thread's summary.
 */
import {
  buildThreadArchiveRequest,
  buildThreadCompactStartRequest,
  buildThreadListRequest,
  buildThreadLoadedListRequest,
  buildThreadReadRequest,
  buildThreadRevertRequest,
  buildThreadSetNameRequest,
  buildThreadUnarchiveRequest,
} from "../../app-server/index.js";
import type { CodexLocalBridge } from "../../bridge/index.js";
import type { ThreadReadResponse } from "../../protocol/generated/v2/ThreadReadResponse.js";
import type { ThreadStatus } from "../../protocol/generated/v2/ThreadStatus.js";
import type { TurnStatus } from "../../protocol/generated/v2/TurnStatus.js";
import { turnPages } from "./history.js";

export type ThreadSummary = { threadId: string; preview: string; updatedAt: number; messageCount: number };

/** One thread as codex has it: what a list row or a header shows. */
export type ThreadDetails = {
  threadId: string;
  name: string | null;
  preview: string;
  /** Unix seconds, as codex reports it. */
  updatedAt: number;
  /** codex's runtime status (`idle`, `active`, `notLoaded`, `systemError`). */
  status: ThreadStatus["type"];
  forkedFromThreadId: string | null;
  turnCount: number;
  /** User and agent messages. */
  messageCount: number;
  lastTurn: { turnId: string; status: TurnStatus } | null;
};

/** thread/read calls in flight at once while counting messages for a list page. */
const READ_FANOUT = 4;

const isMessage = (item: { type: string }) => item.type === "userMessage" || item.type === "agentMessage";

export function conversationControls(bridge: CodexLocalBridge, requireThread: (threadId?: string) => string, control: (threadId: string) => void) {
  /** The thread a control acts on, whose reports are persisted. */
  const controlled = (threadId?: string) => {
    const id = requireThread(threadId);
    control(id);
    return id;
  };
  return {
    /** Names the thread in codex; the backend follows from `thread/name/updated`. */
    async setThreadName(name: string, threadId?: string) {
      await bridge.request(buildThreadSetNameRequest(controlled(threadId), name));
    },
    async archiveThread(threadId?: string) {
      await bridge.request(buildThreadArchiveRequest(controlled(threadId)));
    },
    async unarchiveThread(threadId?: string) {
      await bridge.request(buildThreadUnarchiveRequest(controlled(threadId)));
    },
    /** codex summarizes the conversation to free context: a turn with a `contextCompaction` item. */
    async compactThread(threadId?: string) {
      await bridge.request(buildThreadCompactStartRequest(requireThread(threadId)));
    },
    /**
     * Drops `beforeTurnId` and every later turn from codex's history (codex 0.169 `thread/revert`;
     * files on disk are not reverted); the backend deletes them when codex reports it.
     */
    async rollbackThread(beforeTurnId: string, threadId?: string) {
      return await bridge.request(buildThreadRevertRequest(controlled(threadId), beforeTurnId));
    },
    async readThread(threadId?: string, includeTurns = true): Promise<ThreadReadResponse> {
      return await bridge.request(buildThreadReadRequest(requireThread(threadId), includeTurns));
    },
    /** codex's threads, newest first; `messageCount` (user + agent messages) read per thread. */
    async listThreads(args: { cursor?: string; limit?: number; archived?: boolean } = {}): Promise<{ data: ThreadSummary[]; nextCursor: string | null }> {
      const page = await bridge.request(buildThreadListRequest({ cursor: args.cursor ?? null, limit: args.limit ?? 20, archived: args.archived ?? null }));
      const data = await mapLimited(page.data, READ_FANOUT, async (thread): Promise<ThreadSummary> => {
        let messageCount = 0;
        try {
          const read = await bridge.request(buildThreadReadRequest(thread.id, true));
          for (const turn of read.thread.turns) messageCount += turn.items.filter(isMessage).length;
        } catch {
          // A thread codex cannot read (e.g. never materialized) counts as empty.
        }
        return { threadId: thread.id, preview: thread.preview, updatedAt: thread.updatedAt, messageCount };
      });
      return { data, nextCursor: page.nextCursor };
    },
    /** The threads codex has loaded in this process (`thread/loaded/list`), in pages. */
    async listLoadedThreads(args: { cursor?: string; limit?: number } = {}): Promise<{ data: string[]; nextCursor: string | null }> {
      return await bridge.request(buildThreadLoadedListRequest({ cursor: args.cursor ?? null, limit: args.limit ?? null }));
    },
    /** Name, preview, status, counts and the last turn's status of one thread, its turns read in pages. */
    async getThreadSummary(threadId?: string): Promise<ThreadDetails> {
      const id = requireThread(threadId);
      const { thread } = await bridge.request(buildThreadReadRequest(id, false));
      let turnCount = 0;
      let messageCount = 0;
      let lastTurn: ThreadDetails["lastTurn"] = null;
      for await (const page of turnPages(bridge, id)) {
        for (const turn of page.turns) {
          turnCount++;
          messageCount += turn.items.filter(isMessage).length;
          lastTurn = { turnId: turn.id, status: turn.status };
        }
      }
      return {
        threadId: id,
        name: thread.name,
        preview: thread.preview,
        updatedAt: thread.updatedAt,
        status: thread.status.type,
        forkedFromThreadId: thread.forkedFromId,
        turnCount,
        messageCount,
        lastTurn,
      };
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
