/**
 * The example app's public API over the codex component. Every wrapper derives the actor
 * from the signed-in identity (`actorFromAuth`); clients may name their device, never
 * their user. Device-facing wrappers come first, then the ones the local bridge calls.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import {
  actorFromAuth,
  getStreamCheckpoints,
  ingestEvents,
  listDroppedEvents,
  listItems,
  listMessages,
  listReasoningByThread,
  listTurnMessages,
  replayStreams,
  resumeStreamReplay,
  saveStreamCheckpoint,
  vInboundEvent,
  vIngestResult,
  vStreamCursor,
  archiveThread as archive,
  cancelCommand as cancel,
  claimCommand,
  closeSession,
  completeCommand,
  createThread,
  getCommand,
  getThreadState,
  getTokenUsage,
  listActiveSessions,
  listTurns,
  requestNewThread,
  setThreadName,
  unarchiveThread as unarchive,
  heartbeatSession,
  interruptTurn,
  listApprovals,
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

/** A new codex thread, started by whichever of the user's hosts takes it (see `commandStatus` for its id). */
export const newThread = mutation({
  args: { idempotencyKey: v.string(), deviceId },
  returns: vCodexResults.commandTicket,
  handler: async (ctx, { deviceId, ...args }) => requestNewThread(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId }), ...args }),
});

/** The name shown for the thread (in this backend; codex's own name is not changed). */
export const renameThread = mutation({
  args: { threadId: v.string(), name: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => setThreadName(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

/** Hides the thread from `listThreads` (unless `includeArchived`); nothing is deleted. */
export const archiveThread = mutation({
  args: { threadId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => archive(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const unarchiveThread = mutation({
  args: { threadId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => unarchive(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

/** The thread's turns, newest first (status, error, plan): what the conversation marks. */
export const threadTurns = query({
  args: { threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: vCodexResults.turnPage,
  handler: async (ctx, args) => listTurns(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

/** The thread's latest token usage (running total, context used), or null. */
export const tokenUsage = query({
  args: { threadId: v.string() },
  returns: vCodexResults.tokenUsageOrNull,
  handler: async (ctx, args) => getTokenUsage(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

/** The user's host runtimes with an active session: is anything there to run a turn? */
export const hostSessions = query({
  args: {},
  returns: vCodexResults.sessions,
  handler: async (ctx) => listActiveSessions(ctx, codex, { actor: await actorFromAuth(ctx) }),
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

/**
 * One queued command as the device that sent it sees it: a sent turn that ends `failed`
 * (its bridge session went stale, codex refused it) or `cancelled` carries its `error` here.
 * Another user's command reads as `null`.
 */
export const commandStatus = query({
  args: { commandId: v.string() },
  returns: vCodexResults.commandOrNull,
  handler: async (ctx, args) => getCommand(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
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

/** Withdraws a queued turn nobody claimed yet (e.g. no host is online to run it). */
export const cancelQueuedCommand = mutation({
  args: { commandId: v.string() },
  returns: vCodexResults.command,
  handler: async (ctx, args) => cancel(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
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

/** Answered and pending approvals, newest first: "accepted from the phone" after the fact. */
export const approvalHistory = query({
  args: { threadId: v.string(), turnId: v.optional(v.string()), paginationOpts: paginationOptsValidator },
  returns: vCodexResults.approvalPage,
  handler: async (ctx, args) => listApprovals(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
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
  args: { sessionId: v.string(), deviceId, staleAfterMs: v.optional(v.number()) },
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
  args: {
    sessionId: v.string(),
    commandId: v.string(),
    turnId: v.optional(v.string()),
    threadId: v.optional(v.string()),
    error: v.optional(v.string()),
  },
  returns: vCodexResults.command,
  handler: async (ctx, args) => completeCommand(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

// ---- Messages, items and streams (any device reads; the bridge ingests) ----

/** `list` = which streams exist; `deltas` = the text after each cursor the client holds. */
const vStreamArgs = v.union(
  v.object({ kind: v.literal("list") }),
  v.object({ kind: v.literal("deltas"), cursors: v.array(vStreamCursor) }),
);
const { page, isDone, continueCursor, splitCursor, pageStatus } = vCodexResults.messagePage.fields;
const replay = vCodexResults.replay.fields;

export const threadMessages = query({
  args: { threadId: v.string(), paginationOpts: paginationOptsValidator, streamArgs: v.optional(vStreamArgs) },
  returns: v.object({
    page,
    isDone,
    continueCursor,
    splitCursor,
    pageStatus,
    streams: v.optional(
      v.union(
        v.object({ kind: v.literal("list"), streams: replay.streams }),
        v.object({
          kind: v.literal("deltas"),
          deltas: replay.deltas,
          streamWindows: replay.streamWindows,
          nextCheckpoints: replay.nextCheckpoints,
        }),
      ),
    ),
  }),
  handler: async (ctx, args) => {
    const actor = await actorFromAuth(ctx);
    const paginated = await listMessages(ctx, codex, { actor, threadId: args.threadId, paginationOpts: args.paginationOpts });
    if (!args.streamArgs) return { ...paginated, streams: undefined };
    const cursors = args.streamArgs.kind === "deltas" ? args.streamArgs.cursors : [];
    const streams = await replayStreams(ctx, codex, { actor, threadId: args.threadId, streamCursorsById: cursors });
    if (args.streamArgs.kind === "list") return { ...paginated, streams: { kind: "list" as const, streams: streams.streams } };
    const { deltas, streamWindows, nextCheckpoints } = streams;
    return { ...paginated, streams: { kind: "deltas" as const, deltas, streamWindows, nextCheckpoints } };
  },
});

/** Reasoning segments (summary and raw), newest first, for `useCodexReasoning`. */
export const threadReasoning = query({
  args: { threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: vCodexResults.reasoningPage,
  handler: async (ctx, args) => listReasoningByThread(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const turnMessages = query({
  args: { threadId: v.string(), turnId: v.string() },
  returns: vCodexResults.messages,
  handler: async (ctx, args) => listTurnMessages(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const threadItems = query({
  args: { threadId: v.string(), turnId: v.optional(v.string()) },
  returns: vCodexResults.items,
  handler: async (ctx, args) => listItems(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

/** Events of the thread the bridge could not store, and why: "part of this turn was not saved". */
export const droppedEvents = query({
  args: { threadId: v.string() },
  returns: vCodexResults.droppedEvents,
  handler: async (ctx, args) => listDroppedEvents(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

/** The bridge sends one event (simple) or a whole outbox batch (what it should do). */
export const ingestEvent = mutation({
  args: { sessionId: v.string(), threadId: v.string(), event: vInboundEvent, deviceId: deviceId },
  returns: vIngestResult,
  handler: async (ctx, { event, deviceId, ...args }) =>
    ingestEvents(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId: deviceId }), ...args, events: [event] }),
});

export const ingestBatch = mutation({
  args: { sessionId: v.string(), threadId: v.string(), events: v.array(vInboundEvent), deviceId: deviceId },
  returns: vIngestResult,
  handler: async (ctx, { deviceId, ...args }) => ingestEvents(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId: deviceId }), ...args }),
});

export const streamSync = query({
  args: { threadId: v.string(), streamCursorsById: v.array(vStreamCursor) },
  returns: vCodexResults.replay,
  handler: async (ctx, args) => replayStreams(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const streamResume = query({
  args: { threadId: v.string(), turnId: v.string(), fromCursor: v.number() },
  returns: vCodexResults.replay,
  handler: async (ctx, args) => resumeStreamReplay(ctx, codex, { actor: await actorFromAuth(ctx), ...args }),
});

export const saveCheckpoint = mutation({
  args: { threadId: v.string(), cursors: v.array(vStreamCursor), deviceId: v.string() },
  returns: v.null(),
  handler: async (ctx, { deviceId, ...args }) => saveStreamCheckpoint(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId: deviceId }), ...args }),
});

export const checkpoints = query({
  args: { threadId: v.string(), deviceId: v.string() },
  returns: v.array(vStreamCursor),
  handler: async (ctx, { deviceId, ...args }) => getStreamCheckpoints(ctx, codex, { actor: await actorFromAuth(ctx, { deviceId: deviceId }), ...args }),
});
