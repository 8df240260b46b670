/**
 * Recorded `codex app-server` conversations (src/protocol/testdata/transcripts) turned into
 * the events the bridge ingests, by the real protocol layer: parse → classify → normalize.
 * Tests feed them to the example app's `ingestBatch`, so the hooks read what the real
 * component stores from what codex really sent.
 *
 * `edit` may change a wire message before it is normalized (e.g. other delta text), for
 * shapes no recording has; everything else about the conversation stays as recorded.
 */
import { classifyMessage, createEventNormalizer, parseWireMessage, type InboundEvent } from "../../protocol/index.js";
import { transcript } from "../../protocol/testing/transcripts.js";

type Wire = { method?: string; params?: Record<string, unknown> } & Record<string, unknown>;

export type RecordedConversation = {
  threadId: string;
  /** Every thread event, in the order codex wrote it. */
  events: InboundEvent[];
};

/** Server requests carry no timestamp; they get this clock's time, as a bridge would stamp them. */
const requestClock = () => 1_795_264_000_000;

export function codexTranscript(name: string, edit?: (message: Wire) => Wire): RecordedConversation {
  const normalizer = createEventNormalizer({ now: requestClock });
  const events: InboundEvent[] = [];
  let threadId: string | undefined;
  for (const line of transcript(name).lines) {
    const text = edit ? JSON.stringify(edit(JSON.parse(line) as Wire)) : line;
    const parsed = parseWireMessage(text);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.error.message}`);
    const result = normalizer.normalize(classifyMessage(parsed.message));
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    if (!result.event) continue;
    threadId ??= result.event.threadId;
    if (result.event.threadId !== threadId) throw new Error(`${name}: events of more than one thread`);
    events.push(result.event.event);
  }
  if (!threadId) throw new Error(`${name}: no thread events`);
  return { threadId, events };
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

/** The user's input of the n-th user message (from 1), as codex recorded it. */
export function userText(events: readonly InboundEvent[], nth = 1): string {
  const item = payloadOf(events[indexOf(events, isLifecycle("item/completed", "userMessage"), nth)]!).item as {
    content: Array<{ type: string; text: string }>;
  };
  return item.content.map((c) => c.text).join("");
}
