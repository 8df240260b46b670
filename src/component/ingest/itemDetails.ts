/**
 * Pure mapping of a codex `ThreadItem` (0.169) to the typed `ItemDetails` we store.
 * Every known type gets its fields; a type codex adds later becomes `other` with its name.
 * Long text is cut here (see limits.ts); the full text lives in its message, reasoning
 * segment or stream rows.
 */
import {
  ITEM_TEXT_MAX_CHARS,
  ITEM_TEXT_PREVIEW_CHARS,
  isTruncated,
  truncateText,
} from "../../contract/limits.js";
import type { CommandAction, FileChange, ItemDetails, ItemStatus } from "../validators.js";

export type RawItem = { type: string; id: string; [key: string]: unknown };

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
/** Tool arguments and results as JSON; two of them share one row's text budget. */
const json = (v: unknown): string => truncateText(JSON.stringify(v ?? null), ITEM_TEXT_MAX_CHARS / 2).text;

/** The text of a userMessage: its text inputs joined by newlines. */
export function userMessageText(item: RawItem): string {
  return arr(item.content)
    .map(obj)
    .filter((c) => c.type === "text" && typeof c.text === "string")
    .map((c) => c.text as string)
    .join("\n");
}

function preview(texts: string[]): { texts: string[]; truncated: boolean } {
  let truncated = false;
  const out = texts.map((t) => {
    const cut = truncateText(t, ITEM_TEXT_PREVIEW_CHARS);
    truncated ||= cut.truncated;
    return cut.text;
  });
  return { texts: out, truncated };
}

function commandAction(v: unknown): CommandAction {
  const a = obj(v);
  const command = str(a.command) ?? "";
  const orNull = (x: unknown) => str(x) ?? null;
  switch (a.type) {
    case "read":
      return { type: "read", command, name: str(a.name) ?? "", path: str(a.path) ?? "" };
    case "listFiles":
      return { type: "listFiles", command, path: orNull(a.path) };
    case "search":
      return { type: "search", command, query: orNull(a.query), path: orNull(a.path) };
    default:
      return { type: "unknown", command };
  }
}

function fileChanges(v: unknown): { changes: FileChange[]; truncated: boolean } {
  let budget = ITEM_TEXT_MAX_CHARS;
  let truncated = false;
  const changes = arr(v).map((raw): FileChange => {
    const c = obj(raw);
    const kind = obj(c.kind);
    const kindType = kind.type === "add" || kind.type === "delete" ? kind.type : "update";
    const cut = truncateText(str(c.diff) ?? "", Math.max(budget, 0));
    budget -= cut.text.length;
    truncated ||= cut.truncated || isTruncated(c.diff as string);
    const movePath = str(kind.move_path);
    return { path: str(c.path) ?? "", kind: kindType, diff: cut.text, ...(movePath ? { movePath } : {}) };
  });
  return { changes, truncated };
}

export function itemDetails(item: RawItem): ItemDetails {
  switch (item.type) {
    case "userMessage":
      return { type: "userMessage", text: truncateText(userMessageText(item), ITEM_TEXT_MAX_CHARS).text };
    case "agentMessage": {
      const p = preview([str(item.text) ?? ""]);
      const phase = str(item.phase);
      return { type: "agentMessage", text: p.texts[0]!, ...(phase ? { phase } : {}), ...(p.truncated ? { textTruncated: true } : {}) };
    }
    case "plan":
      return { type: "plan", text: truncateText(str(item.text) ?? "", ITEM_TEXT_MAX_CHARS).text };
    case "reasoning": {
      const summary = preview(arr(item.summary).map((s) => str(s) ?? ""));
      const content = preview(arr(item.content).map((s) => str(s) ?? ""));
      const truncated = summary.truncated || content.truncated;
      return { type: "reasoning", summary: summary.texts, content: content.texts, ...(truncated ? { textTruncated: true } : {}) };
    }
    case "commandExecution": {
      const output = str(item.aggregatedOutput);
      const cut = output === undefined ? undefined : truncateText(output, ITEM_TEXT_MAX_CHARS);
      const truncated = cut?.truncated || isTruncated(output);
      return {
        type: "commandExecution",
        command: str(item.command) ?? "",
        cwd: str(item.cwd) ?? "",
        ...(str(item.source) ? { source: str(item.source) } : {}),
        commandActions: arr(item.commandActions).map(commandAction),
        ...(cut ? { aggregatedOutput: cut.text } : {}),
        ...(truncated ? { outputTruncated: true } : {}),
        ...(num(item.exitCode) !== undefined ? { exitCode: num(item.exitCode) } : {}),
        ...(num(item.durationMs) !== undefined ? { durationMs: num(item.durationMs) } : {}),
      };
    }
    case "fileChange": {
      const { changes, truncated } = fileChanges(item.changes);
      return { type: "fileChange", changes, ...(truncated ? { changesTruncated: true } : {}) };
    }
    case "mcpToolCall": {
      const error = str(obj(item.error).message);
      return {
        type: "mcpToolCall",
        server: str(item.server) ?? "",
        tool: str(item.tool) ?? "",
        argumentsJson: json(item.arguments),
        ...(item.result != null ? { resultJson: json(item.result) } : {}),
        ...(error ? { error } : {}),
        ...(num(item.durationMs) !== undefined ? { durationMs: num(item.durationMs) } : {}),
      };
    }
    case "dynamicToolCall":
      return {
        type: "dynamicToolCall",
        tool: str(item.tool) ?? "",
        ...(str(item.namespace) ? { namespace: str(item.namespace) } : {}),
        argumentsJson: json(item.arguments),
        ...(bool(item.success) !== undefined ? { success: bool(item.success) } : {}),
        ...(num(item.durationMs) !== undefined ? { durationMs: num(item.durationMs) } : {}),
      };
    case "collabAgentToolCall":
      return {
        type: "collabAgentToolCall",
        tool: str(item.tool) ?? "",
        ...(str(item.prompt) ? { prompt: str(item.prompt) } : {}),
        receiverThreadIds: arr(item.receiverThreadIds).filter((x): x is string => typeof x === "string"),
      };
    case "webSearch":
      return { type: "webSearch", query: str(item.query) ?? "" };
    case "imageView":
      return { type: "imageView", path: str(item.path) ?? "" };
    case "imageGeneration":
      return {
        type: "imageGeneration",
        ...(str(item.revisedPrompt) ? { revisedPrompt: str(item.revisedPrompt) } : {}),
        ...(str(item.savedPath) ? { savedPath: str(item.savedPath) } : {}),
      };
    case "enteredReviewMode":
      return { type: "enteredReviewMode", review: str(item.review) ?? "" };
    case "exitedReviewMode":
      return { type: "exitedReviewMode", review: str(item.review) ?? "" };
    case "contextCompaction":
      return { type: "contextCompaction" };
    default:
      return { type: "other", itemType: item.type };
  }
}

const itemStatuses: ReadonlySet<string> = new Set(["inProgress", "completed", "failed", "declined", "interrupted"]);

/** The item's own status when it has one we know; otherwise what the notification implies. */
export function itemStatus(item: RawItem, completed: boolean): ItemStatus {
  const own = str(item.status);
  if (own && itemStatuses.has(own)) {
    // A completion notice never leaves an item in progress.
    return completed && own === "inProgress" ? "completed" : (own as ItemStatus);
  }
  return completed ? "completed" : "inProgress";
}

/**
 * Stands in for text a typed row already stores in full, in the raw payloads kept on
 * `items.payloadJson` and `lifecycle_events.payloadJson`: the reply is not written a
 * second and third time. It names where the text is, so export and backfill can put it back.
 */
export const elidedText = (where: string) => `[codex-local: text in ${where}]`;

/** The raw item with the text its typed rows hold replaced by an `elidedText` pointer. */
export function withoutProjectedText(item: RawItem): RawItem {
  switch (item.type) {
    case "agentMessage":
      return typeof item.text === "string" && item.text ? { ...item, text: elidedText("messages.text") } : item;
    case "reasoning":
      return {
        ...item,
        ...(Array.isArray(item.summary) ? { summary: item.summary.map(() => elidedText("reasoning_segments.text")) } : {}),
        ...(Array.isArray(item.content) ? { content: item.content.map(() => elidedText("reasoning_segments.text")) } : {}),
      };
    case "commandExecution":
      return typeof item.aggregatedOutput === "string" && item.aggregatedOutput
        ? { ...item, aggregatedOutput: elidedText("items.details.aggregatedOutput and its commandOutput stream") }
        : item;
    default:
      return item;
  }
}
