/**
 * Validators apps use in their own wrappers: the component's argument validators as they
 * are, and its return shapes with ids turned into plain strings (a component's ids are
 * opaque strings on the app side, and `v.id("commands")` would name a table the app lacks).
 */
import { paginationResultValidator } from "convex/server";
import { v, type GenericValidator, type Infer, type Validator } from "convex/values";
import type { GenericId } from "convex/values";
import * as results from "../component/lib/returns.js";
import { vv } from "../component/schema.js";
import { vReplayResult } from "../component/validators.js";

/** `T` with every document id replaced by `string`, as component results look to an app. */
export type OpaqueIds<T> =
  T extends GenericId<string>
    ? string
    : T extends Array<infer U>
      ? OpaqueIds<U>[]
      : T extends object
        ? { [K in keyof T]: OpaqueIds<T[K]> }
        : T;

type Required<T> = Validator<T, "required", string>;

function requiredCopy(validator: GenericValidator): GenericValidator {
  switch (validator.kind) {
    case "id":
      return v.string();
    case "object":
      return v.object(
        Object.fromEntries(
          Object.entries(validator.fields).map(([key, field]) => {
            const copy = requiredCopy(field);
            return [key, field.isOptional === "optional" ? v.optional(copy) : copy];
          }),
        ),
      );
    case "array":
      return v.array(requiredCopy(validator.element));
    case "union":
      return v.union(...validator.members.map(requiredCopy));
    case "record":
      return v.record(requiredCopy(validator.key) as Validator<string, "required", string>, requiredCopy(validator.value));
    case "literal":
      return v.literal(validator.value);
    case "string":
      return v.string();
    case "float64":
      return v.float64();
    case "int64":
      return v.int64();
    case "boolean":
      return v.boolean();
    case "null":
      return v.null();
    case "bytes":
      return v.bytes();
    default:
      return v.any();
  }
}

/** The same validator with `v.id(...)` replaced by `v.string()`, at any depth. */
export function withStringIds<V extends GenericValidator>(validator: V): Required<OpaqueIds<Infer<V>>> {
  return requiredCopy(validator) as Required<OpaqueIds<Infer<V>>>;
}

/** Return validators for app wrappers around the component's functions. */
export const vCodexResults = {
  thread: withStringIds(vv.doc("threads")),
  threadCreated: withStringIds(results.vThreadCreated),
  threadState: withStringIds(results.vThreadState),
  threadPage: withStringIds(results.vThreadPage),
  turn: withStringIds(vv.doc("turns")),
  turnOrNull: withStringIds(v.union(vv.doc("turns"), v.null())),
  turnPage: withStringIds(results.vTurnPage),
  commandTicket: withStringIds(results.vCommandTicket),
  command: withStringIds(vv.doc("commands")),
  commandOrNull: withStringIds(v.union(vv.doc("commands"), v.null())),
  commands: withStringIds(v.array(vv.doc("commands"))),
  approvals: withStringIds(v.array(vv.doc("approvals"))),
  approvalPage: paginationResultValidator(withStringIds(vv.doc("approvals"))),
  approvalAnswer: withStringIds(results.vApprovalAnswer),
  serverRequests: withStringIds(v.array(vv.doc("server_requests"))),
  serverRequestAnswer: withStringIds(results.vServerRequestAnswer),
  sessionInfo: withStringIds(results.vSessionInfo),
  sessionRetired: withStringIds(results.vSessionRetired),
  sessions: withStringIds(v.array(vv.doc("sessions"))),
  tokenUsageOrNull: withStringIds(v.union(vv.doc("token_usage"), v.null())),
  message: withStringIds(vv.doc("messages")),
  messages: withStringIds(v.array(vv.doc("messages"))),
  messagePage: paginationResultValidator(withStringIds(vv.doc("messages"))),
  items: withStringIds(v.array(vv.doc("items"))),
  itemPage: paginationResultValidator(withStringIds(vv.doc("items"))),
  reasoningPage: paginationResultValidator(withStringIds(vv.doc("reasoning_segments"))),
  replay: vReplayResult,
  droppedEvents: withStringIds(v.array(vv.doc("dropped_events"))),
  tokenUsagePage: paginationResultValidator(withStringIds(vv.doc("token_usage"))),
  currentPlan: withStringIds(results.vCurrentPlan),
  rateLimits: withStringIds(v.array(vv.doc("rate_limits"))),
  deletionResult: withStringIds(results.vDeletionResult),
  deletionTicket: withStringIds(results.vDeletionTicket),
  deletionJob: withStringIds(vv.doc("deletion_jobs")),
  deletionJobOrNull: withStringIds(v.union(vv.doc("deletion_jobs"), v.null())),
  deletionJobPage: paginationResultValidator(withStringIds(vv.doc("deletion_jobs"))),
  importJob: withStringIds(vv.doc("import_jobs")),
  importJobOrNull: withStringIds(v.union(vv.doc("import_jobs"), v.null())),
  importJobPage: paginationResultValidator(withStringIds(vv.doc("import_jobs"))),
};
