/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type * as cleanup from "../cleanup.js";
import type * as errors from "../errors.js";
import type * as ingest_apply from "../ingest/apply.js";
import type * as ingest_batch from "../ingest/batch.js";
import type * as ingest_deltas from "../ingest/deltas.js";
import type * as ingest_itemDetails from "../ingest/itemDetails.js";
import type * as ingest_items from "../ingest/items.js";
import type * as ingest_lifecycle from "../ingest/lifecycle.js";
import type * as ingest_messages from "../ingest/messages.js";
import type * as ingest_outcome from "../ingest/outcome.js";
import type * as ingest_payloads from "../ingest/payloads.js";
import type * as ingest_reasoning from "../ingest/reasoning.js";
import type * as ingest_serverRequests from "../ingest/serverRequests.js";
import type * as ingest_session from "../ingest/session.js";
import type * as ingest_streamStore from "../ingest/streamStore.js";
import type * as ingest_threadMeta from "../ingest/threadMeta.js";
import type * as ingest_tokenUsage from "../ingest/tokenUsage.js";
import type * as ingest_turns from "../ingest/turns.js";
import type * as items from "../items.js";
import type * as lib_owner from "../lib/owner.js";
import type * as limits from "../limits.js";
import type * as messages from "../messages.js";
import type * as reasoning from "../reasoning.js";
import type * as streams from "../streams.js";
import type * as sync from "../sync.js";
import type * as validators from "../validators.js";

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import { anyApi, componentsGeneric } from "convex/server";

const fullApi: ApiFromModules<{
  cleanup: typeof cleanup;
  errors: typeof errors;
  "ingest/apply": typeof ingest_apply;
  "ingest/batch": typeof ingest_batch;
  "ingest/deltas": typeof ingest_deltas;
  "ingest/itemDetails": typeof ingest_itemDetails;
  "ingest/items": typeof ingest_items;
  "ingest/lifecycle": typeof ingest_lifecycle;
  "ingest/messages": typeof ingest_messages;
  "ingest/outcome": typeof ingest_outcome;
  "ingest/payloads": typeof ingest_payloads;
  "ingest/reasoning": typeof ingest_reasoning;
  "ingest/serverRequests": typeof ingest_serverRequests;
  "ingest/session": typeof ingest_session;
  "ingest/streamStore": typeof ingest_streamStore;
  "ingest/threadMeta": typeof ingest_threadMeta;
  "ingest/tokenUsage": typeof ingest_tokenUsage;
  "ingest/turns": typeof ingest_turns;
  items: typeof items;
  "lib/owner": typeof lib_owner;
  limits: typeof limits;
  messages: typeof messages;
  reasoning: typeof reasoning;
  streams: typeof streams;
  sync: typeof sync;
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
