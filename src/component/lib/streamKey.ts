/**
 * The key a stream's delta rows are filed under: a digest of (tenant, user, thread,
 * stream id). Only someone acting as the owner derives it, so a delta read needs no
 * stream row to check ownership — which keeps a live follower's re-runs at the delta
 * rows it really receives — and the key is shorter than a document id.
 */
import type { Owner } from "./owner.js";

/** 12 bytes (96 bits) of SHA-256, base64url: 16 characters. */
export async function streamKey(owner: Owner, threadId: string, streamId: string): Promise<string> {
  const input = new TextEncoder().encode(JSON.stringify([owner.tenantId, owner.userId, threadId, streamId]));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
  let binary = "";
  for (const byte of digest.subarray(0, 12)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_");
}
