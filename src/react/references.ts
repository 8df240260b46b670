/**
 * The function references the hooks accept: the app's own host wrappers, typed by the
 * arguments the hooks add and the results they read. A wrapper may take more arguments
 * (an `actor`, say); the hooks pass those through untouched.
 */
import type { FunctionReference, PaginationOptions, PaginationResult } from "convex/server";
import type {
  ApprovalDecision,
  CodexApprovalDoc,
  CodexCurrentPlan,
  CodexDeletionJobDoc,
  CodexImportJobDoc,
  CodexItemDoc,
  CodexRateLimitDoc,
  CodexMessageDoc,
  CodexReasoningDoc,
  CodexThreadDoc,
  ReplayResult,
  StreamArgs,
  StreamCursor,
  ThreadMessagesResult,
} from "./types.js";

export type ThreadMessagesQuery = FunctionReference<
  "query",
  "public",
  { threadId: string; paginationOpts: PaginationOptions; streamArgs?: StreamArgs },
  ThreadMessagesResult
>;

export type ThreadReasoningQuery = FunctionReference<
  "query",
  "public",
  { threadId: string; paginationOpts: PaginationOptions },
  PaginationResult<CodexReasoningDoc>
>;

export type TurnMessagesQuery = FunctionReference<
  "query",
  "public",
  { threadId: string; turnId: string },
  CodexMessageDoc[]
>;

export type ThreadItemsQuery = FunctionReference<"query", "public", { threadId: string }, CodexItemDoc[]>;

/** A thread's items newest first, in pages (the example's `threadItemsPage`). */
export type ThreadItemsPageQuery = FunctionReference<
  "query",
  "public",
  { threadId: string; paginationOpts: PaginationOptions },
  PaginationResult<CodexItemDoc>
>;

/** Any thread-state wrapper; its result is read defensively (see `readThreadState`). */
export type ThreadStateQuery = FunctionReference<"query", "public", { threadId: string }, unknown>;

export type StreamSyncQuery = FunctionReference<
  "query",
  "public",
  { threadId: string; streamCursorsById: StreamCursor[] },
  ReplayResult
>;

export type PendingApprovalsQuery = FunctionReference<"query", "public", { threadId: string }, CodexApprovalDoc[]>;

export type ApprovalRespondMutation = FunctionReference<
  "mutation",
  "public",
  { threadId: string; turnId: string; itemId: string; decision: ApprovalDecision; reason?: string },
  unknown
>;

export type TurnStartResult = { commandId: string; status: string; deduplicated: boolean };

export type RegisterTurnStartMutation = FunctionReference<
  "mutation",
  "public",
  { threadId: string; inputText: string; idempotencyKey: string },
  TurnStartResult
>;

/** What the hooks read of a command: its status and, once it `failed`, why. */
export type CommandStatusResult = { status: string; error?: string } | null;

/** One command by id (e.g. the example's `commandStatus`): watched while a sent turn waits. */
export type CommandStatusQuery = FunctionReference<"query", "public", { commandId: string }, CommandStatusResult>;

export type InterruptTurnMutation = FunctionReference<"mutation", "public", { threadId: string; turnId?: string }, unknown>;

/** Adds input to the running turn (codex `turn/steer`), e.g. the example's `steerActiveTurn`. */
export type SteerTurnMutation = FunctionReference<
  "mutation",
  "public",
  { threadId: string; inputText: string; idempotencyKey: string },
  unknown
>;

/** A thread's turns, newest first, paginated (e.g. the example's `threadTurns`): status, error, plan. */
export type ThreadTurnsQuery = FunctionReference<
  "query",
  "public",
  { threadId: string; paginationOpts: PaginationOptions },
  PaginationResult<unknown>
>;

/** What the backend refused to store for a thread (e.g. the example's `droppedEvents`), newest first. */
export type DroppedEventsQuery = FunctionReference<
  "query",
  "public",
  { threadId: string },
  Array<{ _id: string; createdAt: number; turnId?: string; itemId?: string; dropped: { eventType: string; kind?: string; code: string; message: string } }>
>;

/** Withdraws a queued command nobody claimed (e.g. the example's `cancelQueuedCommand`). */
export type CancelCommandMutation = FunctionReference<"mutation", "public", { commandId: string }, unknown>;

/** The signed-in user's active host sessions (e.g. the example's `hostSessions`). */
export type HostSessionsQuery = FunctionReference<
  "query",
  "public",
  Record<string, never>,
  Array<{ sessionId: string; deviceId?: string; staleAt: number; lastHeartbeatAt: number }>
>;

/** Token counts as codex reports them. */
export type TokenBreakdown = { totalTokens: number; inputTokens: number; cachedInputTokens: number; outputTokens: number; reasoningOutputTokens: number };

/**
 * A thread's latest token usage (e.g. the example's `tokenUsage`), or one turn's
 * (`turnTokenUsage`, which also takes `turnId`), or null.
 */
export type TokenUsageQuery = FunctionReference<
  "query",
  "public",
  { threadId: string },
  { totalTokens: number; contextTokens?: number; modelContextWindow?: number; inputTokens: number; outputTokens: number; turn?: TokenBreakdown } | null
>;

/** The thread's current plan with its turn (e.g. the example's `threadPlan`), or null. */
export type ThreadPlanQuery = FunctionReference<"query", "public", { threadId: string }, CodexCurrentPlan | null>;

/** The account's rate limits as codex last reported them (e.g. the example's `rateLimits`). */
export type RateLimitsQuery = FunctionReference<"query", "public", Record<string, never>, CodexRateLimitDoc[]>;

/** One deletion job by id (e.g. the example's `getDeletionStatus`), or null. */
export type DeletionStatusQuery = FunctionReference<"query", "public", { jobId: string }, CodexDeletionJobDoc | null>;

/** An import job: the thread's (e.g. the example's `threadSyncJob`, `{ threadId }`) or one by id (`getConversationSyncJob`, `{ jobId }`). */
export type SyncJobQuery = FunctionReference<"query", "public", { threadId: string } | { jobId: string }, CodexImportJobDoc | null>;

/** A mutation on one deletion job (e.g. the example's `cancelDeletion`, `forceRunDeletion`). */
export type DeletionJobMutation = FunctionReference<"mutation", "public", { jobId: string }, unknown>;

/** The wrapper's arguments minus the ones a hook fills in itself. */
export type ArgsWithout<Ref extends FunctionReference<"query" | "mutation">, Filled extends string> = Omit<
  Ref["_args"],
  Filled
>;

/** A thread-list wrapper (e.g. the example's `listThreads`): the owner's threads, most recently updated first. */
export type ThreadListQuery = FunctionReference<
  "query",
  "public",
  { paginationOpts: PaginationOptions },
  PaginationResult<CodexThreadDoc>
>;
