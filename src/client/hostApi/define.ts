/**
 * `defineCodexHostApi`: the app's whole public surface over the component from one call.
 *
 *     // convex/codex.ts
 *     export const { threadMessages, registerTurnStart, … } = defineCodexHostApi(components.codexLocal);
 *
 * Every wrapper of the table (`codexHostWrappers`) becomes a public query or mutation with
 * full `args` and `returns` validators. Each call derives the actor on the server (`actor`,
 * by default `actorFromAuth`: the signed-in identity; a client names at most its device),
 * asks `authorize`, then runs the entry — through the app's `wrap` for that wrapper if given.
 */
import {
  mutationGeneric,
  queryGeneric,
  type GenericDataModel,
  type GenericMutationCtx,
  type GenericQueryCtx,
  type RegisteredMutation,
  type RegisteredQuery,
} from "convex/server";
import type { Infer, ObjectType } from "convex/values";
import type { ComponentApi } from "../../component/_generated/component.js";
import type { Actor } from "../../component/validators.js";
import { ErrorCode, codexError } from "../../contract/errors.js";
import { actorFromAuth, type ActorFromAuthOptions } from "../auth.js";
import { bridgeWrappers } from "./bridgeWrappers.js";
import { deviceWrappers } from "./deviceWrappers.js";
import { controlWrappers, deletionWrappers, reportWrappers, syncWrappers } from "./lifecycleWrappers.js";
import { readWrappers } from "./readWrappers.js";
import type { AnyHostWrapper, HostWrapper, WrapperKind, WrapperRole } from "./wrapper.js";

/** Every wrapper the hooks and the host runtime use, by the name the app exports it under. */
export const codexHostWrappers = {
  ...deviceWrappers,
  ...bridgeWrappers,
  ...readWrappers,
  ...controlWrappers,
  ...deletionWrappers,
  ...syncWrappers,
  ...reportWrappers,
};

export type CodexHostWrappers = typeof codexHostWrappers;
export type CodexHostWrapperName = keyof CodexHostWrappers;

/* eslint-disable @typescript-eslint/no-explicit-any -- conditional types over entries of any shape */
type ArgsOf<E> = E extends HostWrapper<any, infer A, any> ? ObjectType<A> : never;
type ResultOf<E> = E extends HostWrapper<any, any, infer R> ? Infer<R> : never;
type CtxOf<E> = E extends HostWrapper<"query", any, any> ? GenericQueryCtx<GenericDataModel> : GenericMutationCtx<GenericDataModel>;
type Registered<E> =
  E extends HostWrapper<"query", infer A, infer R>
    ? RegisteredQuery<"public", ObjectType<A>, Promise<Infer<R>>>
    : E extends HostWrapper<"mutation", infer A, infer R>
      ? RegisteredMutation<"public", ObjectType<A>, Promise<Infer<R>>>
      : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The registered functions, one per wrapper: export them from a module of `convex/`. */
export type CodexHostApi = { [K in CodexHostWrapperName]: Registered<CodexHostWrappers[K]> };

/** What `authorize` is asked about, after the actor was derived and the args validated. */
export type CodexHostOperation = {
  wrapper: CodexHostWrapperName;
  kind: WrapperKind;
  role: WrapperRole;
  actor: Actor;
  args: Record<string, unknown>;
};

/** Derives the actor from the call: the identity is the server's, the device label the client's. */
export type CodexActorResolver = (
  ctx: GenericQueryCtx<GenericDataModel>,
  request: { wrapper: CodexHostWrapperName; deviceId?: string },
) => Actor | Promise<Actor>;

export type CodexHostWrap<K extends CodexHostWrapperName> = (
  ctx: CtxOf<CodexHostWrappers[K]>,
  args: ArgsOf<CodexHostWrappers[K]>,
  next: (args: ArgsOf<CodexHostWrappers[K]>) => Promise<ResultOf<CodexHostWrappers[K]>>,
  actor: Actor,
) => Promise<ResultOf<CodexHostWrappers[K]>>;

export type CodexHostApiOptions<Omitted extends readonly CodexHostWrapperName[] = readonly CodexHostWrapperName[]> = {
  /**
   * Who is calling. Default `actorFromAuth(ctx, { deviceId })`: user = the identity's
   * `tokenIdentifier`, tenant `"default"`. Pass `actorFromAuth`'s options (a tenant from the
   * identity, say) or your own function; a device label the call names is added to an actor
   * your function returns without one.
   */
  actor?: Omit<ActorFromAuthOptions, "deviceId"> | CodexActorResolver;
  /**
   * Asked before every call: throw your own error, or return `false` for E_FORBIDDEN.
   * (`operation.role` tells the bridge's wrappers from the devices'.)
   */
  authorize?: (ctx: GenericQueryCtx<GenericDataModel>, operation: CodexHostOperation) => void | boolean | Promise<void | boolean>;
  /** Wrappers not to define (your own replace them, or the app does not offer them). */
  omit?: Omitted;
  /** Around one wrapper: `next(args)` runs it; change the args, check more, or post-process. */
  wrap?: { [K in CodexHostWrapperName]?: CodexHostWrap<K> };
};

export function defineCodexHostApi<const Omitted extends readonly CodexHostWrapperName[] = []>(
  component: ComponentApi,
  options: CodexHostApiOptions<Omitted> = {},
): Omit<CodexHostApi, Omitted[number]> {
  const omitted = new Set<string>(options.omit ?? []);
  const resolveActor = actorResolver(options.actor);
  const api: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(codexHostWrappers) as Array<[CodexHostWrapperName, AnyHostWrapper]>) {
    if (omitted.has(name)) continue;
    const wrap = options.wrap?.[name] as CodexHostWrap<CodexHostWrapperName> | undefined;
    const handler = async (ctx: GenericMutationCtx<GenericDataModel>, args: Record<string, unknown>) => {
      const deviceId = typeof args.deviceId === "string" ? args.deviceId : undefined;
      const actor = await resolveActor(ctx, { wrapper: name, deviceId });
      if (options.authorize) {
        const allowed = await options.authorize(ctx, { wrapper: name, kind: entry.kind, role: entry.role, actor, args });
        if (allowed === false) throw codexError(ErrorCode.forbidden, `not allowed to call ${name}`);
      }
      const next = (nextArgs: Record<string, unknown>) => entry.run(ctx, component, actor, nextArgs);
      return wrap ? await wrap(ctx, args as never, next as never, actor) : await next(args);
    };
    const define = entry.kind === "query" ? queryGeneric : mutationGeneric;
    api[name] = define({ args: entry.args, returns: entry.returns, handler: handler as never });
  }
  return api as Omit<CodexHostApi, Omitted[number]>;
}

function actorResolver(option: CodexHostApiOptions["actor"]): CodexActorResolver {
  if (typeof option !== "function") return (ctx, { deviceId }) => actorFromAuth(ctx, { ...option, deviceId });
  return async (ctx, request) => {
    const actor = await option(ctx, request);
    const deviceId = request.deviceId?.trim();
    return actor.deviceId === undefined && deviceId ? { ...actor, deviceId } : actor;
  };
}
