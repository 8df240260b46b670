/**
 * The shapes the hooks read, as the app's host wrappers pass them through from the
 * component (see docs/react.md, "Host wrappers"). Types only: the hooks never import
 * component code, so any wrapper returning these shapes works.
 */
import type { PaginationOptions, PaginationResult } from "convex/server";
import type { GenericId } from "convex/values";
import type { Doc } from "../component/_generated/dataModel.js";
import type { StreamChannel } from "../contract/events.js";
import type { StreamStatus, StreamWindowStatus } from "../component/validators.js";

export type { StreamChannel, StreamStatus, StreamWindowStatus };

/**
 * A component document as an app sees it: ids of the component's tables cross the component
 * boundary as plain strings.
 */
export type AtBoundary<D> = {
  [K in keyof D]: D[K] extends GenericId<string> ? string : D[K] extends GenericId<string> | undefined ? string | undefined : D[K];
};

/** A thread row (table `threads`). */
export type CodexThreadDoc = AtBoundary<Doc<"threads">>;
/** A durable message row (table `messages`). */
export type CodexMessageDoc = AtBoundary<Doc<"messages">>;
/** A durable item row (table `items`). */
export type CodexItemDoc = AtBoundary<Doc<"items">>;
/** A pending approval row (table `approvals`). */
export type CodexApprovalDoc = AtBoundary<Doc<"approvals">>;
/** A durable reasoning segment row (table `reasoning_segments`). */
export type CodexReasoningDoc = AtBoundary<Doc<"reasoning_segments">>;
/** A deletion job (table `deletion_jobs`): status and rows deleted per table. */
export type CodexDeletionJobDoc = AtBoundary<Doc<"deletion_jobs">>;
/** An import of a local codex thread (table `import_jobs`): status, counts, error. */
export type CodexImportJobDoc = AtBoundary<Doc<"import_jobs">>;
/** One of the account's rate limits as codex last reported it (table `rate_limits`). */
export type CodexRateLimitDoc = AtBoundary<Doc<"rate_limits">>;
/** A thread's current plan and the turn that made it (`turns.currentPlan`). */
export type CodexCurrentPlan = { turnId: string; turnStatus: Doc<"turns">["status"]; plan: NonNullable<Doc<"turns">["plan"]> };

export type StreamCursor = { streamId: string; cursor: number };

/** What the hooks ask a messages wrapper for, besides the page. */
export type StreamArgs = { kind: "list" } | { kind: "deltas"; cursors: StreamCursor[] };

/** One stream as replay lists it. */
export type StreamInfo = {
  streamId: string;
  turnId: string;
  itemId: string;
  channel: StreamChannel;
  status: StreamStatus;
  /** End cursor: exact once the stream ended; while it streams, a lower bound (as of its last heartbeat). */
  cursor: number;
  /** Lowest cursor still stored. */
  retainedFrom: number;
};

export type StreamDelta = { streamId: string; cursorStart: number; cursorEnd: number; text: string };
export type StreamWindow = { streamId: string; status: StreamWindowStatus; serverCursor: number };

/** The component's replay result (`replayStreams`). */
export type ReplayResult = {
  streams: StreamInfo[];
  deltas: StreamDelta[];
  streamWindows: StreamWindow[];
  nextCheckpoints: StreamCursor[];
};

/** What a `threadMessages` wrapper adds to its page when asked for streams. */
export type ThreadStreamsResult =
  | { kind: "deltas"; deltas: StreamDelta[]; streamWindows: StreamWindow[]; nextCheckpoints: StreamCursor[] }
  | { kind: "list"; streams: StreamInfo[] };

export type ThreadMessagesResult = PaginationResult<CodexMessageDoc> & { streams?: ThreadStreamsResult };

/** The arguments every `threadMessages` wrapper takes (the app adds its own, e.g. `actor`). */
export type ThreadMessagesArgs = {
  threadId: string;
  paginationOpts: PaginationOptions;
  streamArgs?: StreamArgs;
};

export type ApprovalDecision = "accepted" | "acceptedForSession" | "declined" | "cancelled";
