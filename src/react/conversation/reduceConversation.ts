/**
 * The conversation view as a pure fold over events (seed 004's reducer), so every rule is
 * a table row in a test:
 * - newline-gated streaming: only complete lines reach the transcript; the rest waits in
 *   `streamBuffer` until a newline, the final message, or the end of the turn;
 * - a final `agent_message` replaces what the deltas built and later deltas of that item
 *   are ignored (no duplicate, nothing stuck);
 * - command runs whose every action is read / listFiles / search are "exploring" and
 *   consecutive ones share one "Explored" cell;
 * - inputs wait in `queuedInputs` while a turn runs (or one is starting) and go one at a time;
 * - a turn that ended interrupted or failed leaves one marker cell, with codex's error.
 * Cells of an item are matched on `turnId` + `itemId` (an item id alone is not unique).
 */
import type { CommandAction } from "../../component/validators.js";
import { extractBoldHeader } from "../reasoningHeader.js";
import type { ConversationEvent, PatchChange, PlanStep, ToolDetail } from "./events.js";

export type ExecCall = {
  callId: string;
  command: string;
  commandActions: CommandAction[];
  output: string;
  exitCode: number | undefined;
  done: boolean;
  /** Every action reads, lists or searches (and it is not the user's own shell command). */
  exploring: boolean;
  turnId?: string;
  cwd?: string;
  /** The item's status once it ended: `completed`, `failed`, `declined`, `interrupted`. */
  status?: string;
  durationMs?: number;
  outputTruncated?: boolean;
  /** codex waits for the user to approve it: not running yet. */
  awaitingApproval?: boolean;
};

/** What the running command's cell is titled. */
export type ActiveExecTitle = "Exploring" | "Running" | "Waiting for approval";

export type TranscriptCell =
  | { kind: "user"; itemId: string; text: string; turnId?: string }
  | { kind: "agent"; itemId: string; lines: string[]; done: boolean; turnId?: string }
  /** Beyond seed 004: the reasoning summary codex streams, under its bold header. */
  | { kind: "reasoning"; itemId: string; summary: string; header: string | undefined; done: boolean; turnId?: string; partKey?: string }
  | { kind: "plan"; steps: PlanStep[]; turnId?: string; explanation?: string }
  | { kind: "exec"; call: ExecCall }
  | { kind: "explored"; calls: ExecCall[] }
  | { kind: "patch"; itemId: string; changes: PatchChange[]; status: string; turnId?: string; truncated?: boolean; awaitingApproval?: boolean }
  | { kind: "tool"; itemId: string; title: string; status: string; turnId?: string; detail?: ToolDetail }
  /** A turn that ended without finishing: interrupted, or failed with codex's error. */
  | { kind: "turn_end"; turnId: string; status: "interrupted" | "failed"; error: string | undefined }
  /** codex compacted its context here: what came before is summarized for the model. */
  | { kind: "compacted"; itemId: string; turnId?: string }
  /** Something the backend refused to store (see `droppedEvents`): what was lost and why. */
  | { kind: "dropped"; id: string; turnId?: string; itemId?: string; what: string; code: string; message: string };

export type FailedInput = { text: string; error: string };

export type ConversationState = {
  taskRunning: boolean;
  turnId: string | undefined;
  statusHeader: string;
  turnStartedAt: number | undefined;
  /** From turn start; frozen when the turn ends. */
  elapsedMs: number;
  plan: PlanStep[];
  /** The turn the plan belongs to, and codex's explanation of it (when the plan came from `update_plan`). */
  planTurnId: string | undefined;
  planExplanation: string | undefined;
  activeExec: (ExecCall & { title: ActiveExecTitle }) | undefined;
  transcript: TranscriptCell[];
  /** Agent text after the last newline, not shown yet. */
  streamBuffer: string;
  streamItemId: string | undefined;
  /** The turn of the item being streamed. */
  streamTurnId: string | undefined;
  queuedInputs: string[];
  /** An input went out and its turn has not started yet: the queue waits. */
  awaitingTurnStart: boolean;
  /** The input that went out (shown as sending until codex's user message arrives), and its command. */
  pendingInput: string | undefined;
  pendingCommandId: string | undefined;
  /** Inputs whose send failed or whose command failed / was cancelled, oldest first. */
  failedInputs: FailedInput[];
  lastError: string | undefined;
  /** Agent messages whose final text is in: their late deltas are ignored. */
  finishedItems: Readonly<Record<string, true>>;
  reasoningKey: string | undefined;
  reasoningText: string;
  /** Items (`turnId/itemId`) whose approval is pending, from the last `approvals_pending`. */
  awaitingApproval: Readonly<Record<string, true>>;
};

export const initialConversationState: ConversationState = {
  taskRunning: false,
  turnId: undefined,
  statusHeader: "",
  turnStartedAt: undefined,
  elapsedMs: 0,
  plan: [],
  planTurnId: undefined,
  planExplanation: undefined,
  activeExec: undefined,
  transcript: [],
  streamBuffer: "",
  streamItemId: undefined,
  streamTurnId: undefined,
  queuedInputs: [],
  awaitingTurnStart: false,
  pendingInput: undefined,
  pendingCommandId: undefined,
  failedInputs: [],
  lastError: undefined,
  finishedItems: {},
  reasoningKey: undefined,
  reasoningText: "",
  awaitingApproval: {},
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

/** An item within its turn: what cells and the finished set are keyed by. */
export function itemKey(turnId: string | undefined, itemId: string): string {
  return turnId === undefined ? itemId : `${turnId}/${itemId}`;
}

const sameItem = (cell: { itemId: string; turnId?: string }, turnId: string | undefined, itemId: string) =>
  cell.itemId === itemId && (cell.turnId === undefined || turnId === undefined || cell.turnId === turnId);

function replaceCell<C extends TranscriptCell>(transcript: TranscriptCell[], at: number, cell: C): TranscriptCell[] {
  const next = transcript.slice();
  next[at] = cell;
  return next;
}

function updateAgentCell(
  transcript: TranscriptCell[],
  turnId: string | undefined,
  itemId: string,
  update: (cell: Extract<TranscriptCell, { kind: "agent" }>) => Extract<TranscriptCell, { kind: "agent" }>,
): TranscriptCell[] {
  for (let i = transcript.length - 1; i >= 0; i--) {
    const cell = transcript[i]!;
    if (cell.kind === "agent" && sameItem(cell, turnId, itemId)) return replaceCell(transcript, i, update(cell));
  }
  const fresh: Extract<TranscriptCell, { kind: "agent" }> = { kind: "agent", itemId, lines: [], done: false, ...(turnId ? { turnId } : {}) };
  return [...transcript, update(fresh)];
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
    streamTurnId: undefined,
    transcript: updateAgentCell(state.transcript, state.streamTurnId, itemId, (c) => ({
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
  // Its approval, if any, is moot: the command is over or left behind.
  const { title: _title, awaitingApproval: _waiting, ...call } = state.activeExec;
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

function addTurnMarker(state: ConversationState, turnId: string, status: "interrupted" | "failed", error: string | undefined): ConversationState {
  if (state.transcript.some((c) => c.kind === "turn_end" && c.turnId === turnId)) return state;
  return { ...state, transcript: [...state.transcript, { kind: "turn_end", turnId, status, error }] };
}

function reasoningCell(state: ConversationState, event: Extract<ConversationEvent, { type: "reasoning_delta" }>): TranscriptCell[] {
  const { itemId, turnId } = event;
  if (itemId === undefined || event.channel !== "summary") return state.transcript;
  const at = state.transcript.findLastIndex((c) => c.kind === "reasoning" && sameItem(c, turnId, itemId));
  if (at === -1) {
    const cell: TranscriptCell = {
      kind: "reasoning",
      itemId,
      summary: event.delta,
      header: extractBoldHeader(event.delta),
      done: false,
      partKey: event.key,
      ...(turnId ? { turnId } : {}),
    };
    return [...state.transcript, cell];
  }
  const cell = state.transcript[at] as Extract<TranscriptCell, { kind: "reasoning" }>;
  if (cell.done) return state.transcript;
  // Each summary part is its own stream: parts are paragraphs.
  const joint = cell.partKey !== event.key && cell.summary !== "" ? "\n\n" : "";
  const summary = cell.summary + joint + event.delta;
  return replaceCell(state.transcript, at, { ...cell, summary, header: cell.header ?? extractBoldHeader(summary), partKey: event.key });
}

/** The running command as it stands while its approval is (or is not) pending. */
function withApproval<C extends ExecCall & { title: ActiveExecTitle }>(call: C, waiting: boolean): C {
  const { awaitingApproval: _was, ...rest } = call;
  const title: ActiveExecTitle = waiting ? "Waiting for approval" : call.exploring ? "Exploring" : "Running";
  return { ...rest, title, ...(waiting ? { awaitingApproval: true as const } : {}) } as C;
}

/** Cells follow the set of items awaiting approval: the running command and edits not applied yet. */
function applyApprovals(state: ConversationState, awaitingApproval: Record<string, true>): ConversationState {
  const waits = (turnId: string | undefined, itemId: string) => awaitingApproval[itemKey(turnId, itemId)] === true;
  const active = state.activeExec;
  const activeExec = active && Boolean(active.awaitingApproval) !== waits(active.turnId, active.callId) ? withApproval(active, !active.awaitingApproval) : active;
  let transcript = state.transcript;
  transcript.forEach((cell, i) => {
    if (cell.kind !== "patch") return;
    const waiting = cell.status === "inProgress" && waits(cell.turnId, cell.itemId);
    if (Boolean(cell.awaitingApproval) === waiting) return;
    const { awaitingApproval: _was, ...rest } = cell;
    transcript = replaceCell(transcript, i, waiting ? { ...rest, awaitingApproval: true } : rest);
  });
  return { ...state, awaitingApproval, activeExec, transcript };
}

/** Plan step status in seed 004's words (codex says `inProgress`). */
export function planStepStatus(status: string): PlanStep["status"] {
  return status === "completed" ? "completed" : status === "pending" ? "pending" : "in_progress";
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
        pendingInput: undefined,
        pendingCommandId: undefined,
        reasoningKey: undefined,
        reasoningText: "",
      };
    case "turn_completed":
      if (!state.taskRunning || state.turnId !== event.turnId) return state;
      return endTurn(state, event.at);
    case "turn_aborted": {
      const running = state.taskRunning && state.turnId === event.turnId;
      const base = running
        ? { ...endTurn(state, event.at), lastError: event.reason === "failed" ? (event.error ?? "turn failed") : state.lastError }
        : state;
      return addTurnMarker(base, event.turnId, event.reason, event.error);
    }
    case "event_dropped": {
      if (state.transcript.some((c) => c.kind === "dropped" && c.id === event.id)) return state;
      const { type: _type, ...cell } = event;
      return { ...state, transcript: [...state.transcript, { kind: "dropped", ...cell }] };
    }
    case "approvals_pending": {
      const awaitingApproval: Record<string, true> = {};
      for (const item of event.items) awaitingApproval[itemKey(item.turnId, item.itemId)] = true;
      return applyApprovals(state, awaitingApproval);
    }
    case "tick":
      if (!state.taskRunning || state.turnStartedAt === undefined) return state;
      return { ...state, elapsedMs: Math.max(0, event.now - state.turnStartedAt) };
    case "reasoning_delta": {
      const text = (state.reasoningKey === event.key ? state.reasoningText : "") + event.delta;
      return {
        ...state,
        reasoningKey: event.key,
        reasoningText: text,
        statusHeader: extractBoldHeader(text) ?? state.statusHeader,
        transcript: reasoningCell(state, event),
      };
    }
    case "reasoning_done": {
      const at = state.transcript.findLastIndex((c) => c.kind === "reasoning" && sameItem(c, event.turnId, event.itemId));
      if (event.summary === "") return state;
      const cell: TranscriptCell = {
        kind: "reasoning",
        itemId: event.itemId,
        summary: event.summary,
        header: extractBoldHeader(event.summary),
        done: true,
        ...(event.turnId ? { turnId: event.turnId } : {}),
      };
      return { ...state, transcript: at === -1 ? [...state.transcript, cell] : replaceCell(state.transcript, at, cell) };
    }
    case "plan_update": {
      const cell: TranscriptCell = {
        kind: "plan",
        steps: event.steps,
        ...(event.turnId ? { turnId: event.turnId } : {}),
        ...(event.explanation ? { explanation: event.explanation } : {}),
      };
      const ofTurn = event.turnId === undefined ? -1 : state.transcript.findIndex((c) => c.kind === "plan" && c.turnId === event.turnId);
      const last = state.transcript[state.transcript.length - 1];
      const transcript =
        ofTurn !== -1
          ? replaceCell(state.transcript, ofTurn, cell)
          : last?.kind === "plan" && last.turnId === event.turnId
            ? [...state.transcript.slice(0, -1), cell]
            : [...state.transcript, cell];
      return { ...state, plan: event.steps, planTurnId: event.turnId, planExplanation: event.explanation, transcript };
    }
    case "exec_begin": {
      if (state.activeExec?.callId === event.callId && state.activeExec.turnId === event.turnId) return state;
      const base = finishActiveExec(state);
      const exploring = isExploring(event.commandActions, event.userShell);
      const waiting = state.awaitingApproval[itemKey(event.turnId, event.callId)] === true;
      return {
        ...base,
        activeExec: withApproval({
          callId: event.callId,
          command: event.command,
          commandActions: event.commandActions,
          output: "",
          exitCode: undefined,
          done: false,
          exploring,
          title: exploring ? "Exploring" : "Running",
          ...(event.turnId ? { turnId: event.turnId } : {}),
          ...(event.cwd ? { cwd: event.cwd } : {}),
        }, waiting),
      };
    }
    case "exec_output_delta":
      if (!state.activeExec || !sameItem({ itemId: state.activeExec.callId, turnId: state.activeExec.turnId }, event.turnId, event.callId)) return state;
      return { ...state, activeExec: { ...state.activeExec, output: state.activeExec.output + event.delta } };
    case "exec_end": {
      const isActive = state.activeExec !== undefined && sameItem({ itemId: state.activeExec.callId, turnId: state.activeExec.turnId }, event.turnId, event.callId);
      const active = isActive ? state.activeExec : undefined;
      if (!active && event.command === undefined) return state;
      const actions = active?.commandActions ?? event.commandActions ?? [];
      const turnId = event.turnId ?? active?.turnId;
      const cwd = event.cwd ?? active?.cwd;
      const call: ExecCall = {
        callId: event.callId,
        command: active?.command ?? event.command ?? "",
        commandActions: actions,
        output: event.output ?? active?.output ?? "",
        exitCode: event.exitCode,
        done: true,
        exploring: active?.exploring ?? isExploring(actions),
        ...(turnId ? { turnId } : {}),
        ...(cwd ? { cwd } : {}),
        ...(event.status ? { status: event.status } : {}),
        ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
        ...(event.outputTruncated ? { outputTruncated: true } : {}),
      };
      return { ...state, activeExec: active ? undefined : state.activeExec, transcript: pushExec(state.transcript, call) };
    }
    case "agent_message_delta": {
      if (state.finishedItems[itemKey(event.turnId, event.itemId)]) return state;
      const other = state.streamItemId !== undefined && (state.streamItemId !== event.itemId || state.streamTurnId !== event.turnId);
      const base = other ? flushStream(state, false) : state;
      const { committed, rest } = commitLines(base.streamBuffer + event.delta);
      return {
        ...base,
        streamItemId: event.itemId,
        streamTurnId: event.turnId,
        streamBuffer: rest,
        transcript: updateAgentCell(base.transcript, event.turnId, event.itemId, (c) =>
          committed.length === 0 ? c : { ...c, lines: [...c.lines, ...committed] },
        ),
      };
    }
    case "agent_message": {
      const key = itemKey(event.turnId, event.itemId);
      const lines = event.text.split("\n");
      if (state.finishedItems[key]) {
        // The same text again changes nothing; other text (the full reply after a preview) replaces it.
        const transcript = updateAgentCell(state.transcript, event.turnId, event.itemId, (c) =>
          c.lines.join("\n") === event.text ? c : { ...c, lines },
        );
        return transcript === state.transcript ? state : { ...state, transcript };
      }
      const streaming = state.streamItemId === event.itemId && state.streamTurnId === event.turnId;
      const base = streaming ? { ...state, streamBuffer: "", streamItemId: undefined, streamTurnId: undefined } : state;
      return {
        ...base,
        finishedItems: { ...base.finishedItems, [key]: true },
        transcript: updateAgentCell(base.transcript, event.turnId, event.itemId, (c) => ({ ...c, lines, done: true })),
      };
    }
    case "user_message":
      if (state.transcript.some((c) => c.kind === "user" && sameItem(c, event.turnId, event.itemId))) return state;
      return {
        ...state,
        transcript: [...state.transcript, { kind: "user", itemId: event.itemId, text: event.text, ...(event.turnId ? { turnId: event.turnId } : {}) }],
      };
    case "context_compacted":
      if (state.transcript.some((c) => c.kind === "compacted" && sameItem(c, event.turnId, event.itemId))) return state;
      return { ...state, transcript: [...state.transcript, { kind: "compacted", itemId: event.itemId, ...(event.turnId ? { turnId: event.turnId } : {}) }] };
    case "patch":
    case "tool_call": {
      const turn = event.turnId ? { turnId: event.turnId } : {};
      const waiting = event.type === "patch" && event.status === "inProgress" && state.awaitingApproval[itemKey(event.turnId, event.itemId)] === true;
      const cell: TranscriptCell =
        event.type === "patch"
          ? {
              kind: "patch",
              itemId: event.itemId,
              changes: event.changes,
              status: event.status,
              ...turn,
              ...(event.truncated ? { truncated: true } : {}),
              ...(waiting ? { awaitingApproval: true } : {}),
            }
          : { kind: "tool", itemId: event.itemId, title: event.title, status: event.status, ...turn, ...(event.detail ? { detail: event.detail } : {}) };
      // One cell per item, updated in place as its status changes.
      const at = state.transcript.findLastIndex((c) => (c.kind === "patch" || c.kind === "tool") && sameItem(c, event.turnId, event.itemId));
      if (at === -1) return { ...state, transcript: [...state.transcript, cell] };
      return { ...state, transcript: replaceCell(state.transcript, at, cell) };
    }
    case "input_submitted": {
      const text = event.text.trim();
      return text === "" ? state : { ...state, queuedInputs: [...state.queuedInputs, text] };
    }
    case "input_sent":
    case "input_steered": {
      const at = state.queuedInputs.indexOf(event.text);
      const queuedInputs = at === -1 ? state.queuedInputs : [...state.queuedInputs.slice(0, at), ...state.queuedInputs.slice(at + 1)];
      if (event.type === "input_steered") return { ...state, queuedInputs, lastError: undefined };
      return { ...state, queuedInputs, awaitingTurnStart: true, pendingInput: event.text, pendingCommandId: undefined, lastError: undefined };
    }
    case "input_queued":
      if (state.pendingInput !== event.text || !state.awaitingTurnStart) return state;
      return { ...state, pendingCommandId: event.commandId };
    case "input_failed": {
      // The input being sent (a failed mutation names no pending text only in old states).
      const wasPending = state.awaitingTurnStart && (state.pendingInput === undefined || state.pendingInput === event.text);
      return {
        ...state,
        awaitingTurnStart: wasPending ? false : state.awaitingTurnStart,
        pendingInput: wasPending ? undefined : state.pendingInput,
        pendingCommandId: wasPending ? undefined : state.pendingCommandId,
        failedInputs: [...state.failedInputs, { text: event.text, error: event.error }],
        lastError: event.error,
      };
    }
    case "failed_input_removed":
      if (event.index < 0 || event.index >= state.failedInputs.length) return state;
      return { ...state, failedInputs: state.failedInputs.filter((_, i) => i !== event.index) };
    case "queue_cleared":
      return { ...state, queuedInputs: [] };
    case "queued_input_removed":
      if (event.index < 0 || event.index >= state.queuedInputs.length) return state;
      return { ...state, queuedInputs: state.queuedInputs.filter((_, i) => i !== event.index) };
  }
}
