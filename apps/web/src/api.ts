/**
 * What every component here calls: the example app's generated host API
 * (apps/example/convex/codex.ts), thread controls (rename, archive) included.
 */
import type { CodexConversationApi } from "codex-local-component/react";
import { api } from "../../example/convex/_generated/api.js";

export const chat = api.codex;
export const threads = api.codex;

/** Everything the conversation hook calls, once for the page (the hook compares references). */
export const conversationApi: CodexConversationApi = {
  threadState: chat.threadState,
  threadItems: chat.threadItems,
  threadItemsPage: chat.threadItemsPage,
  threadMessages: chat.threadMessages,
  threadTurns: chat.threadTurns,
  registerTurnStart: chat.registerTurnStart,
  steerActiveTurn: chat.steerActiveTurn,
  interruptActiveTurn: chat.interruptActiveTurn,
  commandStatus: chat.commandStatus,
  cancelQueuedCommand: chat.cancelQueuedCommand,
  droppedEvents: chat.droppedEvents,
  pendingApprovals: chat.pendingApprovals,
};
