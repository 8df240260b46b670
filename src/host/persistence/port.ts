/**
 * The persistence port: everything the host runtime asks of the backend, and nothing more.
 * `createConvexPersistence` implements it over any Convex client calling the app's host
 * wrappers: a deployment's client, or (tests and the demo) the in-process convex-test backend.
 * Who the caller is (the actor) is the client's business: its auth token, or the identity
 * of the in-process backend.
 */
import type { ExpectedMessage, InboundEvent, IngestResult, RequestId, TurnInput } from "../../contract/events.js";

/** A queued command as the runtime needs it (a subset of the component's `commands` row). */
export type PendingCommand = {
  _id: string;
  kind:
    | "startTurn"
    | "interruptTurn"
    | "steerTurn"
    | "respondServerRequest"
    | "startThread"
    | "renameThread"
    | "archiveThread"
    | "unarchiveThread"
    | "compactThread"
    | "rollbackThread"
    | "forkThread";
  /** Absent only for the answer to a request of no thread. */
  threadId?: string;
  turnId?: string;
  input?: TurnInput[];
  requestId?: RequestId;
  responseJson?: string;
  targetSessionId?: string;
  /** For `renameThread`. */
  name?: string;
  createdAt: number;
};

/** An import of a local thread as the backend reports it (a subset of the `import_jobs` row). */
export type ImportJob = {
  _id: string;
  threadId: string;
  status: "collecting" | "sealed" | "running" | "verifying" | "synced" | "failed" | "cancelled";
  chunks: number;
  /** Where a host goes on collecting: codex's turn cursor (absent: the start; null: nothing left) and the next chunk's seq. */
  sourceCursor?: string | null;
  sourceSeq: number;
  expectedTurns: number;
  expectedMessages: number;
  matchedMessages: number;
  truncatedMessages: number;
  mismatches: Array<{ turnId: string; itemId: string; reason: string }>;
  accepted: number;
  duplicates: number;
  rejected: number;
  error?: string;
};

/** One chunk of an import (see `importChunks` in `./protocol`). */
export type ImportChunkArgs = {
  jobId: string;
  seq: number;
  events: InboundEvent[];
  expected: ExpectedMessage[];
  turnIds: string[];
  endsTurn: boolean;
  next?: { cursor: string | null; seq: number };
};

/** codex's `RateLimitSnapshot`, the fields kept (absent = not reported in this update). */
export type RateLimits = {
  limitId?: string;
  limitName?: string;
  primary?: { usedPercent: number; windowDurationMins?: number; resetsAt?: number };
  secondary?: { usedPercent: number; windowDurationMins?: number; resetsAt?: number };
  credits?: { hasCredits: boolean; unlimited: boolean; balance?: string };
  planType?: string;
  rateLimitReachedType?: string;
};

export type CodexPersistence = {
  /** Creates the thread row if missing (idempotent); fills name/model/cwd when unknown. */
  ensureThread(args: { threadId: string; name?: string; model?: string; cwd?: string }): Promise<void>;
  /**
   * One session per running codex process (codex numbers its requests per process), and a
   * new one when the backend retired it as stale. `staleAfterMs`: how long it may stay
   * silent before that happens (the component's default when omitted).
   */
  openSession(args: { sessionId: string; deviceId?: string; staleAfterMs?: number }): Promise<void>;
  /** Throws (E_SESSION_NOT_ACTIVE) when the session went stale: the runtime continues under a new one. */
  heartbeatSession(args: { sessionId: string }): Promise<void>;
  /** Ends the session; commands it still held fail visibly. */
  closeSession(args: { sessionId: string }): Promise<void>;
  /** One outbox batch to `sync.ingest`. */
  ingest(args: { sessionId: string; threadId: string; events: InboundEvent[] }): Promise<IngestResult>;
  /** Calls `listener` with the queued commands this session may run, now and on every change. */
  watchPendingCommands(
    args: { sessionId: string },
    listener: (commands: PendingCommand[]) => void,
    onError?: (error: Error) => void,
  ): () => void;
  /** Only the first claimer gets it (again, if it asks again); others get an error with code E_COMMAND_NOT_CLAIMABLE. */
  claimCommand(args: { sessionId: string; commandId: string }): Promise<void>;
  /**
   * `turnId`: the codex turn a startTurn started (`steered`: codex folded it into that turn,
   * already running); `threadId`: the thread a startThread started; `error`: the command
   * failed. Recording the same outcome again is a no-op.
   */
  completeCommand(args: { sessionId: string; commandId: string; turnId?: string; steered?: boolean; threadId?: string; error?: string }): Promise<void>;
  /**
   * A request of no thread codex waits on (`account/chatgptAuthTokens/refresh`, …): listed
   * for every device to answer; the answer comes back as a `respondServerRequest` command.
   */
  announceServerRequest(args: { sessionId: string; requestId: RequestId; method: string; paramsJson: string; createdAt: number }): Promise<void>;
  /** The runtime settled such a request itself: answered by its own policy, or expired (codex got an error). */
  settleServerRequest(args: { sessionId: string; requestId: RequestId; status: "resolved" | "expired" }): Promise<void>;
  /**
   * An import of a local thread: begun (or, still collecting, handed back to resume), fed
   * chunk by chunk, sealed — then the backend runs it to its end (`synced`, `failed`,
   * `cancelled`), which `watchImport` reports.
   */
  startImport(args: { threadId: string; name?: string; preview?: string; model?: string; cwd?: string; forkedFromThreadId?: string }): Promise<ImportJob>;
  appendImportChunk(args: ImportChunkArgs): Promise<ImportJob>;
  sealImport(args: { jobId: string; chunkCount: number }): Promise<ImportJob>;
  /** Calls `listener` with the import now and on every change (null once it is gone). */
  watchImport(args: { jobId: string }, listener: (job: ImportJob | null) => void, onError?: (error: Error) => void): () => void;
  /** What codex reported of the account's rate limits (merged into what the backend has). */
  recordRateLimits(args: { snapshot: RateLimits }): Promise<void>;
};
