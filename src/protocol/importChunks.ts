/**
 * What an import sends the backend for a page of codex's turns (`thread/turns/list` with full
 * items): the backfill events of every finished turn (the live events' ids, see `backfill.ts`),
 * packed into chunks within the import caps, and with each chunk the messages codex reported in
 * it — role, UTF-8 size and SHA-256 of the text — that the backend checks the stored rows
 * against before it calls the import synced. Whole turns go together; a turn too large for
 * one chunk goes on in the next (`endsTurn: false`). Pure: Web Crypto for the hashes.
 */
import type { ExpectedMessage, InboundEvent } from "../contract/events.js";
import {
  IMPORT_CHUNK_MAX_BYTES,
  IMPORT_CHUNK_MAX_EVENTS,
  IMPORT_CHUNK_MAX_MESSAGES,
  IMPORT_CHUNK_MAX_TURNS,
  IMPORT_EVENT_MAX_BYTES,
  eventBytes,
  utf8Bytes,
} from "../contract/limits.js";
import { backfillTurns } from "./backfill.js";
import type { ThreadItem } from "./generated/v2/ThreadItem.js";
import type { Turn } from "./generated/v2/Turn.js";

export type ImportChunk = {
  events: InboundEvent[];
  expected: ExpectedMessage[];
  /** Turns that begin in this chunk. */
  turnIds: string[];
  /** The last of them ends here too (else its events go on in the next chunk). */
  endsTurn: boolean;
};

/** The text a codex message item carries, as the backend stores it (user text parts joined by newlines). */
export function messageText(item: ThreadItem): { role: "user" | "assistant"; text: string } | null {
  if (item.type === "agentMessage") return { role: "assistant", text: item.text };
  if (item.type !== "userMessage") return null;
  const text = item.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("\n");
  return { role: "user", text };
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The chunks for `turns` (finished ones; a turn codex still runs is left to its live events). */
export async function importChunks(threadId: string, turns: readonly Turn[]): Promise<ImportChunk[]> {
  const chunks: ImportChunk[] = [];
  let open: ImportChunk & { bytes: number } = { events: [], expected: [], turnIds: [], endsTurn: true, bytes: 0 };
  const close = () => {
    if (open.events.length === 0) return;
    const { bytes: _bytes, ...chunk } = open;
    chunks.push(chunk);
    open = { events: [], expected: [], turnIds: [], endsTurn: true, bytes: 0 };
  };
  for (const turn of backfillTurns(threadId, turns, IMPORT_EVENT_MAX_BYTES)) {
    const expectedOf = new Map<InboundEvent, ExpectedMessage>();
    for (const { itemId, item, event } of turn.items) {
      const message = messageText(item);
      if (message) expectedOf.set(event, { turnId: turn.turnId, itemId, role: message.role, sha256: await sha256Hex(message.text), bytes: utf8Bytes(message.text) });
    }
    // A whole turn that does not fit where the last one ended starts a chunk of its own.
    const turnBytes = turn.events.reduce((n, e) => n + eventBytes(e), 0);
    if (!fits(open, turn.events.length, turnBytes, expectedOf.size) || open.turnIds.length >= IMPORT_CHUNK_MAX_TURNS) close();
    open.turnIds.push(turn.turnId);
    for (const event of turn.events) {
      const expected = expectedOf.get(event);
      if (!fits(open, 1, eventBytes(event), expected ? 1 : 0)) {
        open.endsTurn = false;
        close();
      }
      open.events.push(event);
      open.bytes += eventBytes(event);
      if (expected) open.expected.push(expected);
    }
    open.endsTurn = true;
  }
  close();
  return chunks;
}

function fits(chunk: ImportChunk & { bytes: number }, events: number, bytes: number, messages: number): boolean {
  return (
    chunk.events.length + events <= IMPORT_CHUNK_MAX_EVENTS &&
    chunk.bytes + bytes <= IMPORT_CHUNK_MAX_BYTES &&
    chunk.expected.length + messages <= IMPORT_CHUNK_MAX_MESSAGES
  );
}
