/**
 * TEST-ONLY stand-in for the protocol layer's normalizer: turns recorded `codex
 * app-server` stdout lines into the `InboundEvent`s `sync.ingest` takes. It follows the
 * contract in validators.ts (deterministic ids, per-stream UTF-16 cursors) and nothing
 * more; the real normalizer lives in src/protocol.
 */
import type { InboundEvent, StreamChannel } from "../validators.js";

type Wire = { id?: number | string; method?: string; params?: Record<string, unknown>; emittedAtMs?: number };

const deltaChannels: Record<string, { channel: StreamChannel; indexKey?: string }> = {
  "item/agentMessage/delta": { channel: "agentMessage" },
  "item/reasoning/summaryTextDelta": { channel: "reasoningSummary", indexKey: "summaryIndex" },
  "item/reasoning/textDelta": { channel: "reasoningContent", indexKey: "contentIndex" },
  "item/commandExecution/outputDelta": { channel: "commandOutput" },
  "item/fileChange/outputDelta": { channel: "fileChangeOutput" },
  "item/plan/delta": { channel: "plan" },
};

export function streamIdFor(turnId: string, itemId: string, channel: StreamChannel, index?: number): string {
  return `${turnId}:${itemId}:${channel}${index === undefined ? "" : `:${index}`}`;
}

export function parseJsonl(text: string): Wire[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Wire);
}

export function threadIdOf(lines: Wire[]): string {
  const started = lines.find((l) => l.method === "thread/started");
  return (started!.params!.thread as { id: string }).id;
}

/** Every event of `threadId`, in wire order; responses and global notifications are skipped. */
export function normalizeLines(lines: Wire[], threadId: string): InboundEvent[] {
  const cursors = new Map<string, number>();
  const events: InboundEvent[] = [];
  lines.forEach((line, position) => {
    if (!line.method || !line.params) return;
    const p = line.params;
    const lineThread = (p.threadId as string | undefined) ?? (p.thread as { id?: string } | undefined)?.id;
    if (lineThread !== threadId) return;
    const createdAt = line.emittedAtMs ?? 1_800_000_000_000 + position;
    const turnId = (p.turnId as string | undefined) ?? (p.turn as { id?: string } | undefined)?.id;
    const itemId = (p.itemId as string | undefined) ?? (p.item as { id?: string } | undefined)?.id;
    if (line.id !== undefined) {
      events.push({ type: "server_request", eventId: `req:${line.id}`, turnId, itemId, requestId: line.id, method: line.method, paramsJson: JSON.stringify(p), createdAt });
      return;
    }
    const delta = deltaChannels[line.method];
    if (delta) {
      const index = delta.indexKey ? (p[delta.indexKey] as number) : undefined;
      const streamId = streamIdFor(turnId!, itemId!, delta.channel, index);
      const text = p.delta as string;
      const cursorStart = cursors.get(streamId) ?? 0;
      cursors.set(streamId, cursorStart + text.length);
      events.push({
        type: "stream_delta",
        eventId: `${streamId}@${cursorStart}`,
        turnId: turnId!,
        itemId: itemId!,
        streamId,
        channel: delta.channel,
        delta: text,
        cursorStart,
        cursorEnd: cursorStart + text.length,
        ...(index === undefined ? {} : { index }),
        createdAt,
      });
      return;
    }
    events.push({
      type: "lifecycle_event",
      eventId: `${line.method}#${position}`,
      turnId,
      itemId,
      kind: line.method,
      payloadJson: JSON.stringify(p),
      createdAt,
    });
  });
  return events;
}
