/**
 * Tables of the component. Every row carries its owner (`tenantId`, `userId`) and every
 * index starts with them, so a read can only ever range over one owner's rows: another
 * user's `threadId` is simply not found.
 */
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { typedV } from "convex-helpers/validators";
import {
  vApprovalKind,
  vApprovalStatus,
  vCommandKind,
  vCommandStatus,
  vDeletionKind,
  vDeletionStatus,
  vEventDropped,
  vExpectedMessage,
  vImportStatus,
  vInboundEvent,
  vItemDetails,
  vItemStatus,
  vMessageRole,
  vMessageStatus,
  vRateLimitSnapshot,
  vRequestId,
  vServerRequestStatus,
  vSessionStatus,
  vStreamChannel,
  vStreamStatus,
  vTokenBreakdown,
  vTurnInput,
  vTurnPlan,
  vTurnStatus,
} from "./validators.js";

const owner = { tenantId: v.string(), userId: v.string() };

const schema = defineSchema({
  threads: defineTable({
    ...owner,
    threadId: v.string(),
    name: v.optional(v.string()),
    preview: v.optional(v.string()),
    model: v.optional(v.string()),
    cwd: v.optional(v.string()),
    archived: v.boolean(),
    activeTurnId: v.optional(v.string()),
    lastTurnId: v.optional(v.string()),
    turnCount: v.number(),
    messageCount: v.number(),
    /** Last time a device resumed this thread (`threads.resume`). */
    resumedAt: v.optional(v.number()),
    /** The thread this one was forked from (codex's `forkedFromId`); its history was copied in. */
    forkedFromThreadId: v.optional(v.string()),
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    .index("by_owner_thread", ["tenantId", "userId", "threadId"])
    .index("by_owner_updated", ["tenantId", "userId", "archived", "updatedAt"])
    .index("by_owner_updated_all", ["tenantId", "userId", "updatedAt"]),

  turns: defineTable({
    ...owner,
    threadId: v.string(),
    turnId: v.string(),
    status: vTurnStatus,
    /** The command that asked for this turn, when a device (not the local CLI) started it. */
    commandId: v.optional(v.id("commands")),
    /** The bridge session whose codex runs it: a turn never outlives its session in progress. */
    sessionId: v.optional(v.string()),
    /**
     * codex's last error for the turn. `willRetry`: a notice that codex is retrying the model
     * ("Reconnecting... 1/5"), not the turn's failure: a turn that then completes drops it.
     */
    error: v.optional(v.object({ message: v.string(), codexErrorInfo: v.optional(v.string()), willRetry: v.optional(v.boolean()) })),
    diff: v.optional(v.string()),
    /** The latest `turn/plan/updated` (steps capped: `PLAN_MAX_STEPS`, texts cut). */
    plan: v.optional(vTurnPlan),
    startedAt: v.number(),
    completedAt: v.optional(v.number()),
    durationMs: v.optional(v.number()),
    /**
     * Ended here, not by codex's `turn/completed`: its session went away, an import stopped in
     * it, or the host could not store codex's end. codex's own end, should it still come, wins;
     * a turn codex ended is its own record, so a re-sent or backfilled end is a duplicate.
     */
    provisionalEnd: v.optional(v.boolean()),
  })
    .index("by_owner_turn", ["tenantId", "userId", "threadId", "turnId"])
    .index("by_owner_thread_started", ["tenantId", "userId", "threadId", "startedAt"])
    .index("by_owner_session_status", ["tenantId", "userId", "sessionId", "status"]),

  items: defineTable({
    ...owner,
    threadId: v.string(),
    turnId: v.string(),
    itemId: v.string(),
    status: vItemStatus,
    details: vItemDetails,
    /** The last raw codex ThreadItem JSON, capped in size (see `limits.ts`). */
    payloadJson: v.string(),
    startedAt: v.number(),
    completedAt: v.optional(v.number()),
    /** Closed by its turn's end, not by codex's `item/completed`, which still applies should it come. */
    provisionalEnd: v.optional(v.boolean()),
  })
    /** An item is identified within its turn: providers may reuse item ids in every response. */
    .index("by_owner_turn_item", ["tenantId", "userId", "threadId", "turnId", "itemId"])
    .index("by_owner_turn_started", ["tenantId", "userId", "threadId", "turnId", "startedAt"])
    /** A turn's items still in progress, which its end closes. */
    .index("by_owner_turn_status", ["tenantId", "userId", "threadId", "turnId", "status"]),

  messages: defineTable({
    ...owner,
    threadId: v.string(),
    turnId: v.string(),
    /** The codex item id of the userMessage / agentMessage item. */
    itemId: v.string(),
    role: vMessageRole,
    status: vMessageStatus,
    /** Final text; written once when the stream finishes, not on every delta. */
    text: v.string(),
    /**
     * `text` is a prefix: the whole reply was longer than a row holds. The full text stays
     * in its stream (never expired), read through `streams.replay` from cursor 0.
     */
    truncated: v.optional(v.boolean()),
    streamId: v.optional(v.string()),
    order: v.number(),
    createdAt: v.number(),
    completedAt: v.optional(v.number()),
  })
    .index("by_owner_thread_order", ["tenantId", "userId", "threadId", "order"])
    .index("by_owner_turn_order", ["tenantId", "userId", "threadId", "turnId", "order"])
    .index("by_owner_turn_item", ["tenantId", "userId", "threadId", "turnId", "itemId"])
    /** A turn's messages still streaming, which its end finishes. */
    .index("by_owner_turn_status", ["tenantId", "userId", "threadId", "turnId", "status"]),

  reasoning_segments: defineTable({
    ...owner,
    threadId: v.string(),
    turnId: v.string(),
    itemId: v.string(),
    channel: v.union(v.literal("summary"), v.literal("raw")),
    index: v.number(),
    text: v.string(),
    /** As on `messages`: `text` is a prefix, the full text is in its stream. */
    truncated: v.optional(v.boolean()),
    status: vMessageStatus,
    streamId: v.optional(v.string()),
    order: v.number(),
    createdAt: v.number(),
  })
    .index("by_owner_thread_order", ["tenantId", "userId", "threadId", "order"])
    .index("by_owner_turn_item", ["tenantId", "userId", "threadId", "turnId", "itemId", "channel", "index"]),

  /**
   * One row per stream, written when it starts, at a coarse heartbeat and when it ends —
   * never per batch, so the thread's stream list (and every subscription to it) is not
   * re-run by every batch. The live cursor is the end of the stream's last delta row.
   */
  streams: defineTable({
    ...owner,
    threadId: v.string(),
    turnId: v.string(),
    itemId: v.string(),
    streamId: v.string(),
    channel: vStreamChannel,
    status: vStreamStatus,
    /** Where its delta rows are filed (`lib/streamKey.ts`): derived from owner, thread and stream id. */
    key: v.string(),
    /** End cursor: as of the last heartbeat while streaming, exact once the stream ended. */
    cursor: v.number(),
    /** Lowest cursor still stored (absent: 0, all of it); set as cleanup deletes old deltas. */
    retainedFrom: v.optional(v.number()),
    /**
     * The durable row (message, reasoning part, item output) kept only a prefix of this
     * stream, so its deltas are the full text: cleanup never expires them.
     */
    retained: v.boolean(),
    /** Only on rows of earlier builds: a stream starts at its row's `_creationTime`. */
    startedAt: v.optional(v.number()),
    /** Last delta as of the last heartbeat (written at most every STREAM_HEARTBEAT_MS). */
    lastDeltaAt: v.number(),
    finishedAt: v.optional(v.number()),
  })
    .index("by_owner_stream", ["tenantId", "userId", "threadId", "streamId"])
    .index("by_owner_thread_status", ["tenantId", "userId", "threadId", "status"])
    .index("by_status_last_delta", ["status", "lastDeltaAt"])
    .index("by_owner_turn_item", ["tenantId", "userId", "threadId", "turnId", "itemId"])
    .index("by_owner_turn_status", ["tenantId", "userId", "threadId", "turnId", "status"])
    .index("by_status_retained_finished", ["status", "retained", "finishedAt"]),

  /**
   * Append-only and as narrow as a row can be, since one is written per stream per ingest
   * batch (field names count in every row's size): `k` the stream's key, `s` the cursor
   * the text starts at (it ends at `s + t.length`), `t` the text.
   */
  stream_deltas: defineTable({
    k: v.string(),
    s: v.number(),
    t: v.string(),
  }).index("by_key_start", ["k", "s"]),

  /** How far each device has read each stream; separate from ingest acknowledgements. */
  stream_checkpoints: defineTable({
    ...owner,
    deviceId: v.string(),
    threadId: v.string(),
    streamId: v.string(),
    cursor: v.number(),
    updatedAt: v.number(),
  })
    .index("by_owner_device_stream", ["tenantId", "userId", "deviceId", "threadId", "streamId"])
    /** A device's most recently moved checkpoints first. */
    .index("by_owner_device_updated", ["tenantId", "userId", "deviceId", "threadId", "updatedAt"])
    /** Every device's checkpoints of one stream (or thread): what deleting it removes. */
    .index("by_owner_thread_stream", ["tenantId", "userId", "threadId", "streamId"]),

  approvals: defineTable({
    ...owner,
    threadId: v.string(),
    turnId: v.string(),
    itemId: v.string(),
    kind: vApprovalKind,
    status: vApprovalStatus,
    serverRequest: v.id("server_requests"),
    reason: v.optional(v.string()),
    command: v.optional(v.string()),
    cwd: v.optional(v.string()),
    availableDecisions: v.optional(v.array(v.string())),
    createdAt: v.number(),
    decidedAt: v.optional(v.number()),
    /** The userId that answered, and from which device. */
    decidedBy: v.optional(v.string()),
    decidedByDeviceId: v.optional(v.string()),
    /** Why the user decided so (free text from the device), distinct from codex's `reason`. */
    decisionReason: v.optional(v.string()),
  })
    .index("by_owner_thread_status", ["tenantId", "userId", "threadId", "status", "createdAt"])
    .index("by_owner_turn_item", ["tenantId", "userId", "threadId", "turnId", "itemId"])
    .index("by_owner_request", ["tenantId", "userId", "serverRequest"])
    /** History of a thread (any status), and of one turn of it. */
    .index("by_owner_thread_created", ["tenantId", "userId", "threadId", "createdAt"])
    .index("by_owner_turn_created", ["tenantId", "userId", "threadId", "turnId", "createdAt"]),

  /**
   * Every request codex sent to us. `requestId` is only unique within one codex process
   * (session). A request of no thread (account token refresh, …) has no `threadId`.
   */
  server_requests: defineTable({
    ...owner,
    threadId: v.optional(v.string()),
    sessionId: v.string(),
    requestId: vRequestId,
    method: v.string(),
    turnId: v.optional(v.string()),
    itemId: v.optional(v.string()),
    status: vServerRequestStatus,
    paramsJson: v.string(),
    responseJson: v.optional(v.string()),
    createdAt: v.number(),
    answeredAt: v.optional(v.number()),
  })
    .index("by_owner_thread_status", ["tenantId", "userId", "threadId", "status", "createdAt"])
    .index("by_owner_session_request", ["tenantId", "userId", "sessionId", "requestId"])
    .index("by_owner_session_status", ["tenantId", "userId", "sessionId", "status"])
    .index("by_owner_thread_turn", ["tenantId", "userId", "threadId", "turnId"]),

  /** The control plane: what devices asked the bridge to do, each claimed and run once. */
  commands: defineTable({
    ...owner,
    /** Absent only for the answer to a request of no thread. */
    threadId: v.optional(v.string()),
    kind: vCommandKind,
    status: vCommandStatus,
    idempotencyKey: v.optional(v.string()),
    deviceId: v.optional(v.string()),
    input: v.optional(v.array(vTurnInput)),
    turnId: v.optional(v.string()),
    serverRequest: v.optional(v.id("server_requests")),
    /** For `respondServerRequest`: the JSON-RPC id codex gave its request, to answer it by. */
    requestId: v.optional(vRequestId),
    responseJson: v.optional(v.string()),
    /** Only this bridge session may claim it: answers to server requests go back to the codex process that asked. */
    targetSessionId: v.optional(v.string()),
    claimedBy: v.optional(v.string()),
    claimedAt: v.optional(v.number()),
    /** The codex thread a `startThread` command started (its `threadId` is a placeholder, `NEW_THREAD_PREFIX`) or a `forkThread` made. */
    createdThreadId: v.optional(v.string()),
    /** For `renameThread`: the new name. */
    name: v.optional(v.string()),
    /** A `startTurn` codex folded into the turn already running (this turn id): its input steered that turn. */
    steeredInto: v.optional(v.string()),
    error: v.optional(v.string()),
    createdAt: v.number(),
    finishedAt: v.optional(v.number()),
  })
    .index("by_owner_status", ["tenantId", "userId", "status", "createdAt"])
    .index("by_owner_claimer_status", ["tenantId", "userId", "claimedBy", "status"])
    .index("by_owner_target_status", ["tenantId", "userId", "targetSessionId", "status", "createdAt"])
    .index("by_owner_thread_status", ["tenantId", "userId", "threadId", "status", "createdAt"])
    /** Each kind has its own key space: a steer reusing a start's key is a steer of its own. */
    .index("by_owner_thread_kind_idempotency", ["tenantId", "userId", "threadId", "kind", "idempotencyKey"])
    /** A turn's commands; `status` last, so a turn's end finds its queued ones without reading the rest. */
    .index("by_owner_thread_turn", ["tenantId", "userId", "threadId", "turnId", "status"]),

  /** A bridge connection: one codex process writing for one owner. */
  sessions: defineTable({
    ...owner,
    sessionId: v.string(),
    deviceId: v.optional(v.string()),
    status: vSessionStatus,
    startedAt: v.number(),
    lastHeartbeatAt: v.number(),
    /** This session's staleness window (`sessions.open`'s `staleAfterMs`, bounded). */
    staleAfterMs: v.number(),
    /** `lastHeartbeatAt + staleAfterMs`: the sweep ranges over this, whatever each window is. */
    staleAt: v.number(),
  })
    .index("by_owner_session", ["tenantId", "userId", "sessionId"])
    /** The owner's live sessions (is a host online for this user?). */
    .index("by_owner_status_stale_at", ["tenantId", "userId", "status", "staleAt"])
    .index("by_status_heartbeat", ["status", "lastHeartbeatAt"])
    .index("by_status_stale_at", ["status", "staleAt"]),

  /** Non-delta events, kept verbatim; the `eventId` index makes re-sent batches no-ops. */
  lifecycle_events: defineTable({
    ...owner,
    threadId: v.string(),
    eventId: v.string(),
    turnId: v.optional(v.string()),
    itemId: v.optional(v.string()),
    kind: v.string(),
    payloadJson: v.string(),
    createdAt: v.number(),
  })
    .index("by_owner_event", ["tenantId", "userId", "threadId", "eventId"])
    .index("by_owner_thread_created", ["tenantId", "userId", "threadId", "createdAt"])
    .index("by_owner_thread_turn", ["tenantId", "userId", "threadId", "turnId"]),

  /** Singleton rows of scheduled background work (`cleanup.ts`): at most one pending sweep. */
  sweeps: defineTable({
    key: v.string(),
    scheduledId: v.id("_scheduled_functions"),
    runAt: v.number(),
  }).index("by_key", ["key"]),

  /**
   * Events the host's outbox could not store (the backend refused them for good) and left
   * a record of instead (`EVENT_DROPPED_KIND`): what was lost and why, for a UI to show.
   */
  dropped_events: defineTable({
    ...owner,
    threadId: v.string(),
    turnId: v.optional(v.string()),
    itemId: v.optional(v.string()),
    dropped: vEventDropped,
    createdAt: v.number(),
  })
    .index("by_owner_thread_created", ["tenantId", "userId", "threadId", "createdAt"])
    .index("by_owner_thread_turn", ["tenantId", "userId", "threadId", "turnId"]),

  token_usage: defineTable({
    ...owner,
    threadId: v.string(),
    turnId: v.string(),
    inputTokens: v.number(),
    cachedInputTokens: v.number(),
    outputTokens: v.number(),
    reasoningOutputTokens: v.number(),
    totalTokens: v.number(),
    /** Tokens in the context window at the last model request (codex's `last.totalTokens`): what "context left" is measured by. */
    contextTokens: v.optional(v.number()),
    modelContextWindow: v.optional(v.number()),
    /** What this turn cost: the running total minus the thread's total before the turn. */
    turn: v.optional(vTokenBreakdown),
    updatedAt: v.number(),
  })
    .index("by_owner_turn", ["tenantId", "userId", "threadId", "turnId"])
    .index("by_owner_thread_updated", ["tenantId", "userId", "threadId", "updatedAt"]),

  /** The owner's account rate limits as codex last reported them, one row per limit (`limitId`). */
  rate_limits: defineTable({
    ...owner,
    /** codex's `limitId` ("codex", …); "" when codex named none. */
    limitKey: v.string(),
    snapshot: vRateLimitSnapshot,
    updatedAt: v.number(),
  }).index("by_owner_limit", ["tenantId", "userId", "limitKey"]),

  /** A cascade delete in pages (`deletion.ts`): what it removes, how far it got, per table. */
  deletion_jobs: defineTable({
    ...owner,
    kind: vDeletionKind,
    threadId: v.optional(v.string()),
    turnId: v.optional(v.string()),
    /** A rollback's turns: started after `afterStartedAt` (every turn when absent), up to `untilStartedAt`. */
    afterStartedAt: v.optional(v.number()),
    untilStartedAt: v.optional(v.number()),
    status: vDeletionStatus,
    /** When it runs (or ran): `createdAt + delayMs`, or when it was forced. */
    runAt: v.number(),
    /** Rows deleted so far, per table. */
    deleted: v.record(v.string(), v.number()),
    /** Transactions it took. */
    pages: v.number(),
    /** Runs that failed in a row: each retry gets half the rows; at JOB_MAX_ATTEMPTS the job fails. */
    attempts: v.number(),
    /** Rows per page instead of the default (operators, tests). */
    pageRows: v.optional(v.number()),
    /** The pending run and the check that it did run (see `lib/jobs.ts`). */
    scheduledId: v.optional(v.id("_scheduled_functions")),
    watchdogId: v.optional(v.id("_scheduled_functions")),
    error: v.optional(v.string()),
    createdAt: v.number(),
    updatedAt: v.number(),
    startedAt: v.optional(v.number()),
    finishedAt: v.optional(v.number()),
  })
    .index("by_owner_created", ["tenantId", "userId", "createdAt"])
    .index("by_owner_target_status", ["tenantId", "userId", "kind", "threadId", "turnId", "status"]),

  /**
   * What was deleted and must not come back: ingest for a deleted thread is refused
   * (E_THREAD_DELETED), events of a deleted turn are rejected (E_TURN_DELETED). Ids only.
   */
  tombstones: defineTable({
    ...owner,
    threadId: v.string(),
    /** Absent for a whole thread. */
    turnId: v.optional(v.string()),
    jobId: v.optional(v.id("deletion_jobs")),
    deletedAt: v.number(),
  }).index("by_owner_thread_turn", ["tenantId", "userId", "threadId", "turnId"]),

  /** One import of a local codex thread per thread (`imports.ts`), and how far it got. */
  import_jobs: defineTable({
    ...owner,
    threadId: v.string(),
    status: vImportStatus,
    /** Chunks received (the next chunk's `seq`), applied, and verified. */
    chunks: v.number(),
    applied: v.number(),
    verified: v.number(),
    /**
     * Where a host that stopped while collecting goes on: codex's `thread/turns/list` cursor of
     * the first page not wholly sent (absent: the start; `null`: nothing left to read) and the
     * `seq` its first chunk gets.
     */
    sourceCursor: v.optional(v.union(v.string(), v.null())),
    sourceSeq: v.number(),
    /** What codex reported: turns and messages, and what verifying found. */
    expectedTurns: v.number(),
    expectedMessages: v.number(),
    matchedMessages: v.number(),
    /** Messages longer than a row holds: stored as a marked prefix, counted apart. */
    truncatedMessages: v.number(),
    /** The first few messages that did not match (then `failed`). */
    mismatches: v.array(v.object({ turnId: v.string(), itemId: v.string(), reason: v.string() })),
    /** Events the chunks carried, as ingest counted them. */
    accepted: v.number(),
    duplicates: v.number(),
    rejected: v.number(),
    /** A turn whose events go on in the next chunk (ended `interrupted` if the import stops there). */
    openTurnId: v.optional(v.string()),
    attempts: v.number(),
    scheduledId: v.optional(v.id("_scheduled_functions")),
    watchdogId: v.optional(v.id("_scheduled_functions")),
    error: v.optional(v.string()),
    createdAt: v.number(),
    updatedAt: v.number(),
    sealedAt: v.optional(v.number()),
    finishedAt: v.optional(v.number()),
  })
    .index("by_owner_thread", ["tenantId", "userId", "threadId"])
    .index("by_owner_updated", ["tenantId", "userId", "updatedAt"]),

  /** What the host read of the thread, one chunk per row: codex's events, and the messages to verify. */
  import_chunks: defineTable({
    ...owner,
    threadId: v.string(),
    seq: v.number(),
    events: v.array(vInboundEvent),
    expected: v.array(vExpectedMessage),
    /** The turns whose events this chunk carries (the last may go on in the next one). */
    turnIds: v.array(v.string()),
    /** The last turn's events end here. */
    endsTurn: v.boolean(),
  }).index("by_owner_thread_seq", ["tenantId", "userId", "threadId", "seq"]),
});

export default schema;

/** Validators for whole documents, e.g. `vv.doc("messages")` in `returns`. */
export const vv = typedV(schema);
