/**
 * App-side helpers for the data plane: call them from your own Convex functions with the
 * component reference, `(ctx, components.codexLocal, args)`. They add nothing but types;
 * authorization (who the actor is) stays in your wrapper.
 */
import type {
  FunctionArgs,
  FunctionReference,
  FunctionReturnType,
  GenericActionCtx,
  GenericDataModel,
  GenericMutationCtx,
  GenericQueryCtx,
} from "convex/server";
import { paginationResultValidator } from "convex/server";
import { v } from "convex/values";
import type { ComponentApi } from "../component/_generated/component.js";
import schema from "../component/schema.js";
import { vReplayResult } from "../component/validators.js";

type RunQueryCtx = Pick<GenericQueryCtx<GenericDataModel>, "runQuery">;
type RunMutationCtx = Pick<GenericMutationCtx<GenericDataModel> | GenericActionCtx<GenericDataModel>, "runMutation">;

type Api = ComponentApi;
type QueryRef = FunctionReference<"query", "internal">;
type MutationRef = FunctionReference<"mutation", "internal">;

function query<F extends QueryRef>(pick: (c: Api) => F) {
  return (ctx: RunQueryCtx, component: Api, args: FunctionArgs<F>): Promise<FunctionReturnType<F>> =>
    ctx.runQuery(pick(component), args);
}
function mutation<F extends MutationRef>(pick: (c: Api) => F) {
  return (ctx: RunMutationCtx, component: Api, args: FunctionArgs<F>): Promise<FunctionReturnType<F>> =>
    ctx.runMutation(pick(component), args);
}

/** A thread's messages, newest first, as a Convex `PaginationResult` (works with `usePaginatedQuery`). */
export const listMessages = query((c) => c.messages.listMessages);
/** One turn's messages, oldest first. */
export const listTurnMessages = query((c) => c.messages.listTurnMessages);
/** A thread's reasoning segments (summary and raw), newest first, paginated. */
export const listReasoningByThread = query((c) => c.reasoning.listReasoningByThread);
/** Typed items of a turn, or the thread's most recent items, oldest first. */
export const listItems = query((c) => c.items.listItems);
/** Stream deltas after each given cursor, plus the thread's live and recent streams. */
export const replayStreams = query((c) => c.streams.replay);
/** All streams of one turn, replayed from `fromCursor`. */
export const resumeStreamReplay = query((c) => c.streams.resume);
/** This device's read position per stream (`actor.deviceId` required). */
export const getStreamCheckpoints = query((c) => c.streams.getCheckpoints);
export const saveStreamCheckpoint = mutation((c) => c.streams.saveCheckpoint);
/** The bridge's outbox entry point: a batch of normalized codex events. */
export const ingestEvents = mutation((c) => c.sync.ingest);

export type MessageDoc = FunctionReturnType<Api["messages"]["listTurnMessages"]>[number];
export type ItemDoc = FunctionReturnType<Api["items"]["listItems"]>[number];
export type ReasoningSegmentDoc = FunctionReturnType<Api["reasoning"]["listReasoningByThread"]>["page"][number];
export type StreamReplay = FunctionReturnType<Api["streams"]["replay"]>;
export type IngestEventsResult = FunctionReturnType<Api["sync"]["ingest"]>;

/**
 * Return validators for app wrappers. Across the component boundary a document's `_id` is
 * a plain string (the app has no such table), so these swap it for `v.string()`.
 */
function docWithStringId<T extends "messages" | "items" | "reasoning_segments">(table: T) {
  return v.object({ ...schema.tables[table].validator.fields, _id: v.string(), _creationTime: v.number() });
}
export const vMessageDoc = docWithStringId("messages");
export const vItemDoc = docWithStringId("items");
export const vReasoningSegmentDoc = docWithStringId("reasoning_segments");
export const vDataResults = {
  messagePage: paginationResultValidator(vMessageDoc),
  messages: v.array(vMessageDoc),
  items: v.array(vItemDoc),
  reasoningPage: paginationResultValidator(vReasoningSegmentDoc),
  replay: vReplayResult,
};

/** The validators an app wrapper needs for the data plane's arguments. */
export { vInboundEvent, vIngestResult, vStreamCursor } from "../component/validators.js";
