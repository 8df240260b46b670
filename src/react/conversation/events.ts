/**
 * The conversation view's events: the TUI's event vocabulary (turn, reasoning, plan, exec,
 * agent and user messages), produced here from our items and streams, plus the local
 * events of the composer queue and the elapsed-time clock.
 *
 * Items are identified within their turn (providers reuse item ids in every response):
 * events that name an item carry its `turnId` when known, and cells are matched on both.
 */
import type { CommandAction } from "../../component/validators.js";

export type PlanStepStatus = "pending" | "in_progress" | "completed";
export type PlanStep = { step: string; status: PlanStepStatus };

/** A file edit as a patch cell shows it: the path, what happens to it, and its unified diff. */
export type PatchChange = { path: string; kind: "add" | "delete" | "update"; movePath?: string; diff?: string };

/** What a tool cell can show beyond its title (MCP and dynamic tools, web search, images). */
export type ToolDetail = {
  /** The item type: `mcpToolCall`, `dynamicToolCall`, `webSearch`, … */
  itemType: string;
  /** Arguments as JSON, or the search query / image path. */
  input?: string;
  /** The result as JSON (MCP). */
  output?: string;
  error?: string;
  durationMs?: number;
};

export type ConversationEvent =
  | { type: "turn_started"; turnId: string; at: number }
  | { type: "turn_completed"; turnId: string; at: number }
  /**
   * A turn that ended interrupted or failed: it ends the running turn, and (running or
   * not, e.g. a turn from history) leaves one marker cell with codex's error message.
   */
  | { type: "turn_aborted"; turnId: string; at: number; reason: "interrupted" | "failed"; error?: string }
  /**
   * `key` names one reasoning text (a stream or an item): the header is read per text. With
   * `itemId` and `channel: "summary"` the text also builds the item's reasoning cell.
   */
  | { type: "reasoning_delta"; key: string; delta: string; turnId?: string; itemId?: string; channel?: "summary" | "content" }
  /** A reasoning item's final summary (parts joined): replaces what the deltas built. */
  | { type: "reasoning_done"; turnId?: string; itemId: string; summary: string }
  /** With `turnId`, the plan of that turn (one cell per turn, updated in place). */
  | { type: "plan_update"; steps: PlanStep[]; turnId?: string; explanation?: string }
  | { type: "exec_begin"; callId: string; command: string; commandActions: CommandAction[]; userShell?: boolean; turnId?: string; cwd?: string }
  | { type: "exec_output_delta"; callId: string; delta: string; turnId?: string }
  | {
      type: "exec_end";
      callId: string;
      exitCode: number | undefined;
      /** Final output when known (replaces what the deltas built). */
      output?: string;
      /** Lets an end without a seen begin still render. */
      command?: string;
      commandActions?: CommandAction[];
      turnId?: string;
      cwd?: string;
      /** The item's status: `completed`, `failed`, `declined`, `interrupted`. */
      status?: string;
      durationMs?: number;
      /** The stored output was cut (the full text stays in the command's stream). */
      outputTruncated?: boolean;
    }
  | { type: "agent_message_delta"; itemId: string; delta: string; turnId?: string }
  /** The final text; a later one with other text (the full reply after a preview) replaces it. */
  | { type: "agent_message"; itemId: string; text: string; turnId?: string }
  | { type: "user_message"; itemId: string; text: string; turnId?: string }
  /** Beyond seed 004: file edits and other tool calls, so the transcript shows every item. */
  | { type: "patch"; itemId: string; changes: PatchChange[]; status: string; turnId?: string; truncated?: boolean }
  | { type: "tool_call"; itemId: string; title: string; status: string; turnId?: string; detail?: ToolDetail }
  /** codex compacted the conversation's context here (`thread/compact/start`, or on its own): a marker. */
  | { type: "context_compacted"; itemId: string; turnId?: string }
  /** The backend refused something of this thread: the host recorded what was lost and why. */
  | { type: "event_dropped"; id: string; turnId?: string; itemId?: string; what: string; code: string; message: string }
  /**
   * The items whose approval codex is waiting for now (the whole set each time): their cells
   * say so instead of "Running" until the approval is answered.
   */
  | { type: "approvals_pending"; items: { turnId: string; itemId: string }[] }
  | { type: "tick"; now: number }
  | { type: "input_submitted"; text: string }
  | { type: "input_sent"; text: string }
  /** The sent input's command is known: it can be withdrawn while nobody claimed it. */
  | { type: "input_queued"; text: string; commandId: string }
  /** The input went into the running turn (`turn/steer`) instead of waiting for it to end. */
  | { type: "input_steered"; text: string }
  | { type: "input_failed"; text: string; error: string }
  /** A failed input the user retried (back in the queue) or dismissed. */
  | { type: "failed_input_removed"; index: number }
  | { type: "queue_cleared" }
  | { type: "queued_input_removed"; index: number };
