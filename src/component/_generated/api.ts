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
import type * as cleanup from "../cleanup.js";
import type * as commands from "../commands.js";
import type * as controls from "../controls.js";
import type * as deletion from "../deletion.js";
import type * as droppedEvents from "../droppedEvents.js";
import type * as imports from "../imports.js";
import type * as ingest_apply from "../ingest/apply.js";
import type * as ingest_batch from "../ingest/batch.js";
import type * as ingest_deltas from "../ingest/deltas.js";
import type * as ingest_dropped from "../ingest/dropped.js";
import type * as ingest_durableText from "../ingest/durableText.js";
import type * as ingest_itemDetails from "../ingest/itemDetails.js";
import type * as ingest_items from "../ingest/items.js";
import type * as ingest_lifecycle from "../ingest/lifecycle.js";
import type * as ingest_messages from "../ingest/messages.js";
import type * as ingest_order from "../ingest/order.js";
import type * as ingest_outcome from "../ingest/outcome.js";
import type * as ingest_payloads from "../ingest/payloads.js";
import type * as ingest_reasoning from "../ingest/reasoning.js";
import type * as ingest_rollback from "../ingest/rollback.js";
import type * as ingest_serverRequests from "../ingest/serverRequests.js";
import type * as ingest_session from "../ingest/session.js";
import type * as ingest_sessionTurns from "../ingest/sessionTurns.js";
import type * as ingest_streamStore from "../ingest/streamStore.js";
import type * as ingest_threadMeta from "../ingest/threadMeta.js";
import type * as ingest_tokenUsage from "../ingest/tokenUsage.js";
import type * as ingest_turns from "../ingest/turns.js";
import type * as items from "../items.js";
import type * as lib_answers from "../lib/answers.js";
import type * as lib_approvalResponse from "../lib/approvalResponse.js";
import type * as lib_args from "../lib/args.js";
import type * as lib_budget from "../lib/budget.js";
import type * as lib_cascade from "../lib/cascade.js";
import type * as lib_commands from "../lib/commands.js";
import type * as lib_deletionJobs from "../lib/deletionJobs.js";
import type * as lib_deletionPages from "../lib/deletionPages.js";
import type * as lib_functions from "../lib/functions.js";
import type * as lib_importPages from "../lib/importPages.js";
import type * as lib_jobs from "../lib/jobs.js";
import type * as lib_owner from "../lib/owner.js";
import type * as lib_pages from "../lib/pages.js";
import type * as lib_returns from "../lib/returns.js";
import type * as lib_sessionLifecycle from "../lib/sessionLifecycle.js";
import type * as lib_streamKey from "../lib/streamKey.js";
import type * as lib_tombstones from "../lib/tombstones.js";
import type * as lib_turnRows from "../lib/turnRows.js";
import type * as messages from "../messages.js";
import type * as rateLimits from "../rateLimits.js";
import type * as reasoning from "../reasoning.js";
import type * as serverRequests from "../serverRequests.js";
import type * as sessions from "../sessions.js";
import type * as streams from "../streams.js";
import type * as sync from "../sync.js";
import type * as threads from "../threads.js";
import type * as tokenUsage from "../tokenUsage.js";
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
  cleanup: typeof cleanup;
  commands: typeof commands;
  controls: typeof controls;
  deletion: typeof deletion;
  droppedEvents: typeof droppedEvents;
  imports: typeof imports;
  "ingest/apply": typeof ingest_apply;
  "ingest/batch": typeof ingest_batch;
  "ingest/deltas": typeof ingest_deltas;
  "ingest/dropped": typeof ingest_dropped;
  "ingest/durableText": typeof ingest_durableText;
  "ingest/itemDetails": typeof ingest_itemDetails;
  "ingest/items": typeof ingest_items;
  "ingest/lifecycle": typeof ingest_lifecycle;
  "ingest/messages": typeof ingest_messages;
  "ingest/order": typeof ingest_order;
  "ingest/outcome": typeof ingest_outcome;
  "ingest/payloads": typeof ingest_payloads;
  "ingest/reasoning": typeof ingest_reasoning;
  "ingest/rollback": typeof ingest_rollback;
  "ingest/serverRequests": typeof ingest_serverRequests;
  "ingest/session": typeof ingest_session;
  "ingest/sessionTurns": typeof ingest_sessionTurns;
  "ingest/streamStore": typeof ingest_streamStore;
  "ingest/threadMeta": typeof ingest_threadMeta;
  "ingest/tokenUsage": typeof ingest_tokenUsage;
  "ingest/turns": typeof ingest_turns;
  items: typeof items;
  "lib/answers": typeof lib_answers;
  "lib/approvalResponse": typeof lib_approvalResponse;
  "lib/args": typeof lib_args;
  "lib/budget": typeof lib_budget;
  "lib/cascade": typeof lib_cascade;
  "lib/commands": typeof lib_commands;
  "lib/deletionJobs": typeof lib_deletionJobs;
  "lib/deletionPages": typeof lib_deletionPages;
  "lib/functions": typeof lib_functions;
  "lib/importPages": typeof lib_importPages;
  "lib/jobs": typeof lib_jobs;
  "lib/owner": typeof lib_owner;
  "lib/pages": typeof lib_pages;
  "lib/returns": typeof lib_returns;
  "lib/sessionLifecycle": typeof lib_sessionLifecycle;
  "lib/streamKey": typeof lib_streamKey;
  "lib/tombstones": typeof lib_tombstones;
  "lib/turnRows": typeof lib_turnRows;
  messages: typeof messages;
  rateLimits: typeof rateLimits;
  reasoning: typeof reasoning;
  serverRequests: typeof serverRequests;
  sessions: typeof sessions;
  streams: typeof streams;
  sync: typeof sync;
  threads: typeof threads;
  tokenUsage: typeof tokenUsage;
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
