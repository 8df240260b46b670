/* Hand-written equivalent of `convex codegen` output for the test-only app. */
import { anyApi, type ApiFromModules, type FilterApi, type FunctionReference } from "convex/server";
import type * as chat from "../chat.js";
import type * as bridge from "../bridge.js";

type AppApi = ApiFromModules<{ chat: typeof chat; bridge: typeof bridge }>;
export const api = anyApi as unknown as FilterApi<AppApi, FunctionReference<"query" | "mutation", "public">>;
