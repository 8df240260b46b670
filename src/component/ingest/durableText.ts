/**
 * The text a durable row (message, reasoning part) stores: whole when it fits and was read
 * whole, else a marked prefix with `truncated` — the caller then retains the row's stream,
 * whose deltas keep the full text for good (see `retainStream`).
 */
import { ITEM_TEXT_MAX_BYTES, TRUNCATION_MARKER, isTruncated, truncateUtf8 } from "../../contract/limits.js";

export function storedText(text: string, complete = true): { text: string; truncated: boolean } {
  const cut = truncateUtf8(text, ITEM_TEXT_MAX_BYTES);
  if (cut.truncated) return cut;
  // The sender already cut it (capPayloadJson), or only a prefix could be read back.
  if (isTruncated(text)) return { text, truncated: true };
  if (!complete) return { text: truncateUtf8(text + TRUNCATION_MARKER, ITEM_TEXT_MAX_BYTES).text, truncated: true };
  return { text, truncated: false };
}
