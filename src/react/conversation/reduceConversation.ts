/**
 * The conversation view as a pure fold over events (seed 004's reducer), so every rule is
 * a table row in a test:
 * - newline-gated streaming: only complete lines reach the transcript; the rest waits in
 *   `streamBuffer` until a newline, the final message, or the end of the turn;
 * - a final `agent_message` replaces what the deltas built and later deltas of that item
 *   are ignored (no duplicate, nothing stuck);
 * - command runs whose every action is read / listFiles / search are "exploring" and
 *   consecutive ones share one "Explored" cell;
 * - inputs wait in `queuedInputs` while a turn runs (or one is starting) and go one at a time.
 */
import type { CommandAction } from "../../component/validators.js";
import { extractBoldHeader } from "../reasoningHeader.js";
import type { ConversationEvent, PlanStep } from "./events.js";

export type ExecCall = {
  callId: string;
  command: string;
  commandActions: CommandAction[];
  output: string;
  exitCode: number | undefined;
  done: boolean;
  /** Every action reads, lists or searches (and it is not the user's own shell command). */
  exploring: boolean;
};

export type TranscriptCell =
  | { kind: "user"; itemId: string; text: string }
  | { kind: "agent"; itemId: string; lines: string[]; done: boolean }
  | { kind: "plan"; steps: PlanStep[] }
  | { kind: "exec"; call: ExecCall }
  | { kind: "explored"; calls: ExecCall[] }
  | { kind: "patch"; itemId: string; changes: Array<{ path: string; kind: "add" | "delete" | "update" }>; status: string }
  | { kind: "tool"; itemId: string; title: string; status: string };

export type ConversationState = {
  taskRunning: boolean;
  turnId: string | undefined;
  statusHeader: string;
  turnStartedAt: number | undefined;
  /** From turn start; frozen when the turn ends. */
  elapsedMs: number;
  plan: PlanStep[];
  activeExec: (ExecCall & { title: "Exploring" | "Running" }) | undefined;
  transcript: TranscriptCell[];
  /** Agent text after the last newline, not shown yet. */
  streamBuffer: string;
  streamItemId: string | undefined;
  queuedInputs: string[];
  /** An input went out and its turn has not started yet: the queue waits. */
  awaitingTurnStart: boolean;
  lastError: string | undefined;
  /** Agent messages whose final text is in: their late deltas are ignored. */
  finishedItems: Readonly<Record<string, true>>;
  reasoningKey: string | undefined;
  reasoningText: string;
};

export const initialConversationState: ConversationState = {
  taskRunning: false,
  turnId: undefined,
  statusHeader: "",
  turnStartedAt: undefined,
  elapsedMs: 0,
  plan: [],
  activeExec: undefined,
  transcript: [],
  streamBuffer: "",
  streamItemId: undefined,
  queuedInputs: [],
  awaitingTurnStart: false,
  lastError: undefined,
  finishedItems: {},
  reasoningKey: undefined,
  reasoningText: "",
};

const EXPLORING = new Set(["read", "listFiles", "search"]);
export function isExploring(actions: readonly CommandAction[], userShell = false): boolean {
  return !userShell && actions.length > 0 && actions.every((a) => EXPLORING.has(a.type));
}

/** One line per action, as the "Explored" group lists them. */
export function describeAction(action: CommandAction): string {
  switch (action.type) {
    case "read":
      return `Read ${action.name}`;
    case "listFiles":
      return `List ${action.path ?? "."}`;
    case "search":
      return `Search ${action.query ?? ""}${action.path ? ` in ${action.path}` : ""}`.trim();
    default:
      return action.command;
  }
}

/** The input the view should send now, if any. */
export function nextInputToSend(state: ConversationState): string | undefined {
  return state.taskRunning || state.awaitingTurnStart ? undefined : state.queuedInputs[0];
}

/** Splits a buffer at its last newline: complete lines, and the rest. */
export function commitLines(buffer: string): { committed: string[]; rest: string } {
  const at = buffer.lastIndexOf("\n");
  if (at === -1) return { committed: [], rest: buffer };
  return { committed: buffer.slice(0, at).split("\n"), rest: buffer.slice(at + 1) };
}

function updateAgentCell(
  transcript: TranscriptCell[],
  itemId: string,
  update: (cell: Extract<TranscriptCell, { kind: "agent" }>) => Extract<TranscriptCell, { kind: "agent" }>,
): TranscriptCell[] {
  for (let i = transcript.length - 1; i >= 0; i--) {
    const cell = transcript[i]!;
    if (cell.kind === "agent" && cell.itemId === itemId) {
      const next = transcript.slice();
      next[i] = update(cell);
      return next;
    }
  }
  return [...transcript, update({ kind: "agent", itemId, lines: [], done: false })];
}

/** Moves what is left in the stream buffer into its agent cell. */
function flushStream(state: ConversationState, done: boolean): ConversationState {
  const itemId = state.streamItemId;
  if (itemId === undefined) return state;
  const rest = state.streamBuffer;
  return {
    ...state,
    streamBuffer: "",
    streamItemId: undefined,
    transcript: updateAgentCell(state.transcript, itemId, (c) => ({
      ...c,
      lines: rest === "" ? c.lines : [...c.lines, rest],
      done: done || c.done,
    })),
  };
}

function pushExec(transcript: TranscriptCell[], call: ExecCall): TranscriptCell[] {
  if (!call.exploring) return [...transcript, { kind: "exec", call }];
  const last = transcript[transcript.length - 1];
  if (last?.kind === "explored") return [...transcript.slice(0, -1), { kind: "explored", calls: [...last.calls, call] }];
  return [...transcript, { kind: "explored", calls: [call] }];
}

/** Puts the running command (if any) into the transcript as it stands. */
function finishActiveExec(state: ConversationState): ConversationState {
  if (!state.activeExec) return state;
  const { title: _title, ...call } = state.activeExec;
  return { ...state, activeExec: undefined, transcript: pushExec(state.transcript, call) };
}

function endTurn(state: ConversationState, at: number): ConversationState {
  const flushed = finishActiveExec(flushStream(state, true));
  return {
    ...flushed,
    taskRunning: false,
    elapsedMs: flushed.turnStartedAt === undefined ? flushed.elapsedMs : Math.max(0, at - flushed.turnStartedAt),
  };
}

export function reduceConversation(state: ConversationState, event: ConversationEvent): ConversationState {
  switch (event.type) {
    case "turn_started":
      if (state.taskRunning && state.turnId === event.turnId) return state;
      return {
        ...state,
        taskRunning: true,
        turnId: event.turnId,
        statusHeader: "Working",
        turnStartedAt: event.at,
        elapsedMs: 0,
        awaitingTurnStart: false,
        reasoningKey: undefined,
        reasoningText: "",
      };
    case "turn_completed":
      if (!state.taskRunning || state.turnId !== event.turnId) return state;
      return endTurn(state, event.at);
    case "turn_aborted":
      if (!state.taskRunning || state.turnId !== event.turnId) return state;
      return { ...endTurn(state, event.at), lastError: event.reason === "failed" ? "turn failed" : state.lastError };
    case "tick":
      if (!state.taskRunning || state.turnStartedAt === undefined) return state;
      return { ...state, elapsedMs: Math.max(0, event.now - state.turnStartedAt) };
    case "reasoning_delta": {
      const text = (state.reasoningKey === event.key ? state.reasoningText : "") + event.delta;
      return { ...state, reasoningKey: event.key, reasoningText: text, statusHeader: extractBoldHeader(text) ?? state.statusHeader };
    }
    case "plan_update": {
      const last = state.transcript[state.transcript.length - 1];
      const cell: TranscriptCell = { kind: "plan", steps: event.steps };
      const transcript = last?.kind === "plan" ? [...state.transcript.slice(0, -1), cell] : [...state.transcript, cell];
      return { ...state, plan: event.steps, transcript };
    }
    case "exec_begin": {
      if (state.activeExec?.callId === event.callId) return state;
      const base = finishActiveExec(state);
      const exploring = isExploring(event.commandActions, event.userShell);
      return {
        ...base,
        activeExec: {
          callId: event.callId,
          command: event.command,
          commandActions: event.commandActions,
          output: "",
          exitCode: undefined,
          done: false,
          exploring,
          title: exploring ? "Exploring" : "Running",
        },
      };
    }
    case "exec_output_delta":
      if (state.activeExec?.callId !== event.callId) return state;
      return { ...state, activeExec: { ...state.activeExec, output: state.activeExec.output + event.delta } };
    case "exec_end": {
      const active = state.activeExec?.callId === event.callId ? state.activeExec : undefined;
      if (!active && event.command === undefined) return state;
      const actions = active?.commandActions ?? event.commandActions ?? [];
      const call: ExecCall = {
        callId: event.callId,
        command: active?.command ?? event.command ?? "",
        commandActions: actions,
        output: event.output ?? active?.output ?? "",
        exitCode: event.exitCode,
        done: true,
        exploring: active?.exploring ?? isExploring(actions),
      };
      return { ...state, activeExec: active ? undefined : state.activeExec, transcript: pushExec(state.transcript, call) };
    }
    case "agent_message_delta": {
      if (state.finishedItems[event.itemId]) return state;
      const base = state.streamItemId !== undefined && state.streamItemId !== event.itemId ? flushStream(state, false) : state;
      const { committed, rest } = commitLines(base.streamBuffer + event.delta);
      return {
        ...base,
        streamItemId: event.itemId,
        streamBuffer: rest,
        transcript: updateAgentCell(base.transcript, event.itemId, (c) =>
          committed.length === 0 ? c : { ...c, lines: [...c.lines, ...committed] },
        ),
      };
    }
    case "agent_message": {
      if (state.finishedItems[event.itemId]) return state;
      const base = state.streamItemId === event.itemId ? { ...state, streamBuffer: "", streamItemId: undefined } : state;
      return {
        ...base,
        finishedItems: { ...base.finishedItems, [event.itemId]: true },
        transcript: updateAgentCell(base.transcript, event.itemId, (c) => ({ ...c, lines: event.text.split("\n"), done: true })),
      };
    }
    case "user_message":
      if (state.transcript.some((c) => c.kind === "user" && c.itemId === event.itemId)) return state;
      return { ...state, transcript: [...state.transcript, { kind: "user", itemId: event.itemId, text: event.text }] };
    case "patch":
    case "tool_call": {
      const cell: TranscriptCell =
        event.type === "patch"
          ? { kind: "patch", itemId: event.itemId, changes: event.changes, status: event.status }
          : { kind: "tool", itemId: event.itemId, title: event.title, status: event.status };
      // One cell per item, updated in place as its status changes.
      const at = state.transcript.findIndex((c) => (c.kind === "patch" || c.kind === "tool") && c.itemId === event.itemId);
      if (at === -1) return { ...state, transcript: [...state.transcript, cell] };
      const transcript = state.transcript.slice();
      transcript[at] = cell;
      return { ...state, transcript };
    }
    case "input_submitted": {
      const text = event.text.trim();
      return text === "" ? state : { ...state, queuedInputs: [...state.queuedInputs, text] };
    }
    case "input_sent": {
      const at = state.queuedInputs.indexOf(event.text);
      const queuedInputs = at === -1 ? state.queuedInputs : [...state.queuedInputs.slice(0, at), ...state.queuedInputs.slice(at + 1)];
      return { ...state, queuedInputs, awaitingTurnStart: true, lastError: undefined };
    }
    case "input_failed":
      return { ...state, awaitingTurnStart: false, lastError: event.error };
    case "queue_cleared":
      return { ...state, queuedInputs: [] };
  }
}
