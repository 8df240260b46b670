/**
 * App-side helpers for the data plane: call them from your own Convex functions with the
 * component reference, `(ctx, components.codexLocal, args)`. They add nothing but types;
 * authorization (who the actor is) stays in your wrapper.
 */
import type { FunctionReturnType } from "convex/server";
import type { ComponentApi } from "../component/_generated/component.js";
import { mutationHelper as mutation, queryHelper as query } from "./ctx.js";

type Api = ComponentApi;

/** A thread's messages, newest first, as a Convex `PaginationResult` (works with `usePaginatedQuery`). */
export const listMessages = query((c) => c.messages.listMessages);
/** One turn's messages, oldest first. */
export const listTurnMessages = query((c) => c.messages.listTurnMessages);
/** A thread's reasoning segments (summary and raw), newest first, paginated. */
export const listReasoningByThread = query((c) => c.reasoning.listReasoningByThread);
/** Typed items of a turn, or the thread's most recent items, oldest first. */
export const listItems = query((c) => c.items.listItems);
/** A thread's items, newest first, as a Convex `PaginationResult` (pinned page ends; works with `usePaginatedQuery`). */
export const listItemsPage = query((c) => c.items.listItemsPage);
/** Stream deltas after each given cursor, plus the thread's live and recent streams. */
export const replayStreams = query((c) => c.streams.replay);
/** The thread's live and recent streams (stream rows only): the hooks' `{kind: "list"}`. */
export const listStreams = query((c) => c.streams.list);
/** Only the deltas after each given cursor: the hooks' `{kind: "deltas"}`. */
export const listStreamDeltas = query((c) => c.streams.deltas);
/** All streams of one turn, replayed from `fromCursor`. */
export const resumeStreamReplay = query((c) => c.streams.resume);
/** This device's read position per stream (`actor.deviceId` required). */
export const getStreamCheckpoints = query((c) => c.streams.getCheckpoints);
export const saveStreamCheckpoint = mutation((c) => c.streams.saveCheckpoint);
/** The thread's latest token usage (running total, context used at the last request), or null. */
export const getTokenUsage = query((c) => c.tokenUsage.latest);
/** Events of a thread the host could not store, and why (newest first, at most 100). */
export const listDroppedEvents = query((c) => c.droppedEvents.list);
/** The bridge's outbox entry point: a batch of normalized codex events. */
export const ingestEvents = mutation((c) => c.sync.ingest);

export type MessageDoc = FunctionReturnType<Api["messages"]["listTurnMessages"]>[number];
export type ItemDoc = FunctionReturnType<Api["items"]["listItems"]>[number];
export type ReasoningSegmentDoc = FunctionReturnType<Api["reasoning"]["listReasoningByThread"]>["page"][number];
export type StreamReplay = FunctionReturnType<Api["streams"]["replay"]>;
export type IngestEventsResult = FunctionReturnType<Api["sync"]["ingest"]>;
