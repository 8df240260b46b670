/**
 * The example app's public API over the codex component: every wrapper the hooks and the
 * host runtime (`codex-local bridge`) call, generated. Each derives the actor from the
 * signed-in identity on the server; a client names at most its device.
 */
import { defineCodexHostApi } from "codex-local-component/client";
import { components } from "./_generated/api";

export const {
  whoami,
  ensureThread,
  listThreads,
  newThread,
  threadState,
  threadTurns,
  hostSessions,
  resume,
  registerTurnStart,
  commandStatus,
  cancelQueuedCommand,
  steerActiveTurn,
  interruptActiveTurn,
  pendingApprovals,
  approvalHistory,
  approvalRespond,
  pendingServerRequests,
  pendingGlobalRequests,
  resolveServerRequest,
  sessionOpen,
  sessionHeartbeat,
  sessionClose,
  commandsPending,
  commandClaim,
  commandComplete,
  serverRequestAnnounce,
  serverRequestSettle,
  ingestEvent,
  ingestBatch,
  threadMessages,
  threadReasoning,
  turnMessages,
  threadItems,
  droppedEvents,
  tokenUsage,
  streamSync,
  streamResume,
  saveCheckpoint,
  checkpoints,
} = defineCodexHostApi(components.codexLocal);
