/**
 * Pure mapping of a codex `ThreadItem` (0.169) to the typed `ItemDetails` we store.
 * Every known type gets its fields; a type codex adds later becomes `other` with its name.
 * Long text is cut here (see limits.ts); the full text lives in its message, reasoning
 * segment or stream rows.
 */
import {
  COMMAND_MAX_BYTES,
  ID_MAX_BYTES,
  ITEM_LIST_MAX_ENTRIES,
  ITEM_TEXT_MAX_BYTES,
  ITEM_TEXT_PREVIEW_BYTES,
  NAME_MAX_BYTES,
  NOTE_MAX_BYTES,
  PATH_MAX_BYTES,
  capPayloadJson,
  isTruncated,
  truncateUtf8,
  utf8Bytes,
} from "../../contract/limits.js";
import type { CommandAction, FileChange, ItemDetails, ItemStatus } from "../validators.js";

export type RawItem = { type: string; id: string; [key: string]: unknown };

/** A string field of codex's item, cut to `maxBytes` (codex output over a cap is cut, never refused). */
const str = (v: unknown, maxBytes: number): string | undefined => (typeof v === "string" ? truncateUtf8(v, maxBytes).text : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
/** Tool arguments and results as JSON; two of them share one row's text budget. */
const json = (v: unknown): string => capPayloadJson(JSON.stringify(v ?? null), ITEM_TEXT_MAX_BYTES / 2);

/**
 * One byte budget shared by every string of a list (command actions, file changes): a list
 * of any length stays within `bytes`; entries past the budget or ITEM_LIST_MAX_ENTRIES are
 * dropped and `truncated` says so.
 */
function listBudget(bytes: number, maxEntries = ITEM_LIST_MAX_ENTRIES) {
  const budget = { left: bytes, truncated: false };
  return {
    /** The string cut to its own cap and to what is left; counts it against the budget. */
    take(v: unknown, maxBytes: number): string {
      const cut = truncateUtf8(typeof v === "string" ? v : "", Math.min(maxBytes, Math.max(0, budget.left)));
      budget.left -= utf8Bytes(cut.text);
      budget.truncated ||= cut.truncated;
      return cut.text;
    },
    entries<T>(list: unknown[], map: (entry: unknown) => T): T[] {
      const out: T[] = [];
      for (const entry of list) {
        if (out.length >= maxEntries || budget.left <= 0) {
          budget.truncated = true;
          break;
        }
        out.push(map(entry));
      }
      return out;
    },
    get truncated() {
      return budget.truncated;
    },
  };
}

/** The text of a userMessage: its text inputs joined by newlines. */
export function userMessageText(item: RawItem): string {
  return arr(item.content)
    .map(obj)
    .filter((c) => c.type === "text" && typeof c.text === "string")
    .map((c) => c.text as string)
    .join("\n");
}

function preview(texts: unknown[]): { texts: string[]; truncated: boolean } {
  const list = listBudget(ITEM_LIST_MAX_ENTRIES * ITEM_TEXT_PREVIEW_BYTES);
  const out = list.entries(texts, (t) => list.take(t, ITEM_TEXT_PREVIEW_BYTES));
  return { texts: out, truncated: list.truncated };
}

function commandActions(v: unknown): CommandAction[] {
  const list = listBudget(COMMAND_MAX_BYTES);
  return list.entries(arr(v), (raw): CommandAction => {
    const a = obj(raw);
    const command = list.take(a.command, COMMAND_MAX_BYTES);
    const orNull = (x: unknown, max: number) => (typeof x === "string" ? list.take(x, max) : null);
    switch (a.type) {
      case "read":
        return { type: "read", command, name: list.take(a.name, NAME_MAX_BYTES), path: list.take(a.path, PATH_MAX_BYTES) };
      case "listFiles":
        return { type: "listFiles", command, path: orNull(a.path, PATH_MAX_BYTES) };
      case "search":
        return { type: "search", command, query: orNull(a.query, NOTE_MAX_BYTES), path: orNull(a.path, PATH_MAX_BYTES) };
      default:
        return { type: "unknown", command };
    }
  });
}

/** Every file of the change, paths and diffs within one row's text budget. */
function fileChanges(v: unknown): { changes: FileChange[]; truncated: boolean } {
  const list = listBudget(ITEM_TEXT_MAX_BYTES, 1024);
  let cutByCodex = false;
  const changes = list.entries(arr(v), (raw): FileChange => {
    const c = obj(raw);
    const kind = obj(c.kind);
    const kindType = kind.type === "add" || kind.type === "delete" ? kind.type : "update";
    const path = list.take(c.path, PATH_MAX_BYTES);
    const movePath = typeof kind.move_path === "string" ? list.take(kind.move_path, PATH_MAX_BYTES) : "";
    cutByCodex ||= isTruncated(c.diff as string);
    const diff = list.take(c.diff, ITEM_TEXT_MAX_BYTES);
    return { path, kind: kindType, diff, ...(movePath ? { movePath } : {}) };
  });
  return { changes, truncated: list.truncated || cutByCodex };
}

export function itemDetails(item: RawItem): ItemDetails {
  switch (item.type) {
    case "userMessage":
      return { type: "userMessage", text: truncateUtf8(userMessageText(item), ITEM_TEXT_MAX_BYTES).text };
    case "agentMessage": {
      const p = preview([item.text ?? ""]);
      const phase = str(item.phase, NAME_MAX_BYTES);
      return { type: "agentMessage", text: p.texts[0] ?? "", ...(phase ? { phase } : {}), ...(p.truncated ? { textTruncated: true } : {}) };
    }
    case "plan":
      return { type: "plan", text: str(item.text, ITEM_TEXT_MAX_BYTES) ?? "" };
    case "reasoning": {
      const summary = preview(arr(item.summary));
      const content = preview(arr(item.content));
      const truncated = summary.truncated || content.truncated;
      return { type: "reasoning", summary: summary.texts, content: content.texts, ...(truncated ? { textTruncated: true } : {}) };
    }
    case "commandExecution": {
      const output = typeof item.aggregatedOutput === "string" ? item.aggregatedOutput : undefined;
      const cut = output === undefined ? undefined : truncateUtf8(output, ITEM_TEXT_MAX_BYTES);
      const truncated = cut?.truncated || isTruncated(output);
      const source = str(item.source, NAME_MAX_BYTES);
      return {
        type: "commandExecution",
        command: str(item.command, COMMAND_MAX_BYTES) ?? "",
        cwd: str(item.cwd, PATH_MAX_BYTES) ?? "",
        ...(source ? { source } : {}),
        commandActions: commandActions(item.commandActions),
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
      const error = str(obj(item.error).message, NOTE_MAX_BYTES);
      return {
        type: "mcpToolCall",
        server: str(item.server, NAME_MAX_BYTES) ?? "",
        tool: str(item.tool, NAME_MAX_BYTES) ?? "",
        argumentsJson: json(item.arguments),
        ...(item.result != null ? { resultJson: json(item.result) } : {}),
        ...(error ? { error } : {}),
        ...(num(item.durationMs) !== undefined ? { durationMs: num(item.durationMs) } : {}),
      };
    }
    case "dynamicToolCall": {
      const namespace = str(item.namespace, NAME_MAX_BYTES);
      return {
        type: "dynamicToolCall",
        tool: str(item.tool, NAME_MAX_BYTES) ?? "",
        ...(namespace ? { namespace } : {}),
        argumentsJson: json(item.arguments),
        ...(bool(item.success) !== undefined ? { success: bool(item.success) } : {}),
        ...(num(item.durationMs) !== undefined ? { durationMs: num(item.durationMs) } : {}),
      };
    }
    case "collabAgentToolCall": {
      const prompt = str(item.prompt, ITEM_TEXT_MAX_BYTES / 2);
      const receivers = arr(item.receiverThreadIds).filter((x): x is string => typeof x === "string");
      return {
        type: "collabAgentToolCall",
        tool: str(item.tool, NAME_MAX_BYTES) ?? "",
        ...(prompt ? { prompt } : {}),
        receiverThreadIds: receivers.slice(0, ITEM_LIST_MAX_ENTRIES).map((id) => truncateUtf8(id, ID_MAX_BYTES).text),
      };
    }
    case "webSearch":
      return { type: "webSearch", query: str(item.query, NOTE_MAX_BYTES) ?? "" };
    case "imageView":
      return { type: "imageView", path: str(item.path, PATH_MAX_BYTES) ?? "" };
    case "imageGeneration": {
      const revisedPrompt = str(item.revisedPrompt, NOTE_MAX_BYTES);
      const savedPath = str(item.savedPath, PATH_MAX_BYTES);
      return { type: "imageGeneration", ...(revisedPrompt ? { revisedPrompt } : {}), ...(savedPath ? { savedPath } : {}) };
    }
    case "enteredReviewMode":
      return { type: "enteredReviewMode", review: str(item.review, ITEM_TEXT_MAX_BYTES / 2) ?? "" };
    case "exitedReviewMode":
      return { type: "exitedReviewMode", review: str(item.review, ITEM_TEXT_MAX_BYTES / 2) ?? "" };
    case "contextCompaction":
      return { type: "contextCompaction" };
    default:
      return { type: "other", itemType: truncateUtf8(item.type, NAME_MAX_BYTES).text };
  }
}

const itemStatuses: ReadonlySet<string> = new Set(["inProgress", "completed", "failed", "declined", "interrupted"]);

/** The item's own status when it has one we know; otherwise what the notification implies. */
export function itemStatus(item: RawItem, completed: boolean): ItemStatus {
  const own = typeof item.status === "string" ? item.status : undefined;
  if (own && itemStatuses.has(own)) {
    // A completion notice never leaves an item in progress.
    return completed && own === "inProgress" ? "completed" : (own as ItemStatus);
  }
  return completed ? "completed" : "inProgress";
}

/**
 * Stands in for text a typed row already stores in full, in the raw item kept on
 * `items.payloadJson`: the reply is not written a second time. It names where the text is,
 * so export and backfill can put it back.
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
