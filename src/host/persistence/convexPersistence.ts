/**
 * The persistence port over a Convex client, calling the app's host wrappers by function
 * reference. With `ConvexClient` (convex/browser) pending commands arrive by live
 * subscription; with a client without `onUpdate` (`ConvexHttpClient`) they are polled.
 *
 * The wrappers it expects — by default those `defineCodexHostApi` generates, exported from
 * the app's `convex/codex.ts` (`api.codex.*`); `module` names another module, `functions`
 * passes your own references:
 *
 *   ensureThread    mutation {threadId, name?, model?, cwd?, deviceId?}
 *   sessionOpen     mutation {sessionId, deviceId?, staleAfterMs?}
 *   sessionHeartbeat mutation {sessionId}
 *   sessionClose    mutation {sessionId}
 *   ingestBatch     mutation {sessionId, threadId, events, deviceId?} → IngestResult
 *   commandsPending query    {sessionId} → commands
 *   commandClaim    mutation {sessionId, commandId}
 *   commandComplete mutation {sessionId, commandId, turnId?, steered?, error?}
 *   serverRequestAnnounce mutation {sessionId, requestId, method, paramsJson, createdAt}
 *   serverRequestSettle   mutation {sessionId, requestId, status}
 *   startConversationSyncSource       mutation {threadId, name?, preview?, model?, cwd?, forkedFromThreadId?} → import
 *   appendConversationSyncSourceChunk mutation {jobId, seq, events, expected, turnIds, endsTurn, next?} → import
 *   sealConversationSyncSource        mutation {jobId, chunkCount} → import
 *   getConversationSyncJob            query    {jobId} → import | null
 *   recordRateLimits                  mutation {snapshot}
 *
 * Each derives the actor from the caller's auth (the generated API's `actor` option), never
 * from arguments.
 */
import { anyApi, type FunctionReference } from "convex/server";
import type { IngestResult } from "../../contract/events.js";
import type { ConvexCaller } from "./convexCaller.js";
import type { CodexPersistence, ImportJob, PendingCommand } from "./port.js";

export type HostFunctionReferences = {
  ensureThread: FunctionReference<"mutation">;
  sessionOpen: FunctionReference<"mutation">;
  sessionHeartbeat: FunctionReference<"mutation">;
  sessionClose: FunctionReference<"mutation">;
  ingestBatch: FunctionReference<"mutation">;
  commandsPending: FunctionReference<"query">;
  commandClaim: FunctionReference<"mutation">;
  commandComplete: FunctionReference<"mutation">;
  serverRequestAnnounce: FunctionReference<"mutation">;
  serverRequestSettle: FunctionReference<"mutation">;
  startConversationSyncSource: FunctionReference<"mutation">;
  appendConversationSyncSourceChunk: FunctionReference<"mutation">;
  sealConversationSyncSource: FunctionReference<"mutation">;
  getConversationSyncJob: FunctionReference<"query">;
  recordRateLimits: FunctionReference<"mutation">;
};

export type ConvexPersistenceOptions = {
  client: ConvexCaller;
  /** Your wrappers. Default: those of the module `codex` (`api.codex.*`), by name. */
  functions?: Partial<HostFunctionReferences>;
  /** Module holding the wrappers when `functions` is not given. Default "codex". */
  module?: string;
  /** This machine's name, recorded on the session and on ingested rows. */
  deviceId?: string;
  /** Poll interval for clients without live queries. Default 500 ms. */
  pollMs?: number;
};

/** The default references: `api.<module>.<name>` for each wrapper. */
export function hostFunctionReferences(module = "codex"): HostFunctionReferences {
  const m = (anyApi as Record<string, Record<string, FunctionReference<"mutation">>>)[module]!;
  const q = (anyApi as Record<string, Record<string, FunctionReference<"query">>>)[module]!;
  return {
    ensureThread: m.ensureThread!,
    sessionOpen: m.sessionOpen!,
    sessionHeartbeat: m.sessionHeartbeat!,
    sessionClose: m.sessionClose!,
    ingestBatch: m.ingestBatch!,
    commandsPending: q.commandsPending!,
    commandClaim: m.commandClaim!,
    commandComplete: m.commandComplete!,
    serverRequestAnnounce: m.serverRequestAnnounce!,
    serverRequestSettle: m.serverRequestSettle!,
    startConversationSyncSource: m.startConversationSyncSource!,
    appendConversationSyncSourceChunk: m.appendConversationSyncSourceChunk!,
    sealConversationSyncSource: m.sealConversationSyncSource!,
    getConversationSyncJob: q.getConversationSyncJob!,
    recordRateLimits: m.recordRateLimits!,
  };
}

export function createConvexPersistence(options: ConvexPersistenceOptions): CodexPersistence {
  const { client, deviceId } = options;
  const fn = { ...hostFunctionReferences(options.module), ...options.functions };
  const withDevice = <T extends object>(args: T) => (deviceId === undefined ? args : { ...args, deviceId });
  return {
    async ensureThread(args) {
      await client.mutation(fn.ensureThread, withDevice(dropUndefined(args)));
    },
    async openSession(args) {
      await client.mutation(
        fn.sessionOpen,
        dropUndefined({ sessionId: args.sessionId, deviceId: args.deviceId ?? deviceId, staleAfterMs: args.staleAfterMs }),
      );
    },
    async heartbeatSession(args) {
      await client.mutation(fn.sessionHeartbeat, args);
    },
    async closeSession(args) {
      await client.mutation(fn.sessionClose, args);
    },
    async ingest(args) {
      return (await client.mutation(fn.ingestBatch, withDevice(args))) as IngestResult;
    },
    watchPendingCommands(args, listener, onError) {
      return watch(fn.commandsPending, args, (value) => listener(value as PendingCommand[]), onError);
    },
    async claimCommand(args) {
      await client.mutation(fn.commandClaim, args);
    },
    async completeCommand(args) {
      await client.mutation(fn.commandComplete, dropUndefined(args));
    },
    async announceServerRequest(args) {
      await client.mutation(fn.serverRequestAnnounce, args);
    },
    async settleServerRequest(args) {
      await client.mutation(fn.serverRequestSettle, args);
    },
    async startImport(args) {
      return (await client.mutation(fn.startConversationSyncSource, dropUndefined(args))) as ImportJob;
    },
    async appendImportChunk(args) {
      return (await client.mutation(fn.appendConversationSyncSourceChunk, dropUndefined(args))) as ImportJob;
    },
    async sealImport(args) {
      return (await client.mutation(fn.sealConversationSyncSource, args)) as ImportJob;
    },
    watchImport(args, listener, onError) {
      return watch(fn.getConversationSyncJob, args, (value) => listener(value as ImportJob | null), onError);
    },
    async recordRateLimits(args) {
      await client.mutation(fn.recordRateLimits, args);
    },
  };

  /** A live query where the client has them, else polled every `pollMs`. */
  function watch(ref: FunctionReference<"query">, args: Record<string, unknown>, deliver: (value: unknown) => void, onError?: (error: Error) => void) {
    if (client.onUpdate) return client.onUpdate(ref, args, deliver, onError);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        deliver(await client.query(ref, args));
      } catch (error) {
        onError?.(error as Error);
      }
      if (!stopped) timer = setTimeout(() => void poll(), options.pollMs ?? 500);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
