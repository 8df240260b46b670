/**
 * The wrappers for a user's data over time: deletion (now or as a job), the thread controls
 * that reach codex through the command queue, imports of local codex threads, and the
 * readings codex reports (plan, token usage, rate limits). Devices call most of them; the
 * host runtime calls the import's sync-source wrappers and `recordRateLimits`.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { vImportChunkFields, vRateLimitSnapshot } from "../../component/validators.js";
import { archiveThread, requestCompactThread, requestForkThread, requestRollbackThread, setThreadName, unarchiveThread } from "../control.js";
import {
  appendConversationSyncSourceChunk,
  cancelConversationSyncJob,
  cancelDeletion,
  deleteThread,
  deleteTurn,
  forceRunDeletion,
  getConversationSyncJob,
  getCurrentPlan,
  getDeletionStatus,
  getRateLimits,
  getThreadSyncJob,
  getTurnTokenUsage,
  listConversationSyncJobs,
  listDeletionJobs,
  listTokenUsage,
  purgeActorData,
  recordRateLimits,
  scheduleDeleteThread,
  scheduleDeleteTurn,
  schedulePurgeActorData,
  sealConversationSyncSource,
  startConversationSyncSource,
} from "../lifecycle.js";
import { vCodexResults } from "../validators.js";
import { hostMutation, hostQuery, withoutDevice } from "./wrapper.js";

const deviceId = v.optional(v.string());
const delayMs = v.optional(v.number());

export const controlWrappers = {
  /** Renames the thread here at once, and in codex through a host. */
  renameThread: hostMutation({
    role: "device",
    args: { threadId: v.string(), name: v.string(), deviceId },
    returns: v.null(),
    run: (ctx, codex, actor, args) => setThreadName(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
  /** Hides the thread from `listThreads`; a host archives it in codex too. */
  archiveThread: hostMutation({
    role: "device",
    args: { threadId: v.string(), deviceId },
    returns: v.null(),
    run: (ctx, codex, actor, args) => archiveThread(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
  unarchiveThread: hostMutation({
    role: "device",
    args: { threadId: v.string(), deviceId },
    returns: v.null(),
    run: (ctx, codex, actor, args) => unarchiveThread(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
  /** A fork of the thread (through `lastTurnId`): the command's `createdThreadId` names it once a host ran it. */
  forkThread: hostMutation({
    role: "device",
    args: { threadId: v.string(), idempotencyKey: v.string(), lastTurnId: v.optional(v.string()), deviceId },
    returns: vCodexResults.commandTicket,
    run: (ctx, codex, actor, args) => requestForkThread(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
  /** Drops `beforeTurnId` and every later turn, in codex and then here (files on disk stay as they are). */
  rollbackThread: hostMutation({
    role: "device",
    args: { threadId: v.string(), beforeTurnId: v.string(), idempotencyKey: v.string(), deviceId },
    returns: vCodexResults.commandTicket,
    run: (ctx, codex, actor, args) => requestRollbackThread(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
  /** codex compacts the thread's context: a turn with a compaction marker. */
  compactThread: hostMutation({
    role: "device",
    args: { threadId: v.string(), idempotencyKey: v.string(), deviceId },
    returns: vCodexResults.commandTicket,
    run: (ctx, codex, actor, args) => requestCompactThread(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
};

export const deletionWrappers = {
  deleteThread: hostMutation({
    role: "device",
    args: { threadId: v.string() },
    returns: vCodexResults.deletionResult,
    run: (ctx, codex, actor, args) => deleteThread(ctx, codex, { actor, ...args }),
  }),
  scheduleDeleteThread: hostMutation({
    role: "device",
    args: { threadId: v.string(), delayMs },
    returns: vCodexResults.deletionTicket,
    run: (ctx, codex, actor, args) => scheduleDeleteThread(ctx, codex, { actor, ...args }),
  }),
  deleteTurn: hostMutation({
    role: "device",
    args: { threadId: v.string(), turnId: v.string() },
    returns: vCodexResults.deletionResult,
    run: (ctx, codex, actor, args) => deleteTurn(ctx, codex, { actor, ...args }),
  }),
  scheduleDeleteTurn: hostMutation({
    role: "device",
    args: { threadId: v.string(), turnId: v.string(), delayMs },
    returns: vCodexResults.deletionTicket,
    run: (ctx, codex, actor, args) => scheduleDeleteTurn(ctx, codex, { actor, ...args }),
  }),
  /** Everything the signed-in user has here (threads, sessions, limits, …); codex's own history is not touched. */
  purgeActorData: hostMutation({
    role: "device",
    args: {},
    returns: vCodexResults.deletionResult,
    run: (ctx, codex, actor) => purgeActorData(ctx, codex, { actor }),
  }),
  schedulePurgeActorData: hostMutation({
    role: "device",
    args: { delayMs },
    returns: vCodexResults.deletionTicket,
    run: (ctx, codex, actor, args) => schedulePurgeActorData(ctx, codex, { actor, ...args }),
  }),
  cancelDeletion: hostMutation({
    role: "device",
    args: { jobId: v.string() },
    returns: vCodexResults.deletionJob,
    run: (ctx, codex, actor, args) => cancelDeletion(ctx, codex, { actor, ...args }),
  }),
  forceRunDeletion: hostMutation({
    role: "device",
    args: { jobId: v.string() },
    returns: vCodexResults.deletionJob,
    run: (ctx, codex, actor, args) => forceRunDeletion(ctx, codex, { actor, ...args }),
  }),
  getDeletionStatus: hostQuery({
    role: "device",
    args: { jobId: v.string() },
    returns: vCodexResults.deletionJobOrNull,
    run: (ctx, codex, actor, args) => getDeletionStatus(ctx, codex, { actor, ...args }),
  }),
  listDeletionJobs: hostQuery({
    role: "device",
    args: { paginationOpts: paginationOptsValidator },
    returns: vCodexResults.deletionJobPage,
    run: (ctx, codex, actor, args) => listDeletionJobs(ctx, codex, { actor, ...args }),
  }),
};

export const syncWrappers = {
  startConversationSyncSource: hostMutation({
    role: "bridge",
    args: {
      threadId: v.string(),
      name: v.optional(v.string()),
      preview: v.optional(v.string()),
      model: v.optional(v.string()),
      cwd: v.optional(v.string()),
      forkedFromThreadId: v.optional(v.string()),
    },
    returns: vCodexResults.importJob,
    run: (ctx, codex, actor, args) => startConversationSyncSource(ctx, codex, { actor, ...args }),
  }),
  appendConversationSyncSourceChunk: hostMutation({
    role: "bridge",
    args: { jobId: v.string(), ...vImportChunkFields },
    returns: vCodexResults.importJob,
    run: (ctx, codex, actor, args) => appendConversationSyncSourceChunk(ctx, codex, { actor, ...args }),
  }),
  sealConversationSyncSource: hostMutation({
    role: "bridge",
    args: { jobId: v.string(), chunkCount: v.number() },
    returns: vCodexResults.importJob,
    run: (ctx, codex, actor, args) => sealConversationSyncSource(ctx, codex, { actor, ...args }),
  }),
  cancelConversationSyncJob: hostMutation({
    role: "device",
    args: { jobId: v.string() },
    returns: vCodexResults.importJob,
    run: (ctx, codex, actor, args) => cancelConversationSyncJob(ctx, codex, { actor, ...args }),
  }),
  getConversationSyncJob: hostQuery({
    role: "device",
    args: { jobId: v.string() },
    returns: vCodexResults.importJobOrNull,
    run: (ctx, codex, actor, args) => getConversationSyncJob(ctx, codex, { actor, ...args }),
  }),
  /** The thread's import (at most one per thread), or null. */
  threadSyncJob: hostQuery({
    role: "device",
    args: { threadId: v.string() },
    returns: vCodexResults.importJobOrNull,
    run: (ctx, codex, actor, args) => getThreadSyncJob(ctx, codex, { actor, ...args }),
  }),
  listConversationSyncJobs: hostQuery({
    role: "device",
    args: { paginationOpts: paginationOptsValidator },
    returns: vCodexResults.importJobPage,
    run: (ctx, codex, actor, args) => listConversationSyncJobs(ctx, codex, { actor, ...args }),
  }),
};

export const reportWrappers = {
  /** The thread's current plan (codex's `turn/plan/updated`) and its turn, or null. */
  threadPlan: hostQuery({
    role: "device",
    args: { threadId: v.string() },
    returns: vCodexResults.currentPlan,
    run: (ctx, codex, actor, args) => getCurrentPlan(ctx, codex, { actor, ...args }),
  }),
  /** One turn's token usage (`turn`: what it cost, beside the running total and the context window), or null. */
  turnTokenUsage: hostQuery({
    role: "device",
    args: { threadId: v.string(), turnId: v.string() },
    returns: vCodexResults.tokenUsageOrNull,
    run: (ctx, codex, actor, args) => getTurnTokenUsage(ctx, codex, { actor, ...args }),
  }),
  /** Every turn's token usage, most recent first. */
  threadTokenUsage: hostQuery({
    role: "device",
    args: { threadId: v.string(), paginationOpts: paginationOptsValidator },
    returns: vCodexResults.tokenUsagePage,
    run: (ctx, codex, actor, args) => listTokenUsage(ctx, codex, { actor, ...args }),
  }),
  /** The account's rate limits as codex last reported them. */
  rateLimits: hostQuery({
    role: "device",
    args: {},
    returns: vCodexResults.rateLimits,
    run: (ctx, codex, actor) => getRateLimits(ctx, codex, { actor }),
  }),
  recordRateLimits: hostMutation({
    role: "bridge",
    args: { snapshot: vRateLimitSnapshot },
    returns: v.null(),
    run: (ctx, codex, actor, args) => recordRateLimits(ctx, codex, { actor, ...args }),
  }),
};
