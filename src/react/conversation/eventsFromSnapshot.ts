/**
 * Turns what Convex shows of a thread (its state, items and streams, each a snapshot) into
 * the conversation events that happened since the last call. A small `EmitCursor` remembers
 * what was already reported, so every snapshot yields only new events, each once. Pure.
 *
 * Within one call the order is: turn start, item starts, stream deltas, item ends, turn end
 * — so a message's deltas always precede its final text.
 */
import type { CodexStream } from "../streamSync.js";
import type { ThreadStateView } from "../threadState.js";
import type { CodexItemDoc } from "../types.js";
import type { ConversationEvent, PlanStep, PlanStepStatus } from "./events.js";

/** What a tool-call cell is titled, per item kind. */
function toolTitle(d: CodexItemDoc["details"]): string | undefined {
  switch (d.type) {
    case "mcpToolCall":
      return `${d.server}.${d.tool}`;
    case "dynamicToolCall":
      return d.namespace ? `${d.namespace}.${d.tool}` : d.tool;
    case "collabAgentToolCall":
      return d.tool;
    case "webSearch":
      return `Search the web: ${d.query}`;
    case "imageView":
      return `View ${d.path}`;
    case "imageGeneration":
      return "Generate an image";
    default:
      return undefined;
  }
}

export type EmitCursor = {
  readonly activeTurnId: string | undefined;
  /** The thread's latest turn when last looked at. */
  readonly lastTurnId: string | undefined;
  /** False until a thread state was seen: turns already over by then are history, not events. */
  readonly seenThread: boolean;
  /** Per item: what has been reported. */
  readonly items: Readonly<Record<string, { began?: true; ended?: true; planText?: string; status?: string }>>;
  /** Per stream: how much of its text has been reported. */
  readonly streams: Readonly<Record<string, number>>;
};

export const initialEmitCursor: EmitCursor = {
  activeTurnId: undefined,
  lastTurnId: undefined,
  seenThread: false,
  items: {},
  streams: {},
};

export type ConversationSnapshot = {
  thread: ThreadStateView | undefined;
  items: readonly CodexItemDoc[] | undefined;
  streams: readonly CodexStream[];
  now: number;
};

const isDone = (item: CodexItemDoc) => item.completedAt !== undefined || item.status !== "inProgress";

const CHECKBOX = /^\s*(?:[-*]|\d+\.)\s+\[( |x|X|~|-)\]\s+(.*)$/;
/** Steps of a plan item's markdown checklist (`- [ ]`, `- [~]` in progress, `- [x]`); plain lines are pending steps. */
export function planSteps(text: string): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const line of text.split("\n")) {
    const m = CHECKBOX.exec(line);
    if (m) {
      const mark = m[1]!;
      const status: PlanStepStatus = mark === "x" || mark === "X" ? "completed" : mark === " " ? "pending" : "in_progress";
      steps.push({ step: m[2]!.trim(), status });
    } else {
      const plain = line.replace(/^\s*(?:[-*]|\d+\.)\s+/, "").trim();
      if (plain && /^\s*(?:[-*]|\d+\.)\s+/.test(line)) steps.push({ step: plain, status: "pending" });
    }
  }
  return steps;
}

export function eventsFromSnapshot(
  cursor: EmitCursor,
  snap: ConversationSnapshot,
): { events: ConversationEvent[]; cursor: EmitCursor } {
  const events: ConversationEvent[] = [];
  const items: Record<string, { began?: true; ended?: true; planText?: string; status?: string }> = { ...cursor.items };
  const streams: Record<string, number> = { ...cursor.streams };
  let activeTurnId = cursor.activeTurnId;
  const ends: ConversationEvent[] = [];

  // Turn boundaries. A turn that ended is reported after its items' final events; one that
  // started (and possibly ended) between two snapshots is still reported, so nothing that
  // waits for a turn (the input queue) can miss it.
  const active = snap.thread?.activeTurn ?? null;
  const last = snap.thread?.lastTurn ?? null;
  const endOf = (turnId: string): ConversationEvent => {
    const t = last && last.turnId === turnId ? last : undefined;
    const at = t?.completedAt ?? snap.now;
    if (t && (t.status === "interrupted" || t.status === "failed")) return { type: "turn_aborted", turnId, at, reason: t.status };
    return { type: "turn_completed", turnId, at };
  };
  const turnEvents: ConversationEvent[] = [];
  let lastTurnId = cursor.lastTurnId;
  if (snap.thread) {
    const firstLook = !cursor.seenThread;
    if (activeTurnId !== undefined && active?.turnId !== activeTurnId) {
      turnEvents.push(endOf(activeTurnId));
      activeTurnId = undefined;
    }
    if (!firstLook && last && last.turnId !== lastTurnId && last.turnId !== active?.turnId && last.turnId !== cursor.activeTurnId) {
      turnEvents.push({ type: "turn_started", turnId: last.turnId, at: last.startedAt ?? snap.now }, endOf(last.turnId));
    }
    if (active && activeTurnId === undefined) {
      const start: ConversationEvent = { type: "turn_started", turnId: active.turnId, at: active.startedAt ?? snap.now };
      if (turnEvents.length === 0) events.push(start);
      else turnEvents.push(start);
      activeTurnId = active.turnId;
    }
    lastTurnId = last?.turnId ?? active?.turnId ?? lastTurnId;
  }

  // Item starts (and ends, collected to go after the deltas).
  const ordered = [...(snap.items ?? [])].sort((a, b) => a.startedAt - b.startedAt || a._creationTime - b._creationTime);
  for (const item of ordered) {
    const seen = items[item.itemId] ?? {};
    const d = item.details;
    const done = isDone(item);
    const mark = { ...seen };
    switch (d.type) {
      case "userMessage":
        if (!seen.began) {
          events.push({ type: "user_message", itemId: item.itemId, text: d.text });
          mark.began = mark.ended = true;
        }
        break;
      case "agentMessage":
        if (done && !seen.ended) {
          ends.push({ type: "agent_message", itemId: item.itemId, text: d.text });
          mark.ended = true;
        }
        break;
      case "commandExecution":
        if (!seen.began) {
          events.push({ type: "exec_begin", callId: item.itemId, command: d.command, commandActions: d.commandActions, userShell: d.source === "userShell" });
          mark.began = true;
        }
        if (done && !seen.ended) {
          ends.push({ type: "exec_end", callId: item.itemId, exitCode: d.exitCode, output: d.aggregatedOutput, command: d.command, commandActions: d.commandActions });
          mark.ended = true;
        }
        break;
      case "plan":
        if (seen.planText !== d.text) {
          const steps = planSteps(d.text);
          if (steps.length > 0) events.push({ type: "plan_update", steps });
          mark.planText = d.text;
        }
        break;
      case "reasoning": {
        // Streams carry live reasoning; a finished item with no stream still sets the header.
        const streamed = snap.streams.some((s) => s.itemId === item.itemId);
        if (done && !seen.ended && !streamed && d.summary.length > 0) {
          events.push({ type: "reasoning_delta", key: item.itemId, delta: d.summary.join("\n\n") });
        }
        if (done) mark.ended = true;
        break;
      }
      case "fileChange":
        if (seen.status !== item.status) {
          const changes = d.changes.map((c) => ({ path: c.path, kind: c.kind }));
          (done ? ends : events).push({ type: "patch", itemId: item.itemId, changes, status: item.status });
          mark.status = item.status;
        }
        break;
      default: {
        const title = toolTitle(d);
        if (title !== undefined && seen.status !== item.status) {
          (done ? ends : events).push({ type: "tool_call", itemId: item.itemId, title, status: item.status });
          mark.status = item.status;
        }
        break;
      }
    }
    items[item.itemId] = mark;
  }

  // New stream text.
  for (const s of snap.streams) {
    const reported = streams[s.streamId] ?? 0;
    if (s.text.length <= reported) {
      // A rebased stream restarted shorter: report from its new end, never twice.
      streams[s.streamId] = Math.min(reported, s.text.length);
      continue;
    }
    const delta = s.text.slice(reported);
    streams[s.streamId] = s.text.length;
    if (cursor.items[s.itemId]?.ended && (s.channel === "agentMessage" || s.channel === "commandOutput")) continue;
    if (s.channel === "agentMessage") events.push({ type: "agent_message_delta", itemId: s.itemId, delta });
    else if (s.channel === "reasoningSummary" || s.channel === "reasoningContent") events.push({ type: "reasoning_delta", key: s.streamId, delta });
    else if (s.channel === "commandOutput") events.push({ type: "exec_output_delta", callId: s.itemId, delta });
  }

  events.push(...ends, ...turnEvents);
  return {
    events,
    cursor: { activeTurnId, lastTurnId, seenThread: cursor.seenThread || snap.thread !== undefined, items, streams },
  };
}
