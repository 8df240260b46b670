/**
 * The ingest entry point: the bridge's outbox sends batches of normalized codex events
 * here. See `ingest/apply.ts` for the rules (ordering, dedupe, rejections, caps).
 */
import { v } from "convex/values";
import { mutation } from "./lib/functions.js";
import { ingestBatch } from "./ingest/apply.js";
import { vActor, vInboundEvent, vIngestResult } from "./validators.js";

export const ingest = mutation({
  args: { actor: vActor, sessionId: v.string(), threadId: v.string(), events: v.array(vInboundEvent) },
  returns: vIngestResult,
  handler: (ctx, args) => ingestBatch(ctx, args),
});
