/**
 * The example app's public API over the codex component.
 * (The thread/turn/approval wrappers come first; this branch adds only the data plane.)
 */

// ---- Messages, items and streams (data plane) ----
//
// Who you are comes from the signed-in identity, never from arguments: a client may name
// its device (for stream checkpoints), not its user.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import {
  getStreamCheckpoints,
  ingestEvents,
  listItems,
  listMessages,
  listTurnMessages,
  replayStreams,
  resumeStreamReplay,
  saveStreamCheckpoint,
  vDataResults,
} from "codex-local-component/client/data";
import { vInboundEvent, vIngestResult, vStreamCursor } from "codex-local-component/client/data";
import { components } from "./_generated/api";
import { mutation, query, type MutationCtx, type QueryCtx } from "./_generated/server";

const codexData = components.codexLocal;
const optionalDeviceId = v.optional(v.string());

/** Until the shared auth helper lands here: the identity's subject is the user, one tenant for the example. */
async function actorFrom(ctx: QueryCtx | MutationCtx, deviceId?: string) {
  const identity = await ctx.auth.getUserIdentity();
  if (!identity) throw new Error("not signed in");
  return { tenantId: "example", userId: identity.subject, ...(deviceId ? { deviceId } : {}) };
}

/** `list` = which streams exist; `deltas` = the text after each cursor the client holds. */
const vStreamArgs = v.union(
  v.object({ kind: v.literal("list") }),
  v.object({ kind: v.literal("deltas"), cursors: v.array(vStreamCursor) }),
);
const { page, isDone, continueCursor, splitCursor, pageStatus } = vDataResults.messagePage.fields;
const replay = vDataResults.replay.fields;

export const threadMessages = query({
  args: { threadId: v.string(), paginationOpts: paginationOptsValidator, streamArgs: v.optional(vStreamArgs) },
  returns: v.object({
    page,
    isDone,
    continueCursor,
    splitCursor,
    pageStatus,
    streams: v.optional(
      v.union(
        v.object({ kind: v.literal("list"), streams: replay.streams }),
        v.object({
          kind: v.literal("deltas"),
          deltas: replay.deltas,
          streamWindows: replay.streamWindows,
          nextCheckpoints: replay.nextCheckpoints,
        }),
      ),
    ),
  }),
  handler: async (ctx, args) => {
    const actor = await actorFrom(ctx);
    const paginated = await listMessages(ctx, codexData, { actor, threadId: args.threadId, paginationOpts: args.paginationOpts });
    if (!args.streamArgs) return { ...paginated, streams: undefined };
    const cursors = args.streamArgs.kind === "deltas" ? args.streamArgs.cursors : [];
    const streams = await replayStreams(ctx, codexData, { actor, threadId: args.threadId, streamCursorsById: cursors });
    if (args.streamArgs.kind === "list") return { ...paginated, streams: { kind: "list" as const, streams: streams.streams } };
    const { deltas, streamWindows, nextCheckpoints } = streams;
    return { ...paginated, streams: { kind: "deltas" as const, deltas, streamWindows, nextCheckpoints } };
  },
});

export const turnMessages = query({
  args: { threadId: v.string(), turnId: v.string() },
  returns: vDataResults.messages,
  handler: async (ctx, args) => listTurnMessages(ctx, codexData, { actor: await actorFrom(ctx), ...args }),
});

export const threadItems = query({
  args: { threadId: v.string(), turnId: v.optional(v.string()) },
  returns: vDataResults.items,
  handler: async (ctx, args) => listItems(ctx, codexData, { actor: await actorFrom(ctx), ...args }),
});

/** The bridge sends one event (simple) or a whole outbox batch (what it should do). */
export const ingestEvent = mutation({
  args: { sessionId: v.string(), threadId: v.string(), event: vInboundEvent, deviceId: optionalDeviceId },
  returns: vIngestResult,
  handler: async (ctx, { event, deviceId, ...args }) =>
    ingestEvents(ctx, codexData, { actor: await actorFrom(ctx, deviceId), ...args, events: [event] }),
});

export const ingestBatch = mutation({
  args: { sessionId: v.string(), threadId: v.string(), events: v.array(vInboundEvent), deviceId: optionalDeviceId },
  returns: vIngestResult,
  handler: async (ctx, { deviceId, ...args }) => ingestEvents(ctx, codexData, { actor: await actorFrom(ctx, deviceId), ...args }),
});

export const streamSync = query({
  args: { threadId: v.string(), streamCursorsById: v.array(vStreamCursor) },
  returns: vDataResults.replay,
  handler: async (ctx, args) => replayStreams(ctx, codexData, { actor: await actorFrom(ctx), ...args }),
});

export const streamResume = query({
  args: { threadId: v.string(), turnId: v.string(), fromCursor: v.number() },
  returns: vDataResults.replay,
  handler: async (ctx, args) => resumeStreamReplay(ctx, codexData, { actor: await actorFrom(ctx), ...args }),
});

export const saveCheckpoint = mutation({
  args: { threadId: v.string(), cursors: v.array(vStreamCursor), deviceId: v.string() },
  returns: v.null(),
  handler: async (ctx, { deviceId, ...args }) => saveStreamCheckpoint(ctx, codexData, { actor: await actorFrom(ctx, deviceId), ...args }),
});

export const checkpoints = query({
  args: { threadId: v.string(), deviceId: v.string() },
  returns: v.array(vStreamCursor),
  handler: async (ctx, { deviceId, ...args }) => getStreamCheckpoints(ctx, codexData, { actor: await actorFrom(ctx, deviceId), ...args }),
});
