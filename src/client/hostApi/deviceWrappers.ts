/**
 * The wrappers any device of the user calls: threads, turns, queued commands, approvals and
 * other codex requests. A device may name itself (`deviceId`, a label, not a credential);
 * who the user is comes from the server-side actor only.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { vActor, vApprovalDecision, vRequestId } from "../../component/validators.js";
import { cancelCommand, getCommand, listActiveSessions } from "../commands.js";
import {
  createThread,
  getThreadState,
  interruptTurn,
  listApprovals,
  listPendingApprovals,
  listPendingGlobalServerRequests,
  listPendingServerRequests,
  listThreads,
  listTurns,
  requestNewThread,
  resolvePendingServerRequest,
  respondToApproval,
  resumeThread,
  startTurn,
  steerTurn,
} from "../control.js";
import { vCodexResults } from "../validators.js";
import { hostMutation, hostQuery, withoutDevice } from "./wrapper.js";

const deviceId = v.optional(v.string());
const text = (inputText: string) => [{ type: "text" as const, text: inputText }];

export const deviceWrappers = {
  /** The actor this deployment derives for the caller: what the bridge checks its token with. */
  whoami: hostQuery({
    role: "device",
    args: { deviceId },
    returns: vActor,
    run: async (_ctx, _codex, actor) => actor,
  }),

  ensureThread: hostMutation({
    role: "device",
    args: { threadId: v.string(), name: v.optional(v.string()), model: v.optional(v.string()), cwd: v.optional(v.string()), deviceId },
    returns: vCodexResults.threadCreated,
    run: (ctx, codex, actor, args) => createThread(ctx, codex, { actor, ...withoutDevice(args) }),
  }),

  listThreads: hostQuery({
    role: "device",
    args: { paginationOpts: paginationOptsValidator, includeArchived: v.optional(v.boolean()) },
    returns: vCodexResults.threadPage,
    run: (ctx, codex, actor, args) => listThreads(ctx, codex, { actor, ...args }),
  }),

  threadState: hostQuery({
    role: "device",
    args: { threadId: v.string() },
    returns: vCodexResults.threadState,
    run: (ctx, codex, actor, args) => getThreadState(ctx, codex, { actor, ...args }),
  }),

  /** A new codex thread, started by whichever of the user's hosts takes it (its id: `commandStatus`'s `createdThreadId`). */
  newThread: hostMutation({
    role: "device",
    args: { idempotencyKey: v.string(), deviceId },
    returns: vCodexResults.commandTicket,
    run: (ctx, codex, actor, args) => requestNewThread(ctx, codex, { actor, ...withoutDevice(args) }),
  }),

  /** The thread's turns, newest first (status, error, plan): what the conversation marks. */
  threadTurns: hostQuery({
    role: "device",
    args: { threadId: v.string(), paginationOpts: paginationOptsValidator },
    returns: vCodexResults.turnPage,
    run: (ctx, codex, actor, args) => listTurns(ctx, codex, { actor, ...args }),
  }),

  /** The user's host runtimes with an active session: is anything there to run a turn? */
  hostSessions: hostQuery({
    role: "device",
    args: {},
    returns: vCodexResults.sessions,
    run: (ctx, codex, actor) => listActiveSessions(ctx, codex, { actor }),
  }),

  resume: hostMutation({
    role: "device",
    args: { threadId: v.string(), deviceId },
    returns: vCodexResults.threadState,
    run: (ctx, codex, actor, args) => resumeThread(ctx, codex, { actor, ...withoutDevice(args) }),
  }),

  registerTurnStart: hostMutation({
    role: "device",
    args: { threadId: v.string(), inputText: v.string(), idempotencyKey: v.string(), deviceId },
    returns: vCodexResults.commandTicket,
    run: (ctx, codex, actor, args) =>
      startTurn(ctx, codex, { actor, threadId: args.threadId, idempotencyKey: args.idempotencyKey, input: text(args.inputText) }),
  }),

  /**
   * One queued command as the device that sent it sees it: a sent turn that ends `failed`
   * (its bridge session went stale, codex refused it) or `cancelled` carries its `error`.
   * Another user's command reads as `null`.
   */
  commandStatus: hostQuery({
    role: "device",
    args: { commandId: v.string() },
    returns: vCodexResults.commandOrNull,
    run: (ctx, codex, actor, args) => getCommand(ctx, codex, { actor, ...args }),
  }),

  /** Withdraws a queued command nobody claimed yet (a turn no host picked up, say). */
  cancelQueuedCommand: hostMutation({
    role: "device",
    args: { commandId: v.string() },
    returns: vCodexResults.command,
    run: (ctx, codex, actor, args) => cancelCommand(ctx, codex, { actor, ...args }),
  }),

  steerActiveTurn: hostMutation({
    role: "device",
    args: { threadId: v.string(), inputText: v.string(), idempotencyKey: v.string(), deviceId },
    returns: vCodexResults.commandTicket,
    run: (ctx, codex, actor, args) =>
      steerTurn(ctx, codex, { actor, threadId: args.threadId, idempotencyKey: args.idempotencyKey, input: text(args.inputText) }),
  }),

  interruptActiveTurn: hostMutation({
    role: "device",
    args: { threadId: v.string(), turnId: v.optional(v.string()), deviceId },
    returns: vCodexResults.commandTicket,
    run: (ctx, codex, actor, args) => interruptTurn(ctx, codex, { actor, ...withoutDevice(args) }),
  }),

  pendingApprovals: hostQuery({
    role: "device",
    args: { threadId: v.string() },
    returns: vCodexResults.approvals,
    run: (ctx, codex, actor, args) => listPendingApprovals(ctx, codex, { actor, ...args }),
  }),

  /** Answered and pending approvals, newest first: "accepted from the phone" after the fact. */
  approvalHistory: hostQuery({
    role: "device",
    args: { threadId: v.string(), turnId: v.optional(v.string()), paginationOpts: paginationOptsValidator },
    returns: vCodexResults.approvalPage,
    run: (ctx, codex, actor, args) => listApprovals(ctx, codex, { actor, ...args }),
  }),

  approvalRespond: hostMutation({
    role: "device",
    args: {
      threadId: v.string(),
      turnId: v.string(),
      itemId: v.string(),
      decision: vApprovalDecision,
      reason: v.optional(v.string()),
      deviceId,
    },
    returns: vCodexResults.approvalAnswer,
    run: (ctx, codex, actor, args) => respondToApproval(ctx, codex, { actor, ...withoutDevice(args) }),
  }),

  pendingServerRequests: hostQuery({
    role: "device",
    args: { threadId: v.string() },
    returns: vCodexResults.serverRequests,
    run: (ctx, codex, actor, args) => listPendingServerRequests(ctx, codex, { actor, ...args }),
  }),

  /** Requests codex sent that belong to no thread (an account token refresh, …): any device may answer them. */
  pendingGlobalRequests: hostQuery({
    role: "device",
    args: {},
    returns: vCodexResults.serverRequests,
    run: (ctx, codex, actor) => listPendingGlobalServerRequests(ctx, codex, { actor }),
  }),

  /** `threadId` omitted: answers a request of no thread. */
  resolveServerRequest: hostMutation({
    role: "device",
    args: { threadId: v.optional(v.string()), sessionId: v.string(), requestId: vRequestId, responseJson: v.string(), deviceId },
    returns: vCodexResults.serverRequestAnswer,
    run: (ctx, codex, actor, args) => resolvePendingServerRequest(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
};
