/**
 * The slices of a Convex ctx the helpers need, so they accept a query, mutation or action
 * ctx of any app's data model.
 */
import type { GenericActionCtx, GenericDataModel, GenericMutationCtx, GenericQueryCtx } from "convex/server";

export type RunQueryCtx = { runQuery: GenericQueryCtx<GenericDataModel>["runQuery"] };
export type RunMutationCtx = {
  runQuery: GenericQueryCtx<GenericDataModel>["runQuery"];
  runMutation: GenericMutationCtx<GenericDataModel>["runMutation"];
};
export type RunActionCtx = RunMutationCtx & { runAction: GenericActionCtx<GenericDataModel>["runAction"] };
