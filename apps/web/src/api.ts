/** The example app's wrappers (apps/example/convex/chat.ts): what every component here calls. */
import type { CodexConversationApi } from "codex-local-component/react";
import { api } from "../../example/convex/_generated/api.js";

export const chat = api.chat;

/** Everything the conversation hook calls, once for the page (the hook compares references). */
export const conversationApi: CodexConversationApi = {
  threadState: chat.threadState,
  threadItems: chat.threadItems,
  threadMessages: chat.threadMessages,
  threadTurns: chat.threadTurns,
  registerTurnStart: chat.registerTurnStart,
  steerActiveTurn: chat.steerActiveTurn,
  interruptActiveTurn: chat.interruptActiveTurn,
  commandStatus: chat.commandStatus,
  cancelCommand: chat.cancelQueuedCommand,
  droppedEvents: chat.droppedEvents,
};
