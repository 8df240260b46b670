/**
 * Compile-time check (run by `pnpm typecheck`): wrappers typed the way seed 000 writes them —
 * an `actor` with a required deviceId, `streamArgs: v.optional(v.any())`, a narrower decision
 * union, a `turnId` on registerTurnStart — are accepted by the hooks' reference types.
 */
import type { FunctionReference, PaginationOptions, PaginationResult } from "convex/server";
import type {
  ApprovalRespondMutation,
  InterruptTurnMutation,
  PendingApprovalsQuery,
  RegisterTurnStartMutation,
  StreamSyncQuery,
  ThreadMessagesQuery,
  ThreadStateQuery,
  TurnMessagesQuery,
} from "../references.js";
import type { CodexApprovalDoc, CodexMessageDoc, ReplayResult, ThreadStreamsResult } from "../types.js";

type Actor = { tenantId: string; userId: string; deviceId: string };

type SeedThreadMessages = FunctionReference<
  "query",
  "public",
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the seed's `v.any()`
  { actor: Actor; threadId: string; paginationOpts: PaginationOptions; streamArgs?: any },
  PaginationResult<CodexMessageDoc> & { streams: ThreadStreamsResult | undefined }
>;
type SeedApprovalRespond = FunctionReference<
  "mutation",
  "public",
  { actor: Actor; threadId: string; turnId: string; itemId: string; decision: "accepted" | "declined"; reason?: string },
  null
>;
type SeedRegisterTurnStart = FunctionReference<
  "mutation",
  "public",
  { actor: Actor; threadId: string; turnId: string; inputText: string; idempotencyKey: string },
  { commandId: string; status: string; deduplicated: boolean }
>;

type Accepts<Wanted, Given extends Wanted> = Given;
export type Checks = [
  Accepts<ThreadMessagesQuery, SeedThreadMessages>,
  Accepts<ApprovalRespondMutation, SeedApprovalRespond>,
  Accepts<RegisterTurnStartMutation, SeedRegisterTurnStart>,
  Accepts<PendingApprovalsQuery, FunctionReference<"query", "public", { actor: Actor; threadId: string }, CodexApprovalDoc[]>>,
  Accepts<InterruptTurnMutation, FunctionReference<"mutation", "public", { actor: Actor; threadId: string; turnId: string }, null>>,
  Accepts<ThreadStateQuery, FunctionReference<"query", "public", { actor: Actor; threadId: string }, { thread: unknown } | null>>,
  Accepts<TurnMessagesQuery, FunctionReference<"query", "public", { actor: Actor; threadId: string; turnId: string }, CodexMessageDoc[]>>,
  Accepts<StreamSyncQuery, FunctionReference<"query", "public", { actor: Actor; threadId: string; streamCursorsById: { streamId: string; cursor: number }[] }, ReplayResult>>,
];
