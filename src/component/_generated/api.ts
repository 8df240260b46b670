/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type * as approvals from "../approvals.js";
import type * as commands from "../commands.js";
import type * as errors from "../errors.js";
import type * as lib_answers from "../lib/answers.js";
import type * as lib_approvalResponse from "../lib/approvalResponse.js";
import type * as lib_commands from "../lib/commands.js";
import type * as lib_owner from "../lib/owner.js";
import type * as lib_returns from "../lib/returns.js";
import type * as lib_sessionLifecycle from "../lib/sessionLifecycle.js";
import type * as lib_turnRows from "../lib/turnRows.js";
import type * as serverRequests from "../serverRequests.js";
import type * as sessions from "../sessions.js";
import type * as threads from "../threads.js";
import type * as turns from "../turns.js";
import type * as validators from "../validators.js";

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import { anyApi, componentsGeneric } from "convex/server";

const fullApi: ApiFromModules<{
  approvals: typeof approvals;
  commands: typeof commands;
  errors: typeof errors;
  "lib/answers": typeof lib_answers;
  "lib/approvalResponse": typeof lib_approvalResponse;
  "lib/commands": typeof lib_commands;
  "lib/owner": typeof lib_owner;
  "lib/returns": typeof lib_returns;
  "lib/sessionLifecycle": typeof lib_sessionLifecycle;
  "lib/turnRows": typeof lib_turnRows;
  serverRequests: typeof serverRequests;
  sessions: typeof sessions;
  threads: typeof threads;
  turns: typeof turns;
  validators: typeof validators;
}> = anyApi as any;

/**
 * A utility for referencing Convex functions in your app's public API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
export const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
> = anyApi as any;

/**
 * A utility for referencing Convex functions in your app's internal API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = internal.myModule.myFunction;
 * ```
 */
export const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
> = anyApi as any;

export const components = componentsGeneric() as unknown as {};
