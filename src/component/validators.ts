/**
 * The one validators module. Every table field, function argument and return shape that
 * crosses the component boundary is built from these, and apps import them from
 * `codex-local-component/client` to type their own wrappers.
 *
 * Identity: `threadId` is codex's thread id and `turnId` codex's turn id, everywhere.
 */
import { v, type Infer } from "convex/values";
import { vExpectedMessage, vInboundEvent, vStreamChannel, vStreamCursor } from "../contract/events.js";

export * from "../contract/events.js";

/** Who is acting. The app derives it from `ctx.auth`; the component trusts what it is given. */
export const vActor = v.object({
  tenantId: v.string(),
  userId: v.string(),
  deviceId: v.optional(v.string()),
});
export type Actor = Infer<typeof vActor>;

/** codex `TurnStatus`, verbatim. */
export const vTurnStatus = v.union(
  v.literal("inProgress"),
  v.literal("completed"),
  v.literal("interrupted"),
  v.literal("failed"),
);
export type TurnStatus = Infer<typeof vTurnStatus>;

/** codex `TurnPlanStepStatus`, verbatim. */
export const vPlanStepStatus = v.union(v.literal("pending"), v.literal("inProgress"), v.literal("completed"));
/** The turn's plan as codex last reported it (`turn/plan/updated`: the model's `update_plan` tool). */
export const vTurnPlan = v.object({
  explanation: v.optional(v.string()),
  steps: v.array(v.object({ step: v.string(), status: vPlanStepStatus })),
  /** When codex last reported it (the notification's time): where the plan sits in the turn. */
  updatedAt: v.optional(v.number()),
});
export type TurnPlan = Infer<typeof vTurnPlan>;
export type PlanStepStatus = Infer<typeof vPlanStepStatus>;

/** Union of codex item statuses (command/patch/mcp/dynamic tool) plus `interrupted` for items a turn end closed. */
export const vItemStatus = v.union(
  v.literal("inProgress"),
  v.literal("completed"),
  v.literal("failed"),
  v.literal("declined"),
  v.literal("interrupted"),
);
export type ItemStatus = Infer<typeof vItemStatus>;

export const vMessageRole = v.union(v.literal("user"), v.literal("assistant"));
export const vMessageStatus = v.union(
  v.literal("streaming"),
  v.literal("completed"),
  v.literal("failed"),
  v.literal("interrupted"),
);
export type MessageStatus = Infer<typeof vMessageStatus>;

export const vStreamStatus = v.union(
  v.literal("streaming"),
  v.literal("finished"),
  v.literal("aborted"),
);
export type StreamStatus = Infer<typeof vStreamStatus>;

/** codex `CommandAction`, the parsed summary of a shell command (drives "Exploring/Explored"). */
export const vCommandAction = v.union(
  v.object({ type: v.literal("read"), command: v.string(), name: v.string(), path: v.string() }),
  v.object({ type: v.literal("listFiles"), command: v.string(), path: v.union(v.string(), v.null()) }),
  v.object({
    type: v.literal("search"),
    command: v.string(),
    query: v.union(v.string(), v.null()),
    path: v.union(v.string(), v.null()),
  }),
  v.object({ type: v.literal("unknown"), command: v.string() }),
);
export type CommandAction = Infer<typeof vCommandAction>;

export const vFileChange = v.object({
  path: v.string(),
  kind: v.union(v.literal("add"), v.literal("delete"), v.literal("update")),
  movePath: v.optional(v.string()),
  diff: v.string(),
});
export type FileChange = Infer<typeof vFileChange>;

/**
 * The typed part of a stored item, one variant per codex `ThreadItem` type. Fields a UI
 * renders are typed; everything else stays in the item's raw payload. Kinds codex adds
 * later land as `other` with their type name, never dropped.
 */
export const vItemDetails = v.union(
  v.object({ type: v.literal("userMessage"), text: v.string() }),
  /**
   * `text` is a preview when `textTruncated`: the full reply lives in its `messages` row
   * (written once), so the reply is not stored a third time here.
   */
  v.object({
    type: v.literal("agentMessage"),
    text: v.string(),
    phase: v.optional(v.string()),
    textTruncated: v.optional(v.boolean()),
  }),
  v.object({ type: v.literal("plan"), text: v.string() }),
  /** Entries are previews when `textTruncated`; full text in `reasoning_segments`. */
  v.object({
    type: v.literal("reasoning"),
    summary: v.array(v.string()),
    content: v.array(v.string()),
    textTruncated: v.optional(v.boolean()),
  }),
  v.object({
    type: v.literal("commandExecution"),
    command: v.string(),
    cwd: v.string(),
    source: v.optional(v.string()),
    commandActions: v.array(vCommandAction),
    aggregatedOutput: v.optional(v.string()),
    outputTruncated: v.optional(v.boolean()),
    exitCode: v.optional(v.number()),
    durationMs: v.optional(v.number()),
  }),
  v.object({ type: v.literal("fileChange"), changes: v.array(vFileChange), changesTruncated: v.optional(v.boolean()) }),
  v.object({
    type: v.literal("mcpToolCall"),
    server: v.string(),
    tool: v.string(),
    argumentsJson: v.string(),
    resultJson: v.optional(v.string()),
    error: v.optional(v.string()),
    durationMs: v.optional(v.number()),
  }),
  v.object({
    type: v.literal("dynamicToolCall"),
    tool: v.string(),
    namespace: v.optional(v.string()),
    argumentsJson: v.string(),
    success: v.optional(v.boolean()),
    durationMs: v.optional(v.number()),
  }),
  v.object({
    type: v.literal("collabAgentToolCall"),
    tool: v.string(),
    prompt: v.optional(v.string()),
    receiverThreadIds: v.array(v.string()),
  }),
  v.object({ type: v.literal("webSearch"), query: v.string() }),
  v.object({ type: v.literal("imageView"), path: v.string() }),
  v.object({ type: v.literal("imageGeneration"), revisedPrompt: v.optional(v.string()), savedPath: v.optional(v.string()) }),
  v.object({ type: v.literal("enteredReviewMode"), review: v.string() }),
  v.object({ type: v.literal("exitedReviewMode"), review: v.string() }),
  v.object({ type: v.literal("contextCompaction") }),
  v.object({ type: v.literal("other"), itemType: v.string() }),
);
export type ItemDetails = Infer<typeof vItemDetails>;
export type ItemKind = ItemDetails["type"];

/** Commands flow up: any device enqueues, the bridge claims each once and executes it. */
export const vCommandKind = v.union(
  v.literal("startTurn"),
  v.literal("interruptTurn"),
  v.literal("steerTurn"),
  v.literal("respondServerRequest"),
  /** A new codex thread, from a device: any of the owner's hosts runs `thread/start`. */
  v.literal("startThread"),
  /** Thread controls a device asks codex for (the backend row already shows the result where it can). */
  v.literal("renameThread"),
  v.literal("archiveThread"),
  v.literal("unarchiveThread"),
  v.literal("compactThread"),
  /** `thread/revert` before `turnId`: that turn and every later one leave codex's history, then ours. */
  v.literal("rollbackThread"),
  /** `thread/fork` (through `turnId`, when given): a new thread with the parent's history. */
  v.literal("forkThread"),
);
export type CommandKind = Infer<typeof vCommandKind>;
export const vCommandStatus = v.union(
  v.literal("queued"),
  v.literal("claimed"),
  v.literal("done"),
  v.literal("failed"),
  v.literal("cancelled"),
);
export type CommandStatus = Infer<typeof vCommandStatus>;

export const vApprovalKind = v.union(
  v.literal("commandExecution"),
  v.literal("fileChange"),
  v.literal("permissions"),
);
export type ApprovalKind = Infer<typeof vApprovalKind>;
export const vApprovalStatus = v.union(
  v.literal("pending"),
  v.literal("accepted"),
  v.literal("acceptedForSession"),
  v.literal("declined"),
  v.literal("cancelled"),
  /** The request went away without an answer from us (turn ended, codex exited). */
  v.literal("expired"),
  /** Decided, but the answer never reached codex (its session ended first, or codex stopped waiting). */
  v.literal("undelivered"),
);
export type ApprovalStatus = Infer<typeof vApprovalStatus>;
export const vApprovalDecision = v.union(
  v.literal("accepted"),
  v.literal("acceptedForSession"),
  v.literal("declined"),
  v.literal("cancelled"),
);
export type ApprovalDecision = Infer<typeof vApprovalDecision>;

export const vServerRequestStatus = v.union(
  v.literal("pending"),
  v.literal("answered"),
  v.literal("resolved"),
  v.literal("expired"),
);
export type ServerRequestStatus = Infer<typeof vServerRequestStatus>;

export const vSessionStatus = v.union(v.literal("active"), v.literal("stale"), v.literal("closed"));

/** Per-stream window status returned by replay: `rebased` = cleanup moved the start, `stale` = gone. */
export const vStreamWindowStatus = v.union(v.literal("ok"), v.literal("rebased"), v.literal("stale"));
export type StreamWindowStatus = Infer<typeof vStreamWindowStatus>;

/** One stream as replay lists it; `cursor` is exact once it ended, a lower bound while it streams. */
export const vStreamInfo = v.object({
  streamId: v.string(),
  turnId: v.string(),
  itemId: v.string(),
  channel: vStreamChannel,
  status: vStreamStatus,
  cursor: v.number(),
  retainedFrom: v.number(),
});
export type StreamInfo = Infer<typeof vStreamInfo>;
export const vReplayDelta = v.object({
  streamId: v.string(),
  cursorStart: v.number(),
  cursorEnd: v.number(),
  text: v.string(),
});
export type ReplayDelta = Infer<typeof vReplayDelta>;
export const vStreamWindow = v.object({
  streamId: v.string(),
  status: vStreamWindowStatus,
  serverCursor: v.number(),
  /** True when the read cap stopped early: ask again from `nextCheckpoints`. */
  hasMore: v.boolean(),
});
export type StreamWindow = Infer<typeof vStreamWindow>;
/** `streams.deltas`: only what follows each cursor the client named. */
export const vStreamDeltasResult = v.object({
  deltas: v.array(vReplayDelta),
  streamWindows: v.array(vStreamWindow),
  nextCheckpoints: v.array(vStreamCursor),
});
export type StreamDeltasResult = Infer<typeof vStreamDeltasResult>;
export const vReplayResult = v.object({
  streams: v.array(vStreamInfo),
  deltas: v.array(vReplayDelta),
  streamWindows: v.array(vStreamWindow),
  nextCheckpoints: v.array(vStreamCursor),
});
export type ReplayResult = Infer<typeof vReplayResult>;

/** What a deletion job removes: a thread, a turn, every row of one owner, or a rollback's dropped turns. */
export const vDeletionKind = v.union(v.literal("thread"), v.literal("turn"), v.literal("actor"), v.literal("rollback"));
export type DeletionKind = Infer<typeof vDeletionKind>;
/**
 *     scheduled ──runAt / forceRun──► running ──pages──► completed
 *        └──cancel──► cancelled          └──failed runs (JOB_MAX_ATTEMPTS)──► failed
 */
export const vDeletionStatus = v.union(
  v.literal("scheduled"),
  v.literal("running"),
  v.literal("completed"),
  v.literal("failed"),
  v.literal("cancelled"),
);
export type DeletionStatus = Infer<typeof vDeletionStatus>;

/**
 * An import of a local codex thread (`imports.ts`):
 *
 *     collecting ──seal──► sealed ──► running ──► verifying ──► synced
 *         │                   └───────────┴───────────┴──► failed | cancelled
 *         └── no chunk for IMPORT_COLLECT_IDLE_MS / cancel ──► failed | cancelled
 */
export const vImportStatus = v.union(
  v.literal("collecting"),
  v.literal("sealed"),
  v.literal("running"),
  v.literal("verifying"),
  v.literal("synced"),
  v.literal("failed"),
  v.literal("cancelled"),
);
export type ImportStatus = Infer<typeof vImportStatus>;

/**
 * One chunk of an import (`imports.appendChunk`): its place (`seq`), codex's events, the
 * messages to verify, the turns that begin in it (`endsTurn`: the last ends here too), and
 * where a host goes on from after it (`next`, on a page's last chunk).
 */
export const vImportChunkFields = {
  seq: v.number(),
  events: v.array(vInboundEvent),
  expected: v.array(vExpectedMessage),
  turnIds: v.array(v.string()),
  endsTurn: v.boolean(),
  next: v.optional(v.object({ cursor: v.union(v.string(), v.null()), seq: v.number() })),
};

/** codex `RateLimitWindow`. */
export const vRateLimitWindow = v.object({
  usedPercent: v.number(),
  windowDurationMins: v.optional(v.number()),
  resetsAt: v.optional(v.number()),
});
/** codex `RateLimitSnapshot`, the fields a UI shows (`account/rateLimits/read` / `account/rateLimits/updated`). */
export const vRateLimitSnapshot = v.object({
  limitId: v.optional(v.string()),
  limitName: v.optional(v.string()),
  primary: v.optional(vRateLimitWindow),
  secondary: v.optional(vRateLimitWindow),
  credits: v.optional(v.object({ hasCredits: v.boolean(), unlimited: v.boolean(), balance: v.optional(v.string()) })),
  planType: v.optional(v.string()),
  rateLimitReachedType: v.optional(v.string()),
});
export type RateLimitSnapshot = Infer<typeof vRateLimitSnapshot>;

/** Token counts, as codex's `TokenUsageBreakdown` has them. */
export const vTokenBreakdown = v.object({
  totalTokens: v.number(),
  inputTokens: v.number(),
  cachedInputTokens: v.number(),
  outputTokens: v.number(),
  reasoningOutputTokens: v.number(),
});
export type TokenBreakdown = Infer<typeof vTokenBreakdown>;
