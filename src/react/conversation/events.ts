/**
 * The conversation view's events: the TUI's event vocabulary (turn, reasoning, plan, exec,
 * agent and user messages), produced here from our items and streams, plus the local
 * events of the composer queue and the elapsed-time clock.
 */
import type { CommandAction } from "../../component/validators.js";

export type PlanStepStatus = "pending" | "in_progress" | "completed";
export type PlanStep = { step: string; status: PlanStepStatus };

export type ConversationEvent =
  | { type: "turn_started"; turnId: string; at: number }
  | { type: "turn_completed"; turnId: string; at: number }
  | { type: "turn_aborted"; turnId: string; at: number; reason: "interrupted" | "failed" }
  /** `key` names one reasoning text (a stream or an item): the header is read per text. */
  | { type: "reasoning_delta"; key: string; delta: string }
  | { type: "plan_update"; steps: PlanStep[] }
  | { type: "exec_begin"; callId: string; command: string; commandActions: CommandAction[]; userShell?: boolean }
  | { type: "exec_output_delta"; callId: string; delta: string }
  | {
      type: "exec_end";
      callId: string;
      exitCode: number | undefined;
      /** Final output when known (replaces what the deltas built). */
      output?: string;
      /** Lets an end without a seen begin still render. */
      command?: string;
      commandActions?: CommandAction[];
    }
  | { type: "agent_message_delta"; itemId: string; delta: string }
  | { type: "agent_message"; itemId: string; text: string }
  | { type: "user_message"; itemId: string; text: string }
  /** Beyond seed 004: file edits and other tool calls, so the transcript shows every item. */
  | { type: "patch"; itemId: string; changes: Array<{ path: string; kind: "add" | "delete" | "update" }>; status: string }
  | { type: "tool_call"; itemId: string; title: string; status: string }
  | { type: "tick"; now: number }
  | { type: "input_submitted"; text: string }
  | { type: "input_sent"; text: string }
  | { type: "input_failed"; text: string; error: string }
  | { type: "queue_cleared" };
