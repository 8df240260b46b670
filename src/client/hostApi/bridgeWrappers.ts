/**
 * The wrappers the host runtime calls from the machine running codex (what
 * `createConvexPersistence` and `codex-local bridge` use): its session, the command queue
 * and ingest. The runtime signs in as the user, so its actor is the user's own.
 */
import { v } from "convex/values";
import { vInboundEvent, vIngestResult, vRequestId } from "../../component/validators.js";
import {
  announceServerRequest,
  claimCommand,
  closeSession,
  completeCommand,
  heartbeatSession,
  listPendingCommands,
  openSession,
  settleServerRequest,
} from "../commands.js";
import { ingestEvents } from "../data.js";
import { vCodexResults } from "../validators.js";
import { hostMutation, hostQuery, withoutDevice } from "./wrapper.js";

const deviceId = v.optional(v.string());

export const bridgeWrappers = {
  sessionOpen: hostMutation({
    role: "bridge",
    args: { sessionId: v.string(), deviceId, staleAfterMs: v.optional(v.number()) },
    returns: vCodexResults.sessionInfo,
    run: (ctx, codex, actor, args) => openSession(ctx, codex, { actor, ...args }),
  }),

  sessionHeartbeat: hostMutation({
    role: "bridge",
    args: { sessionId: v.string() },
    returns: vCodexResults.sessionInfo,
    run: (ctx, codex, actor, args) => heartbeatSession(ctx, codex, { actor, ...args }),
  }),

  sessionClose: hostMutation({
    role: "bridge",
    args: { sessionId: v.string() },
    returns: vCodexResults.sessionRetired,
    run: (ctx, codex, actor, args) => closeSession(ctx, codex, { actor, ...args }),
  }),

  commandsPending: hostQuery({
    role: "bridge",
    args: { threadId: v.optional(v.string()), sessionId: v.optional(v.string()) },
    returns: vCodexResults.commands,
    run: (ctx, codex, actor, args) => listPendingCommands(ctx, codex, { actor, ...args }),
  }),

  commandClaim: hostMutation({
    role: "bridge",
    args: { sessionId: v.string(), commandId: v.string() },
    returns: vCodexResults.command,
    run: (ctx, codex, actor, args) => claimCommand(ctx, codex, { actor, ...args }),
  }),

  commandComplete: hostMutation({
    role: "bridge",
    args: {
      sessionId: v.string(),
      commandId: v.string(),
      turnId: v.optional(v.string()),
      /** For `startThread`: the thread codex started. */
      threadId: v.optional(v.string()),
      /** codex folded this start into the running turn `turnId`. */
      steered: v.optional(v.boolean()),
      error: v.optional(v.string()),
    },
    returns: vCodexResults.command,
    run: (ctx, codex, actor, args) => completeCommand(ctx, codex, { actor, ...args }),
  }),

  /** A request codex sent that belongs to no thread, made visible to every device. */
  serverRequestAnnounce: hostMutation({
    role: "bridge",
    args: { sessionId: v.string(), requestId: vRequestId, method: v.string(), paramsJson: v.string(), createdAt: v.number() },
    returns: v.null(),
    run: (ctx, codex, actor, args) => announceServerRequest(ctx, codex, { actor, ...args }),
  }),

  /** Such a request ended: codex got its answer (`resolved`) or the runtime's timeout error (`expired`). */
  serverRequestSettle: hostMutation({
    role: "bridge",
    args: { sessionId: v.string(), requestId: vRequestId, status: v.union(v.literal("resolved"), v.literal("expired")) },
    returns: v.null(),
    run: (ctx, codex, actor, args) => settleServerRequest(ctx, codex, { actor, ...args }),
  }),

  /** One event at a time (simple hosts); the runtime's outbox sends `ingestBatch`. */
  ingestEvent: hostMutation({
    role: "bridge",
    args: { sessionId: v.string(), threadId: v.string(), event: vInboundEvent, deviceId },
    returns: vIngestResult,
    run: (ctx, codex, actor, { event, ...args }) => ingestEvents(ctx, codex, { actor, ...withoutDevice(args), events: [event] }),
  }),

  ingestBatch: hostMutation({
    role: "bridge",
    args: { sessionId: v.string(), threadId: v.string(), events: v.array(vInboundEvent), deviceId },
    returns: vIngestResult,
    run: (ctx, codex, actor, args) => ingestEvents(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
};
