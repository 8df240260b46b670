/**
 * The slices of a Convex ctx the helpers need, so they accept a query, mutation or action
 * ctx of any app's data model, and the two factories every helper is made with.
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
import type { ComponentApi } from "../component/_generated/component.js";

export type RunQueryCtx = { runQuery: GenericQueryCtx<GenericDataModel>["runQuery"] };
export type RunMutationCtx = {
  runQuery: GenericQueryCtx<GenericDataModel>["runQuery"];
  runMutation: GenericMutationCtx<GenericDataModel>["runMutation"];
};
export type RunActionCtx = RunMutationCtx & { runAction: GenericActionCtx<GenericDataModel>["runAction"] };

type QueryRef = FunctionReference<"query", "internal">;
type MutationRef = FunctionReference<"mutation", "internal">;

/** `(ctx, components.codexLocal, args)` → the component query `pick` names, fully typed. */
export function queryHelper<F extends QueryRef>(pick: (component: ComponentApi) => F) {
  return (ctx: RunQueryCtx, component: ComponentApi, args: FunctionArgs<F>): Promise<FunctionReturnType<F>> =>
    ctx.runQuery(pick(component), args);
}

/** `(ctx, components.codexLocal, args)` → the component mutation `pick` names, fully typed. */
export function mutationHelper<F extends MutationRef>(pick: (component: ComponentApi) => F) {
  return (ctx: RunMutationCtx, component: ComponentApi, args: FunctionArgs<F>): Promise<FunctionReturnType<F>> =>
    ctx.runMutation(pick(component), args);
}
