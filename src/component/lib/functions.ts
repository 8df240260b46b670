/**
 * The component's function builders: Convex's own, with `checkArgs` (lib/args.ts) run on the
 * arguments before every handler. Every module registers its functions through these (lint
 * forbids the raw builders elsewhere), so no function can forget the check.
 */
// eslint-disable-next-line no-restricted-imports -- the one place the raw builders are wrapped
import { internalMutation as rawInternalMutation, mutation as rawMutation, query as rawQuery } from "../_generated/server.js";
import { checkArgs } from "./args.js";

type Definition = { handler: (ctx: unknown, args: unknown) => unknown };

function checked<Builder>(builder: Builder): Builder {
  const register = builder as unknown as (definition: Definition) => unknown;
  return ((definition: Definition) =>
    register({
      ...definition,
      handler: (ctx: unknown, args: unknown) => {
        checkArgs(args);
        return definition.handler(ctx, args);
      },
    })) as unknown as Builder;
}

export const query = checked(rawQuery);
export const mutation = checked(rawMutation);
export const internalMutation = checked(rawInternalMutation);
