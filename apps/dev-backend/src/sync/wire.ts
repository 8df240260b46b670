/**
 * The messages of Convex's sync protocol as the 1.48 clients speak them (see
 * convex/src/browser/sync/protocol.ts), and its timestamps: a u64 of nanoseconds sent as the
 * base64 of its 8 little-endian bytes.
 */
import type { JSONValue } from "convex/values";

export type AddQuery = { type: "Add"; queryId: number; udfPath: string; args: JSONValue[]; journal?: string | null; componentPath?: string };
export type ClientMessage =
  | { type: "Connect"; sessionId: string; connectionCount: number; lastCloseReason: string | null; clientTs?: number }
  | { type: "ModifyQuerySet"; baseVersion: number; newVersion: number; modifications: Array<AddQuery | { type: "Remove"; queryId: number }> }
  | { type: "Mutation"; requestId: number; udfPath: string; args: JSONValue[]; componentPath?: string }
  | { type: "Action"; requestId: number; udfPath: string; args: JSONValue[]; componentPath?: string }
  | { type: "Authenticate"; tokenType: "User" | "Admin" | "None"; value?: string; baseVersion: number }
  | { type: "Event"; eventType: string; event: unknown };

export type StateModification =
  | { type: "QueryUpdated"; queryId: number; value: JSONValue; logLines: string[]; journal: string | null }
  | { type: "QueryFailed"; queryId: number; errorMessage: string; errorData?: JSONValue; logLines: string[]; journal: string | null }
  | { type: "QueryRemoved"; queryId: number };

export type StateVersion = { querySet: number; identity: number; ts: bigint };

export function encodeTs(ts: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(ts);
  return bytes.toString("base64");
}

export const wireVersion = (v: StateVersion) => ({ querySet: v.querySet, identity: v.identity, ts: encodeTs(v.ts) });

/** A journal is opaque to clients: here, the end cursor of the query's one `.paginate()`. */
export const encodeJournal = (endCursor: string | null): string | null => (endCursor === null ? null : JSON.stringify({ endCursor }));

export function decodeJournal(journal: string | null | undefined): string | null {
  if (!journal) return null;
  try {
    const { endCursor } = JSON.parse(journal) as { endCursor?: unknown };
    return typeof endCursor === "string" ? endCursor : null;
  } catch {
    return null;
  }
}
