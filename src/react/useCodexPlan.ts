/**
 * The thread's current plan, as the Codex UI shows it: codex's `turn/plan/updated` steps with
 * their status and the explanation, from the newest turn that made one (`threadPlan`).
 * `undefined` while loading, `null` when no turn made a plan.
 */
import { useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import type { PlanStep } from "./conversation/events.js";
import { planStepStatus } from "./conversation/reduceConversation.js";
import type { ThreadPlanQuery } from "./references.js";

export type CodexPlan = {
  turnId: string;
  /** The plan is the running turn's (`inProgress`) or a finished one's. */
  turnStatus: string;
  explanation: string | undefined;
  /** In the TUI's words: `pending`, `in_progress`, `completed`. */
  steps: PlanStep[];
  completed: number;
  updatedAt: number | undefined;
};

export function useCodexPlan<Query extends ThreadPlanQuery>(query: Query, args: FunctionArgs<Query> | "skip"): { plan: CodexPlan | null | undefined } {
  const row = useQuery(query, args as never) as Query["_returnType"] | undefined;
  if (row === undefined) return { plan: undefined };
  if (row === null) return { plan: null };
  const steps = row.plan.steps.map((s) => ({ step: s.step, status: planStepStatus(s.status) }));
  return {
    plan: {
      turnId: row.turnId,
      turnStatus: row.turnStatus,
      explanation: row.plan.explanation,
      steps,
      completed: steps.filter((s) => s.status === "completed").length,
      updatedAt: row.plan.updatedAt,
    },
  };
}
