/**
 * The reads the hooks subscribe to — messages with their live streams, reasoning, items,
 * stream replay — and each device's stream checkpoints.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { vStreamCursor } from "../../component/validators.js";
import {
  getStreamCheckpoints,
  getTokenUsage,
  listDroppedEvents,
  listItems,
  listItemsPage,
  listMessages,
  listReasoningByThread,
  listStreamDeltas,
  listStreams,
  listTurnMessages,
  replayStreams,
  resumeStreamReplay,
  saveStreamCheckpoint,
} from "../data.js";
import { vCodexResults } from "../validators.js";
import { hostMutation, hostQuery, withoutDevice } from "./wrapper.js";

/** `list` = which streams exist; `deltas` = the text after each cursor the client holds. */
const vStreamArgs = v.union(
  v.object({ kind: v.literal("list") }),
  v.object({ kind: v.literal("deltas"), cursors: v.array(vStreamCursor) }),
);
const { page, isDone, continueCursor, splitCursor, pageStatus } = vCodexResults.messagePage.fields;
const replay = vCodexResults.replay.fields;

export const readWrappers = {
  /** The thread's latest token usage (running total, context used), or null. */
  tokenUsage: hostQuery({
    role: "device",
    args: { threadId: v.string() },
    returns: vCodexResults.tokenUsageOrNull,
    run: (ctx, codex, actor, args) => getTokenUsage(ctx, codex, { actor, ...args }),
  }),

  /** Durable messages (newest first) plus, on request, the live streams or their new deltas. */
  threadMessages: hostQuery({
    role: "device",
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
    run: async (ctx, codex, actor, args) => {
      const { threadId, streamArgs } = args;
      // The hooks' stream subscriptions ask for an empty page: read no message for them.
      const paginated =
        args.paginationOpts.numItems === 0
          ? { page: [], isDone: false, continueCursor: args.paginationOpts.cursor ?? "" }
          : await listMessages(ctx, codex, { actor, threadId, paginationOpts: args.paginationOpts });
      if (!streamArgs) return { ...paginated, streams: undefined };
      if (streamArgs.kind === "list") {
        return { ...paginated, streams: { kind: "list" as const, streams: await listStreams(ctx, codex, { actor, threadId }) } };
      }
      const deltas = await listStreamDeltas(ctx, codex, { actor, threadId, cursors: streamArgs.cursors });
      return { ...paginated, streams: { kind: "deltas" as const, ...deltas } };
    },
  }),

  /** Reasoning segments (summary and raw), newest first, for `useCodexReasoning`. */
  threadReasoning: hostQuery({
    role: "device",
    args: { threadId: v.string(), paginationOpts: paginationOptsValidator },
    returns: vCodexResults.reasoningPage,
    run: (ctx, codex, actor, args) => listReasoningByThread(ctx, codex, { actor, ...args }),
  }),

  turnMessages: hostQuery({
    role: "device",
    args: { threadId: v.string(), turnId: v.string() },
    returns: vCodexResults.messages,
    run: (ctx, codex, actor, args) => listTurnMessages(ctx, codex, { actor, ...args }),
  }),

  threadItems: hostQuery({
    role: "device",
    args: { threadId: v.string(), turnId: v.optional(v.string()) },
    returns: vCodexResults.items,
    run: (ctx, codex, actor, args) => listItems(ctx, codex, { actor, ...args }),
  }),

  /** The thread's items newest first, in pages: `useCodexConversation` pages older history in with it. */
  threadItemsPage: hostQuery({
    role: "device",
    args: { threadId: v.string(), paginationOpts: paginationOptsValidator },
    returns: vCodexResults.itemPage,
    run: (ctx, codex, actor, args) => listItemsPage(ctx, codex, { actor, ...args }),
  }),

  /** Events of the thread the bridge could not store, and why: "part of this turn was not saved". */
  droppedEvents: hostQuery({
    role: "device",
    args: { threadId: v.string() },
    returns: vCodexResults.droppedEvents,
    run: (ctx, codex, actor, args) => listDroppedEvents(ctx, codex, { actor, ...args }),
  }),

  streamSync: hostQuery({
    role: "device",
    args: { threadId: v.string(), streamCursorsById: v.array(vStreamCursor) },
    returns: vCodexResults.replay,
    run: (ctx, codex, actor, args) => replayStreams(ctx, codex, { actor, ...args }),
  }),

  streamResume: hostQuery({
    role: "device",
    args: { threadId: v.string(), turnId: v.string(), fromCursor: v.number() },
    returns: vCodexResults.replay,
    run: (ctx, codex, actor, args) => resumeStreamReplay(ctx, codex, { actor, ...args }),
  }),

  /** How far this device read each stream (`deviceId` required: checkpoints are per device). */
  saveCheckpoint: hostMutation({
    role: "device",
    args: { threadId: v.string(), cursors: v.array(vStreamCursor), deviceId: v.string() },
    returns: v.null(),
    run: (ctx, codex, actor, args) => saveStreamCheckpoint(ctx, codex, { actor, ...withoutDevice(args) }),
  }),

  checkpoints: hostQuery({
    role: "device",
    args: { threadId: v.string(), deviceId: v.string() },
    returns: v.array(vStreamCursor),
    run: (ctx, codex, actor, args) => getStreamCheckpoints(ctx, codex, { actor, ...withoutDevice(args) }),
  }),
};
