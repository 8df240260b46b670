/**
 * Recorded `codex app-server` conversations (testdata/transcripts) turned into the events the
 * bridge ingests, by the real protocol layer: parse → classify → normalize. The ONE place tests
 * (component, React, example app) get recorded events from, so they exercise the event ids,
 * cursors and payloads the shipped normalizer really produces.
 *
 * `edit` may change a wire message before it is normalized (e.g. other delta text), for shapes
 * no recording has; everything else about the conversation stays as recorded.
 */
import { classifyMessage, createEventNormalizer, parseWireMessage, type InboundEvent } from "../index.js";
import { transcript, transcripts, type Transcript } from "./transcripts.js";

export type WireEdit = (message: Wire) => Wire;
type Wire = { method?: string; params?: Record<string, unknown> } & Record<string, unknown>;

/** One thread's events, in the order codex wrote them. */
export type ThreadEvents = { threadId: string; events: InboundEvent[] };

/** A recording with a single thread (every recipe so far). */
export type RecordedConversation = ThreadEvents & { name: string };

/**
 * Every thread event of a recording, grouped per thread (first-seen order). Server requests
 * carry no timestamp: they get the time of the line codex wrote before them, as a bridge
 * stamping them on arrival would.
 */
export function normalizeTranscript(recording: Transcript, edit?: WireEdit): ThreadEvents[] {
  let lastEmittedAtMs = 1_795_264_000_000;
  const normalizer = createEventNormalizer({ now: () => lastEmittedAtMs });
  const threads = new Map<string, InboundEvent[]>();
  for (const line of recording.lines) {
    const text = edit ? JSON.stringify(edit(JSON.parse(line) as Wire)) : line;
    const parsed = parseWireMessage(text);
    if (!parsed.ok) throw new Error(`${recording.name}: ${parsed.error.message}`);
    const classified = classifyMessage(parsed.message);
    if ("emittedAtMs" in classified && classified.emittedAtMs !== undefined) lastEmittedAtMs = classified.emittedAtMs;
    const result = normalizer.normalize(classified);
    if (!result.ok) throw new Error(`${recording.name}: ${result.error.message}`);
    if (!result.event) continue;
    const list = threads.get(result.event.threadId);
    if (list) list.push(result.event.event);
    else threads.set(result.event.threadId, [result.event.event]);
  }
  return [...threads].map(([threadId, events]) => ({ threadId, events }));
}

/** The recording `name` as one thread's events; throws when it has none or several threads. */
export function codexTranscript(name: string, edit?: WireEdit): RecordedConversation {
  const threads = normalizeTranscript(transcript(name), edit);
  if (threads.length !== 1) throw new Error(`${name}: expected one thread, got ${threads.length}`);
  return { name, ...threads[0]! };
}

/** Every recording, normalized, with its name. */
export function allRecordedThreads(): Array<ThreadEvents & { name: string }> {
  return transcripts.flatMap((t) => normalizeTranscript(t).map((thread) => ({ name: t.name, ...thread })));
}

/** Index of the `nth` (from 1) event matching `match`; throws when there is none. */
export function indexOf(events: readonly InboundEvent[], match: (e: InboundEvent) => boolean, nth = 1): number {
  let seen = 0;
  const index = events.findIndex((e) => match(e) && ++seen === nth);
  if (index < 0) throw new Error(`no event #${nth} matching ${match.toString()}`);
  return index;
}

export const isDelta = (channel?: string) => (e: InboundEvent) =>
  e.type === "stream_delta" && (channel === undefined || e.channel === channel);
export const isLifecycle = (kind: string, itemType?: string) => (e: InboundEvent) =>
  e.type === "lifecycle_event" && e.kind === kind && (itemType === undefined || payloadOf(e).item?.type === itemType);
export const isServerRequest = (e: InboundEvent) => e.type === "server_request";

/** The parsed payload of a lifecycle event or the params of a server request. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- codex payloads, read loosely in tests
export function payloadOf(e: InboundEvent): Record<string, any> {
  if (e.type === "lifecycle_event") return JSON.parse(e.payloadJson) as Record<string, unknown>;
  if (e.type === "server_request") return JSON.parse(e.paramsJson) as Record<string, unknown>;
  return {};
}

/** The text codex streamed on each stream, by streamId, in first-delta order. */
export function streamedText(events: readonly InboundEvent[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const e of events) if (e.type === "stream_delta") texts.set(e.streamId, (texts.get(e.streamId) ?? "") + e.delta);
  return texts;
}

/** The concatenated deltas of one channel, by itemId (an agent message's streamed text). */
export function streamedByItem(events: readonly InboundEvent[], channel: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const e of events) {
    if (e.type === "stream_delta" && e.channel === channel) texts.set(e.itemId, (texts.get(e.itemId) ?? "") + e.delta);
  }
  return texts;
}

/** The user's input of the n-th user message (from 1), as codex recorded it. */
export function userText(events: readonly InboundEvent[], nth = 1): string {
  const item = payloadOf(events[indexOf(events, isLifecycle("item/completed", "userMessage"), nth)]!).item as {
    content: Array<{ type: string; text: string }>;
  };
  return item.content.map((c) => c.text).join("");
}

/** The turn ids of a recording, in the order their turns started. */
export function turnIds(events: readonly InboundEvent[]): string[] {
  return events.filter(isLifecycle("turn/started")).map((e) => e.turnId!);
}

/**
 * A made-up turn as the bridge would write it — a question and `replies`, each item started
 * and completed at `startedAtMs + k` — for histories longer than any recording (page
 * boundaries). `end` = how the turn ended; without it the turn is still running.
 */
export function syntheticTurn(opts: {
  threadId: string;
  turnId: string;
  startedAtMs: number;
  question: string;
  replies: readonly string[];
  end?: "completed" | "interrupted";
}): InboundEvent[] {
  const { threadId, turnId, startedAtMs } = opts;
  const turn = (status: string) => ({ id: turnId, status, items: [], error: null, startedAt: Math.floor(startedAtMs / 1000), durationMs: status === "inProgress" ? null : 1 });
  const event = (kind: string, payload: unknown, itemId?: string): InboundEvent => ({
    type: "lifecycle_event",
    eventId: `${turnId}/${itemId ?? "turn"}/${kind}`,
    turnId,
    ...(itemId ? { itemId } : {}),
    kind,
    payloadJson: JSON.stringify(payload),
    createdAt: startedAtMs,
  });
  const item = (item: { id: string } & Record<string, unknown>, k: number) => [
    event("item/started", { threadId, turnId, item: { ...item, startedAtMs: startedAtMs + k } }, item.id),
    event("item/completed", { threadId, turnId, item: { ...item, completedAtMs: startedAtMs + k }, completedAtMs: startedAtMs + k }, item.id),
  ];
  return [
    event("turn/started", { threadId, turn: turn("inProgress") }),
    ...item({ type: "userMessage", id: `${turnId}-q`, clientId: null, content: [{ type: "text", text: opts.question, text_elements: [] }] }, 0),
    ...opts.replies.flatMap((text, r) => item({ type: "agentMessage", id: `${turnId}-a${r}`, text, phase: null }, r + 1)),
    ...(opts.end ? [event("turn/completed", { threadId, turn: turn(opts.end) })] : []),
  ];
}
