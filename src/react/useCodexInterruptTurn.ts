/** Interrupting the running turn through the app's `interruptActiveTurn` wrapper. */
import { useMutation } from "convex/react";
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import type { InterruptTurnMutation } from "./references.js";

export function useCodexInterruptTurn<Mutation extends InterruptTurnMutation>(
  mutation: Mutation,
): (args: FunctionArgs<Mutation>) => Promise<FunctionReturnType<Mutation>> {
  return useMutation(mutation) as unknown as (args: FunctionArgs<Mutation>) => Promise<FunctionReturnType<Mutation>>;
}
