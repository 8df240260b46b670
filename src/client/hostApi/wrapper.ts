/**
 * One entry of the generated host API: a public query or mutation of the app, described once
 * (its arguments, its `returns`, and what it asks of the component for an actor already
 * derived on the server). `defineCodexHostApi` turns every entry into a registered function.
 */
import type { ObjectType, PropertyValidators, GenericValidator, Infer } from "convex/values";
import type { ComponentApi } from "../../component/_generated/component.js";
import type { Actor } from "../../component/validators.js";
import type { RunMutationCtx, RunQueryCtx } from "../ctx.js";

export type WrapperKind = "query" | "mutation";

/**
 * Who calls it: `device` wrappers serve any device of the user (hooks, a phone, a CLI);
 * `bridge` wrappers serve the host runtime next to codex (sessions, the command queue, ingest).
 * `authorize` sees it, so an app can, say, keep the bridge wrappers to machine identities.
 */
export type WrapperRole = "device" | "bridge";

export type HostWrapper<K extends WrapperKind, A extends PropertyValidators, R extends GenericValidator> = {
  kind: K;
  role: WrapperRole;
  args: A;
  returns: R;
  run: (
    ctx: K extends "query" ? RunQueryCtx : RunMutationCtx,
    component: ComponentApi,
    actor: Actor,
    args: ObjectType<A>,
  ) => Promise<Infer<R>>;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table holds entries of every shape
export type AnyHostWrapper = HostWrapper<WrapperKind, any, any>;

export function hostQuery<A extends PropertyValidators, R extends GenericValidator>(
  entry: Omit<HostWrapper<"query", A, R>, "kind">,
): HostWrapper<"query", A, R> {
  return { kind: "query", ...entry };
}

export function hostMutation<A extends PropertyValidators, R extends GenericValidator>(
  entry: Omit<HostWrapper<"mutation", A, R>, "kind">,
): HostWrapper<"mutation", A, R> {
  return { kind: "mutation", ...entry };
}

/** `args` without the caller's device label, which went into the actor. */
export function withoutDevice<T extends { deviceId?: string }>(args: T): Omit<T, "deviceId"> {
  const { deviceId: _deviceId, ...rest } = args;
  return rest;
}
