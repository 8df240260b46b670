/**
 * Durable reasoning segments + live reasoning streams → one list, oldest first, one entry per
 * reasoning text. A stream meets its segment on `streamId` (or item and channel when the
 * segment has none); a segment that is no longer `streaming` wins over its stream.
 */
import { extractBoldHeader } from "./reasoningHeader.js";
import { rowStatusOfStream, type CodexStream } from "./streamSync.js";
import type { CodexReasoningDoc } from "./types.js";

export type CodexReasoning = CodexReasoningDoc & {
  /** Stable from the first delta to the stored segment. */
  key: string;
  streaming: boolean;
  /** First closed `**bold**` run of the text. */
  header: string | undefined;
};

const channelOf = { reasoningSummary: "summary", reasoningContent: "raw" } as const;

export function mergeReasoning(
  segments: readonly CodexReasoningDoc[],
  streams: readonly CodexStream[],
  threadId = "",
): CodexReasoning[] {
  const result: CodexReasoning[] = [...segments]
    .sort((a, b) => a.order - b.order || a._creationTime - b._creationTime)
    .map((s) => ({ ...s, key: s.streamId ?? `${s.itemId}/${s.channel}/${s.index}`, streaming: false, header: extractBoldHeader(s.text) }));
  for (const s of streams) {
    if (s.channel !== "reasoningSummary" && s.channel !== "reasoningContent") continue;
    const channel = channelOf[s.channel];
    const at = result.findIndex((r) =>
      r.streamId !== undefined ? r.streamId === s.streamId : r.itemId === s.itemId && r.channel === channel,
    );
    if (at !== -1) {
      const r = result[at]!;
      if (r.status !== "streaming" || s.text.length < r.text.length) continue;
      result[at] = { ...r, text: s.text, streaming: s.status === "streaming", header: extractBoldHeader(s.text) };
      continue;
    }
    const last = result[result.length - 1];
    result.push({
      _id: `stream:${s.streamId}` as CodexReasoningDoc["_id"],
      _creationTime: last?._creationTime ?? 0,
      tenantId: last?.tenantId ?? "",
      userId: last?.userId ?? "",
      threadId: last?.threadId ?? threadId,
      turnId: s.turnId,
      itemId: s.itemId,
      channel,
      index: 0,
      text: s.text,
      status: rowStatusOfStream[s.status],
      streamId: s.streamId,
      order: (last?.order ?? -1) + 0.5,
      createdAt: last?.createdAt ?? 0,
      key: s.streamId,
      streaming: s.status === "streaming",
      header: extractBoldHeader(s.text),
    });
  }
  return result;
}
