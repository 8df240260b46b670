/**
 * Turns what Convex shows of a thread (its state, items and streams, each a snapshot) into
 * the conversation events that happened since the last call. A small `EmitCursor` remembers
 * what was already reported, so every snapshot yields only new events, each once. Pure.
 *
 * Within one call the order is: turn start; items in start order, each item's start and,
 * if it is over, its end (after each turn's items, its plan and — for a turn of history that
 * ended interrupted or failed — its marker); stream deltas of the items still running; turn
 * end. An item that is over is told by its final text alone: deltas of its streams not yet
 * reported are skipped, so history lands in order and nothing is told twice.
 *
 * Items are identified within their turn: the cursor is keyed by `turnId` + `itemId`.
 */
import type { CodexStream } from "../streamSync.js";
import type { ThreadStateView, TurnSummary } from "../threadState.js";
import type { CodexItemDoc } from "../types.js";
import type { ConversationEvent, PlanStep, PlanStepStatus, ToolDetail } from "./events.js";
import { itemKey, planStepStatus } from "./reduceConversation.js";

type Details = CodexItemDoc["details"];

/** What a tool-call cell is titled, per item kind. */
function toolTitle(d: Details): string | undefined {
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

/** What a tool cell shows when opened: arguments, result, error. */
function toolDetail(d: Details): ToolDetail {
  switch (d.type) {
    case "mcpToolCall":
      return { itemType: d.type, input: d.argumentsJson, output: d.resultJson, error: d.error, durationMs: d.durationMs };
    case "dynamicToolCall":
      return { itemType: d.type, input: d.argumentsJson, error: d.success === false ? "the tool reported a failure" : undefined, durationMs: d.durationMs };
    case "collabAgentToolCall":
      return { itemType: d.type, input: d.prompt };
    case "webSearch":
      return { itemType: d.type, input: d.query };
    case "imageView":
      return { itemType: d.type, input: d.path };
    case "imageGeneration":
      return { itemType: d.type, input: d.revisedPrompt, output: d.savedPath };
    default:
      return { itemType: d.type };
  }
}

type ItemMark = { began?: true; ended?: true; planText?: string; status?: string; text?: string };

export type EmitCursor = {
  readonly activeTurnId: string | undefined;
  /** The thread's latest turn when last looked at. */
  readonly lastTurnId: string | undefined;
  /** False until a thread state was seen: turns already over by then are history, not events. */
  readonly seenThread: boolean;
  /** Per item (`turnId/itemId`): what has been reported. */
  readonly items: Readonly<Record<string, ItemMark>>;
  /** Per stream: how much of its text has been reported. */
  readonly streams: Readonly<Record<string, number>>;
  /** Per turn: the plan last reported (as JSON) and whether its end marker was. */
  readonly turns?: Readonly<Record<string, { plan?: string; marked?: true }>>;
  /** Dropped-event records already reported. */
  readonly dropped?: Readonly<Record<string, true>>;
  /** The items awaiting approval last reported (sorted keys, as JSON). */
  readonly approvals?: string;
};

export const initialEmitCursor: EmitCursor = {
  activeTurnId: undefined,
  lastTurnId: undefined,
  seenThread: false,
  items: {},
  streams: {},
  turns: {},
  dropped: {},
};

export type ConversationSnapshot = {
  thread: ThreadStateView | undefined;
  items: readonly CodexItemDoc[] | undefined;
  streams: readonly CodexStream[];
  now: number;
  /** More turns than the thread state lists (e.g. a page of `threadTurns`), any order. */
  turns?: readonly TurnSummary[];
  /** Full reply texts by `turnId/itemId` (stored messages), for items that keep only a preview. */
  fullText?: ReadonlyMap<string, string>;
  /** What the backend refused to store for this thread (`droppedEvents`), any order. */
  dropped?: readonly DroppedRecord[];
  /**
   * Items that started before this are not loaded (older history is left): turns that
   * started earlier wait for them, so their plan and end marker land with their items.
   */
  olderItemsBefore?: number;
  /** The thread's pending approvals (`pendingApprovals`): their items wait for the user. */
  approvals?: readonly { turnId: string; itemId: string }[];
};

/** A dropped-event record as the app's wrapper returns it (the component's `dropped_events` row). */
export type DroppedRecord = {
  _id: string;
  createdAt: number;
  turnId?: string;
  itemId?: string;
  dropped: { eventType: string; kind?: string; code: string; message: string };
};

/** What was lost, in words: the codex method, else the kind of event. */
function droppedWhat(d: DroppedRecord["dropped"]): string {
  if (d.kind) return d.kind;
  return d.eventType === "stream_delta" ? "streamed text" : d.eventType === "server_request" ? "a request from codex" : "an event";
}

const isDone = (item: CodexItemDoc) => item.completedAt !== undefined || item.status !== "inProgress";
const isAborted = (status: string): status is "interrupted" | "failed" => status === "interrupted" || status === "failed";

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

/** Every turn the snapshot knows, by id (the richest summary wins: active > listed > last). */
function knownTurns(snap: ConversationSnapshot): Map<string, TurnSummary> {
  const turns = new Map<string, TurnSummary>();
  const put = (t: TurnSummary | null | undefined) => {
    if (t) turns.set(t.turnId, { ...turns.get(t.turnId), ...t });
  };
  for (const t of snap.turns ?? []) put(t);
  for (const t of snap.thread?.recentTurns ?? []) put(t);
  put(snap.thread?.lastTurn);
  put(snap.thread?.activeTurn);
  return turns;
}

export function eventsFromSnapshot(
  cursor: EmitCursor,
  snap: ConversationSnapshot,
): { events: ConversationEvent[]; cursor: EmitCursor } {
  const events: ConversationEvent[] = [];
  const items: Record<string, ItemMark> = { ...cursor.items };
  const streams: Record<string, number> = { ...cursor.streams };
  const turnMarks: Record<string, { plan?: string; marked?: true }> = { ...cursor.turns };
  const known = knownTurns(snap);
  let activeTurnId = cursor.activeTurnId;
  const streamsOf = new Map<string, CodexStream[]>();
  for (const s of snap.streams) {
    const key = itemKey(s.turnId, s.itemId);
    const list = streamsOf.get(key);
    if (list) list.push(s);
    else streamsOf.set(key, [s]);
  }
  /** Marks an ended item's streams as told (its final text says it all); returns their text by channel. */
  const settleStreams = (key: string) => {
    const texts: Partial<Record<string, string>> = {};
    for (const s of streamsOf.get(key) ?? []) {
      streams[s.streamId] = Math.max(streams[s.streamId] ?? 0, s.text.length);
      texts[s.channel] = s.text;
    }
    return texts;
  };

  // Turn boundaries. A turn that ended is reported after its items' final events; one that
  // started (and possibly ended) between two snapshots is still reported, so nothing that
  // waits for a turn (the input queue) can miss it.
  const active = snap.thread?.activeTurn ?? null;
  const last = snap.thread?.lastTurn ?? null;
  const endOf = (turnId: string): ConversationEvent => {
    const t = known.get(turnId);
    const at = t?.completedAt ?? snap.now;
    turnMarks[turnId] = { ...turnMarks[turnId], marked: true };
    if (t && isAborted(t.status)) return { type: "turn_aborted", turnId, at, reason: t.status, ...(t.error ? { error: t.error } : {}) };
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

  // A turn's plan when it changed: before the first of its items that started after the
  // plan's time (or after its items), so it sits where codex made it.
  const planOf = (turnId: string, before?: number) => {
    const plan = known.get(turnId)?.plan;
    if (!plan || (before !== undefined && (plan.updatedAt === undefined || plan.updatedAt > before))) return;
    const json = JSON.stringify(plan);
    if (turnMarks[turnId]?.plan === json) return;
    const steps = plan.steps.map((s) => ({ step: s.step, status: planStepStatus(s.status) }));
    events.push({ type: "plan_update", turnId, steps, ...(plan.explanation ? { explanation: plan.explanation } : {}) });
    turnMarks[turnId] = { ...turnMarks[turnId], plan: json };
  };
  // After a turn's items: its plan if not told yet, and the marker of a turn of history
  // that ended without finishing (a live end is reported with the turn events).
  const afterTurn = (turnId: string) => {
    const t = known.get(turnId);
    if (!t) return;
    planOf(turnId);
    const mark = turnMarks[turnId] ?? {};
    if (isAborted(t.status) && !mark.marked && turnId !== activeTurnId && turnId !== cursor.activeTurnId) {
      events.push({ type: "turn_aborted", turnId, at: t.completedAt ?? snap.now, reason: t.status, ...(t.error ? { error: t.error } : {}) });
      turnMarks[turnId] = { ...turnMarks[turnId], marked: true };
    }
  };

  // Dropped events where they happened: before the first item that started after them.
  const droppedTold: Record<string, true> = { ...cursor.dropped };
  const droppedQueue = [...(snap.dropped ?? [])].filter((r) => !droppedTold[r._id]).sort((a, b) => a.createdAt - b.createdAt);
  const droppedUpTo = (at: number) => {
    while (droppedQueue.length > 0 && droppedQueue[0]!.createdAt <= at) {
      const r = droppedQueue.shift()!;
      droppedTold[r._id] = true;
      const ids = { ...(r.turnId ? { turnId: r.turnId } : {}), ...(r.itemId ? { itemId: r.itemId } : {}) };
      events.push({ type: "event_dropped", id: r._id, ...ids, what: droppedWhat(r.dropped), code: r.dropped.code, message: r.dropped.message });
    }
  };

  // Which items wait for approval, when that changed (before the items, so a command that
  // starts now starts waiting).
  let approvalsTold = cursor.approvals;
  if (snap.approvals) {
    const pending = snap.approvals.map((a) => ({ turnId: a.turnId, itemId: a.itemId }));
    const json = JSON.stringify(pending.map((a) => itemKey(a.turnId, a.itemId)).sort());
    if (json !== (approvalsTold ?? "[]")) events.push({ type: "approvals_pending", items: pending });
    approvalsTold = json;
  }

  // Items: starts and, for what is over, ends.
  const ordered = [...(snap.items ?? [])].sort((a, b) => a.startedAt - b.startedAt || a._creationTime - b._creationTime);
  const turnsWithItems = new Set<string>();
  let currentTurn: string | undefined;
  for (const item of ordered) {
    if (currentTurn !== undefined && item.turnId !== currentTurn) afterTurn(currentTurn);
    currentTurn = item.turnId;
    turnsWithItems.add(item.turnId);
    planOf(item.turnId, item.startedAt);
    droppedUpTo(item.startedAt);
    const key = itemKey(item.turnId, item.itemId);
    const seen = items[key] ?? {};
    const d = item.details;
    const done = isDone(item);
    const mark = { ...seen };
    const ids = { itemId: item.itemId, turnId: item.turnId };
    switch (d.type) {
      case "userMessage":
        if (!seen.began) {
          events.push({ type: "user_message", ...ids, text: d.text });
          mark.began = mark.ended = true;
        }
        break;
      case "agentMessage": {
        // A preview (the item keeps only the start of a long reply) gives way to the stored message.
        const text = (d.textTruncated ? snap.fullText?.get(key) : undefined) ?? d.text;
        if (done && (!seen.ended || seen.text !== text)) {
          settleStreams(key);
          events.push({ type: "agent_message", ...ids, text });
          mark.ended = true;
          mark.text = text;
        }
        break;
      }
      case "commandExecution":
        if (!seen.began) {
          events.push({
            type: "exec_begin",
            callId: item.itemId,
            turnId: item.turnId,
            command: d.command,
            cwd: d.cwd,
            commandActions: d.commandActions,
            userShell: d.source === "userShell",
          });
          mark.began = true;
        }
        if (done && !seen.ended) {
          const streamed = settleStreams(key).commandOutput;
          events.push({
            type: "exec_end",
            callId: item.itemId,
            turnId: item.turnId,
            exitCode: d.exitCode,
            output: d.aggregatedOutput ?? streamed,
            command: d.command,
            commandActions: d.commandActions,
            cwd: d.cwd,
            status: item.status,
            ...(d.durationMs !== undefined ? { durationMs: d.durationMs } : {}),
            ...(d.outputTruncated ? { outputTruncated: true } : {}),
          });
          mark.ended = true;
        }
        break;
      case "plan":
        if (seen.planText !== d.text) {
          const steps = planSteps(d.text);
          if (steps.length > 0) events.push({ type: "plan_update", steps, turnId: item.turnId });
          mark.planText = d.text;
        }
        break;
      case "reasoning": {
        // Streams carry live reasoning; a finished item with no stream still sets the header,
        // and its final summary replaces what the streams built.
        const summary = d.summary.join("\n\n");
        if (done && !seen.ended) {
          const streamed = settleStreams(key);
          const text = summary || streamed.reasoningSummary || streamed.reasoningContent || "";
          if (text !== "") events.push({ type: "reasoning_delta", key, delta: text, ...ids, channel: "content" });
          if (summary !== "") events.push({ type: "reasoning_done", ...ids, summary });
          mark.ended = true;
        }
        break;
      }
      case "contextCompaction":
        if (done && !seen.ended) {
          events.push({ type: "context_compacted", ...ids });
          mark.ended = true;
        }
        break;
      case "fileChange":
        if (seen.status !== item.status) {
          const changes = d.changes.map((c) => ({ path: c.path, kind: c.kind, diff: c.diff, ...(c.movePath ? { movePath: c.movePath } : {}) }));
          events.push({ type: "patch", ...ids, changes, status: item.status, ...(d.changesTruncated ? { truncated: true } : {}) });
          mark.status = item.status;
        }
        break;
      default: {
        const title = toolTitle(d);
        if (title !== undefined && seen.status !== item.status) {
          events.push({ type: "tool_call", ...ids, title, status: item.status, detail: toolDetail(d) });
          mark.status = item.status;
        }
        break;
      }
    }
    items[key] = mark;
  }
  if (currentTurn !== undefined) afterTurn(currentTurn);
  if (snap.items !== undefined) droppedUpTo(Infinity);
  // Turns with nothing among the items (a plan before any item, a turn that failed at once).
  if (snap.items !== undefined) {
    const from = snap.olderItemsBefore;
    const rest = [...known.values()].filter((t) => !turnsWithItems.has(t.turnId) && (from === undefined || (t.startedAt ?? Infinity) >= from));
    rest.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    for (const t of rest) afterTurn(t.turnId);
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
    const ids = { itemId: s.itemId, turnId: s.turnId };
    if (items[itemKey(s.turnId, s.itemId)]?.ended) continue;
    if (s.channel === "agentMessage") events.push({ type: "agent_message_delta", ...ids, delta });
    else if (s.channel === "reasoningSummary" || s.channel === "reasoningContent") {
      events.push({ type: "reasoning_delta", key: s.streamId, delta, ...ids, channel: s.channel === "reasoningSummary" ? "summary" : "content" });
    } else if (s.channel === "commandOutput") events.push({ type: "exec_output_delta", callId: s.itemId, turnId: s.turnId, delta });
  }

  events.push(...turnEvents);
  return {
    events,
    cursor: { activeTurnId, lastTurnId, seenThread: cursor.seenThread || snap.thread !== undefined, items, streams, turns: turnMarks, dropped: droppedTold, ...(approvalsTold === undefined ? {} : { approvals: approvalsTold }) },
  };
}
