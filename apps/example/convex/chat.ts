/**
 * The example app's public API over the codex component. Every wrapper derives the actor
 * from the signed-in identity (`actorFromAuth`); clients may name their device, never
 * their user. Device-facing wrappers come first, then the ones the local bridge calls.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import {
  actorFromAuth,
  claimCommand,
  closeSession,
  completeCommand,
  createThread,
  getThreadState,
  heartbeatSession,
  interruptTurn,
  listPendingApprovals,
  listPendingCommands,
  listPendingServerRequests,
  listThreads as listCodexThreads,
  openSession,
  resolvePendingServerRequest,
  respondToApproval,
  resumeThread,
  startTurn,
  steerTurn,
  vApprovalDecision,
  vCodexResults,
  vRequestId,
} from "codex-local-component/client";
import { components } from "./_generated/api";
import { mutation, query } from "./_generated/server";

const codex = components.codexLocal;
const deviceId = v.optional(v.string());

// ---- Threads and turns (any device) ----

export const ensureThread = mutation({
  args: { threadId: v.string(), name: v.optional(v.string()), model: v.optional(v.string()), cwd: v.optional(v.string()), deviceId },
  returns: vCodexResults.threadCreated,
  handler: async (ctx, { deviceId, ...args }) =>
    createThread(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId }), ...args }),
});

export const listThreads = query({
  args: { paginationOpts: paginationOptsValidator, includeArchived: v.optional(v.boolean()) },
  returns: vCodexResults.threadPage,
  handler: async (ctx, args) => listCodexThreads(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const threadState = query({
  args: { threadId: v.string() },
  returns: vCodexResults.threadState,
  handler: async (ctx, args) => getThreadState(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const resume = mutation({
  args: { threadId: v.string(), deviceId },
  returns: vCodexResults.threadState,
  handler: async (ctx, { deviceId, ...args }) =>
    resumeThread(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId }), ...args }),
});

export const registerTurnStart = mutation({
  args: { threadId: v.string(), inputText: v.string(), idempotencyKey: v.string(), deviceId },
  returns: vCodexResults.commandTicket,
  handler: async (ctx, args) =>
    startTurn(ctx, codex, {
      actor: await actorFromAuth(ctx, { deviceId: args.deviceId }),
      threadId: args.threadId,
      idempotencyKey: args.idempotencyKey,
      input: [{ type: "text", text: args.inputText }],
    }),
});

export const steerActiveTurn = mutation({
  args: { threadId: v.string(), inputText: v.string(), idempotencyKey: v.string(), deviceId },
  returns: vCodexResults.commandTicket,
  handler: async (ctx, args) =>
    steerTurn(ctx, codex, {
      actor: await actorFromAuth(ctx, { deviceId: args.deviceId }),
      threadId: args.threadId,
      idempotencyKey: args.idempotencyKey,
      input: [{ type: "text", text: args.inputText }],
    }),
});

export const interruptActiveTurn = mutation({
  args: { threadId: v.string(), turnId: v.optional(v.string()), deviceId },
  returns: vCodexResults.commandTicket,
  handler: async (ctx, { deviceId, ...args }) =>
    interruptTurn(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId }), ...args }),
});

// ---- Approvals and other codex requests (any device) ----

export const pendingApprovals = query({
  args: { threadId: v.string() },
  returns: vCodexResults.approvals,
  handler: async (ctx, args) => listPendingApprovals(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const approvalRespond = mutation({
  args: {
    threadId: v.string(),
    turnId: v.string(),
    itemId: v.string(),
    decision: vApprovalDecision,
    reason: v.optional(v.string()),
    deviceId,
  },
  returns: vCodexResults.approvalAnswer,
  handler: async (ctx, { deviceId, ...args }) =>
    respondToApproval(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId }), ...args }),
});

export const pendingServerRequests = query({
  args: { threadId: v.string() },
  returns: vCodexResults.serverRequests,
  handler: async (ctx, args) => listPendingServerRequests(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const resolveServerRequest = mutation({
  args: { threadId: v.string(), sessionId: v.string(), requestId: vRequestId, responseJson: v.string(), deviceId },
  returns: vCodexResults.serverRequestAnswer,
  handler: async (ctx, { deviceId, ...args }) =>
    resolvePendingServerRequest(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId }), ...args }),
});

// ---- The local bridge: its session and the command queue ----

export const sessionOpen = mutation({
  args: { sessionId: v.string(), deviceId },
  returns: vCodexResults.sessionInfo,
  handler: async (ctx, { deviceId, ...args }) =>
    openSession(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId }), deviceId, ...args }),
});

export const sessionHeartbeat = mutation({
  args: { sessionId: v.string() },
  returns: vCodexResults.sessionInfo,
  handler: async (ctx, args) => heartbeatSession(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const sessionClose = mutation({
  args: { sessionId: v.string() },
  returns: vCodexResults.sessionRetired,
  handler: async (ctx, args) => closeSession(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const commandsPending = query({
  args: { threadId: v.optional(v.string()), sessionId: v.optional(v.string()) },
  returns: vCodexResults.commands,
  handler: async (ctx, args) => listPendingCommands(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const commandClaim = mutation({
  args: { sessionId: v.string(), commandId: v.string() },
  returns: vCodexResults.command,
  handler: async (ctx, args) => claimCommand(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const commandComplete = mutation({
  args: { sessionId: v.string(), commandId: v.string(), turnId: v.optional(v.string()), error: v.optional(v.string()) },
  returns: vCodexResults.command,
  handler: async (ctx, args) => completeCommand(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});
