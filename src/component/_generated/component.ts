/* eslint-disable */
/**
 * Generated `ComponentApi` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type { FunctionReference } from "convex/server";

/**
 * A utility for referencing a Convex component's exposed API.
 *
 * Useful when expecting a parameter like `components.myComponent`.
 * Usage:
 * ```ts
 * async function myFunction(ctx: QueryCtx, component: ComponentApi) {
 *   return ctx.runQuery(component.someFile.someQuery, { ...args });
 * }
 * ```
 */
export type ComponentApi<Name extends string | undefined = string | undefined> =
  {
    approvals: {
      listByThread: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
          threadId: string;
          turnId?: string;
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            availableDecisions?: Array<string>;
            command?: string;
            createdAt: number;
            cwd?: string;
            decidedAt?: number;
            decidedBy?: string;
            decidedByDeviceId?: string;
            decisionReason?: string;
            itemId: string;
            kind: "commandExecution" | "fileChange" | "permissions";
            reason?: string;
            serverRequest: string;
            status:
              | "pending"
              | "accepted"
              | "acceptedForSession"
              | "declined"
              | "cancelled"
              | "expired"
              | "undelivered";
            tenantId: string;
            threadId: string;
            turnId: string;
            userId: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
      listPending: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        Array<{
          _creationTime: number;
          _id: string;
          availableDecisions?: Array<string>;
          command?: string;
          createdAt: number;
          cwd?: string;
          decidedAt?: number;
          decidedBy?: string;
          decidedByDeviceId?: string;
          decisionReason?: string;
          itemId: string;
          kind: "commandExecution" | "fileChange" | "permissions";
          reason?: string;
          serverRequest: string;
          status:
            | "pending"
            | "accepted"
            | "acceptedForSession"
            | "declined"
            | "cancelled"
            | "expired"
            | "undelivered";
          tenantId: string;
          threadId: string;
          turnId: string;
          userId: string;
        }>,
        Name
      >;
      respond: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          decision:
            "accepted" | "acceptedForSession" | "declined" | "cancelled";
          itemId: string;
          reason?: string;
          threadId: string;
          turnId: string;
        },
        {
          approvalId: string;
          commandId: string;
          status: "accepted" | "acceptedForSession" | "declined" | "cancelled";
        },
        Name
      >;
    };
    commands: {
      cancel: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          commandId: string;
        },
        {
          _creationTime: number;
          _id: string;
          claimedAt?: number;
          claimedBy?: string;
          createdAt: number;
          createdThreadId?: string;
          deviceId?: string;
          error?: string;
          finishedAt?: number;
          idempotencyKey?: string;
          input?: Array<
            | { text: string; type: "text" }
            | { type: "image"; url: string }
            | { path: string; type: "localImage" }
            | { name: string; path: string; type: "mention" }
          >;
          kind:
            | "startTurn"
            | "interruptTurn"
            | "steerTurn"
            | "respondServerRequest"
            | "startThread"
            | "renameThread"
            | "archiveThread"
            | "unarchiveThread"
            | "compactThread"
            | "rollbackThread"
            | "forkThread";
          name?: string;
          requestId?: string | number;
          responseJson?: string;
          serverRequest?: string;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          steeredInto?: string;
          targetSessionId?: string;
          tenantId: string;
          threadId?: string;
          turnId?: string;
          userId: string;
        },
        Name
      >;
      claim: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          commandId: string;
          sessionId: string;
        },
        {
          _creationTime: number;
          _id: string;
          claimedAt?: number;
          claimedBy?: string;
          createdAt: number;
          createdThreadId?: string;
          deviceId?: string;
          error?: string;
          finishedAt?: number;
          idempotencyKey?: string;
          input?: Array<
            | { text: string; type: "text" }
            | { type: "image"; url: string }
            | { path: string; type: "localImage" }
            | { name: string; path: string; type: "mention" }
          >;
          kind:
            | "startTurn"
            | "interruptTurn"
            | "steerTurn"
            | "respondServerRequest"
            | "startThread"
            | "renameThread"
            | "archiveThread"
            | "unarchiveThread"
            | "compactThread"
            | "rollbackThread"
            | "forkThread";
          name?: string;
          requestId?: string | number;
          responseJson?: string;
          serverRequest?: string;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          steeredInto?: string;
          targetSessionId?: string;
          tenantId: string;
          threadId?: string;
          turnId?: string;
          userId: string;
        },
        Name
      >;
      complete: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          commandId: string;
          error?: string;
          sessionId: string;
          steered?: boolean;
          threadId?: string;
          turnId?: string;
        },
        {
          _creationTime: number;
          _id: string;
          claimedAt?: number;
          claimedBy?: string;
          createdAt: number;
          createdThreadId?: string;
          deviceId?: string;
          error?: string;
          finishedAt?: number;
          idempotencyKey?: string;
          input?: Array<
            | { text: string; type: "text" }
            | { type: "image"; url: string }
            | { path: string; type: "localImage" }
            | { name: string; path: string; type: "mention" }
          >;
          kind:
            | "startTurn"
            | "interruptTurn"
            | "steerTurn"
            | "respondServerRequest"
            | "startThread"
            | "renameThread"
            | "archiveThread"
            | "unarchiveThread"
            | "compactThread"
            | "rollbackThread"
            | "forkThread";
          name?: string;
          requestId?: string | number;
          responseJson?: string;
          serverRequest?: string;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          steeredInto?: string;
          targetSessionId?: string;
          tenantId: string;
          threadId?: string;
          turnId?: string;
          userId: string;
        },
        Name
      >;
      get: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          commandId: string;
        },
        {
          _creationTime: number;
          _id: string;
          claimedAt?: number;
          claimedBy?: string;
          createdAt: number;
          createdThreadId?: string;
          deviceId?: string;
          error?: string;
          finishedAt?: number;
          idempotencyKey?: string;
          input?: Array<
            | { text: string; type: "text" }
            | { type: "image"; url: string }
            | { path: string; type: "localImage" }
            | { name: string; path: string; type: "mention" }
          >;
          kind:
            | "startTurn"
            | "interruptTurn"
            | "steerTurn"
            | "respondServerRequest"
            | "startThread"
            | "renameThread"
            | "archiveThread"
            | "unarchiveThread"
            | "compactThread"
            | "rollbackThread"
            | "forkThread";
          name?: string;
          requestId?: string | number;
          responseJson?: string;
          serverRequest?: string;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          steeredInto?: string;
          targetSessionId?: string;
          tenantId: string;
          threadId?: string;
          turnId?: string;
          userId: string;
        } | null,
        Name
      >;
      listPending: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          limit?: number;
          sessionId?: string;
          threadId?: string;
        },
        Array<{
          _creationTime: number;
          _id: string;
          claimedAt?: number;
          claimedBy?: string;
          createdAt: number;
          createdThreadId?: string;
          deviceId?: string;
          error?: string;
          finishedAt?: number;
          idempotencyKey?: string;
          input?: Array<
            | { text: string; type: "text" }
            | { type: "image"; url: string }
            | { path: string; type: "localImage" }
            | { name: string; path: string; type: "mention" }
          >;
          kind:
            | "startTurn"
            | "interruptTurn"
            | "steerTurn"
            | "respondServerRequest"
            | "startThread"
            | "renameThread"
            | "archiveThread"
            | "unarchiveThread"
            | "compactThread"
            | "rollbackThread"
            | "forkThread";
          name?: string;
          requestId?: string | number;
          responseJson?: string;
          serverRequest?: string;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          steeredInto?: string;
          targetSessionId?: string;
          tenantId: string;
          threadId?: string;
          turnId?: string;
          userId: string;
        }>,
        Name
      >;
    };
    controls: {
      requestCompact: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          idempotencyKey: string;
          threadId: string;
        },
        {
          commandId: string;
          deduplicated: boolean;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          turnId?: string;
        },
        Name
      >;
      requestFork: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          idempotencyKey: string;
          lastTurnId?: string;
          threadId: string;
        },
        {
          commandId: string;
          deduplicated: boolean;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          turnId?: string;
        },
        Name
      >;
      requestRollback: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          beforeTurnId: string;
          idempotencyKey: string;
          threadId: string;
        },
        {
          commandId: string;
          deduplicated: boolean;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          turnId?: string;
        },
        Name
      >;
    };
    deletion: {
      cancel: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          jobId: string;
        },
        {
          _creationTime: number;
          _id: string;
          afterStartedAt?: number;
          attempts: number;
          createdAt: number;
          deleted: Record<string, number>;
          error?: string;
          finishedAt?: number;
          kind: "thread" | "turn" | "actor" | "rollback";
          pageRows?: number;
          pages: number;
          runAt: number;
          scheduledId?: string;
          startedAt?: number;
          status:
            "scheduled" | "running" | "completed" | "failed" | "cancelled";
          tenantId: string;
          threadId?: string;
          turnId?: string;
          untilStartedAt?: number;
          updatedAt: number;
          userId: string;
          watchdogId?: string;
        },
        Name
      >;
      deleteThread: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        { deleted: Record<string, number> },
        Name
      >;
      deleteTurn: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
          turnId: string;
        },
        { deleted: Record<string, number> },
        Name
      >;
      forceRun: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          jobId: string;
        },
        {
          _creationTime: number;
          _id: string;
          afterStartedAt?: number;
          attempts: number;
          createdAt: number;
          deleted: Record<string, number>;
          error?: string;
          finishedAt?: number;
          kind: "thread" | "turn" | "actor" | "rollback";
          pageRows?: number;
          pages: number;
          runAt: number;
          scheduledId?: string;
          startedAt?: number;
          status:
            "scheduled" | "running" | "completed" | "failed" | "cancelled";
          tenantId: string;
          threadId?: string;
          turnId?: string;
          untilStartedAt?: number;
          updatedAt: number;
          userId: string;
          watchdogId?: string;
        },
        Name
      >;
      getStatus: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          jobId: string;
        },
        {
          _creationTime: number;
          _id: string;
          afterStartedAt?: number;
          attempts: number;
          createdAt: number;
          deleted: Record<string, number>;
          error?: string;
          finishedAt?: number;
          kind: "thread" | "turn" | "actor" | "rollback";
          pageRows?: number;
          pages: number;
          runAt: number;
          scheduledId?: string;
          startedAt?: number;
          status:
            "scheduled" | "running" | "completed" | "failed" | "cancelled";
          tenantId: string;
          threadId?: string;
          turnId?: string;
          untilStartedAt?: number;
          updatedAt: number;
          userId: string;
          watchdogId?: string;
        } | null,
        Name
      >;
      list: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            afterStartedAt?: number;
            attempts: number;
            createdAt: number;
            deleted: Record<string, number>;
            error?: string;
            finishedAt?: number;
            kind: "thread" | "turn" | "actor" | "rollback";
            pageRows?: number;
            pages: number;
            runAt: number;
            scheduledId?: string;
            startedAt?: number;
            status:
              "scheduled" | "running" | "completed" | "failed" | "cancelled";
            tenantId: string;
            threadId?: string;
            turnId?: string;
            untilStartedAt?: number;
            updatedAt: number;
            userId: string;
            watchdogId?: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
      purgeActorData: FunctionReference<
        "mutation",
        "internal",
        { actor: { deviceId?: string; tenantId: string; userId: string } },
        { deleted: Record<string, number> },
        Name
      >;
      scheduleDeleteThread: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          delayMs?: number;
          pageRows?: number;
          threadId: string;
        },
        {
          deduplicated: boolean;
          jobId: string;
          runAt: number;
          status:
            "scheduled" | "running" | "completed" | "failed" | "cancelled";
        },
        Name
      >;
      scheduleDeleteTurn: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          delayMs?: number;
          pageRows?: number;
          threadId: string;
          turnId: string;
        },
        {
          deduplicated: boolean;
          jobId: string;
          runAt: number;
          status:
            "scheduled" | "running" | "completed" | "failed" | "cancelled";
        },
        Name
      >;
      schedulePurgeActorData: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          delayMs?: number;
          pageRows?: number;
        },
        {
          deduplicated: boolean;
          jobId: string;
          runAt: number;
          status:
            "scheduled" | "running" | "completed" | "failed" | "cancelled";
        },
        Name
      >;
    };
    droppedEvents: {
      list: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          limit?: number;
          threadId: string;
        },
        Array<{
          _creationTime: number;
          _id: string;
          createdAt: number;
          dropped: {
            bytes: number;
            code: string;
            eventId: string;
            eventType: "stream_delta" | "lifecycle_event" | "server_request";
            itemId?: string;
            kind?: string;
            message: string;
            streamId?: string;
            turnId?: string;
          };
          itemId?: string;
          tenantId: string;
          threadId: string;
          turnId?: string;
          userId: string;
        }>,
        Name
      >;
    };
    imports: {
      appendChunk: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          endsTurn: boolean;
          events: Array<
            | {
                channel:
                  | "agentMessage"
                  | "reasoningSummary"
                  | "reasoningContent"
                  | "commandOutput"
                  | "fileChangeOutput"
                  | "plan";
                createdAt: number;
                cursorEnd: number;
                cursorStart: number;
                delta: string;
                eventId: string;
                index?: number;
                itemId: string;
                streamId: string;
                turnId: string;
                type: "stream_delta";
              }
            | {
                createdAt: number;
                eventId: string;
                itemId?: string;
                kind: string;
                payloadJson: string;
                turnId?: string;
                type: "lifecycle_event";
              }
            | {
                createdAt: number;
                eventId: string;
                itemId?: string;
                method: string;
                paramsJson: string;
                requestId: string | number;
                turnId?: string;
                type: "server_request";
              }
          >;
          expected: Array<{
            bytes: number;
            itemId: string;
            role: "user" | "assistant";
            sha256: string;
            turnId: string;
          }>;
          jobId: string;
          next?: { cursor: string | null; seq: number };
          seq: number;
          turnIds: Array<string>;
        },
        {
          _creationTime: number;
          _id: string;
          accepted: number;
          applied: number;
          attempts: number;
          chunks: number;
          createdAt: number;
          duplicates: number;
          error?: string;
          expectedMessages: number;
          expectedTurns: number;
          finishedAt?: number;
          matchedMessages: number;
          mismatches: Array<{ itemId: string; reason: string; turnId: string }>;
          openTurnId?: string;
          rejected: number;
          scheduledId?: string;
          sealedAt?: number;
          sourceCursor?: string | null;
          sourceSeq: number;
          status:
            | "collecting"
            | "sealed"
            | "running"
            | "verifying"
            | "synced"
            | "failed"
            | "cancelled";
          tenantId: string;
          threadId: string;
          truncatedMessages: number;
          updatedAt: number;
          userId: string;
          verified: number;
          watchdogId?: string;
        },
        Name
      >;
      cancel: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          jobId: string;
        },
        {
          _creationTime: number;
          _id: string;
          accepted: number;
          applied: number;
          attempts: number;
          chunks: number;
          createdAt: number;
          duplicates: number;
          error?: string;
          expectedMessages: number;
          expectedTurns: number;
          finishedAt?: number;
          matchedMessages: number;
          mismatches: Array<{ itemId: string; reason: string; turnId: string }>;
          openTurnId?: string;
          rejected: number;
          scheduledId?: string;
          sealedAt?: number;
          sourceCursor?: string | null;
          sourceSeq: number;
          status:
            | "collecting"
            | "sealed"
            | "running"
            | "verifying"
            | "synced"
            | "failed"
            | "cancelled";
          tenantId: string;
          threadId: string;
          truncatedMessages: number;
          updatedAt: number;
          userId: string;
          verified: number;
          watchdogId?: string;
        },
        Name
      >;
      get: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          jobId: string;
        },
        {
          _creationTime: number;
          _id: string;
          accepted: number;
          applied: number;
          attempts: number;
          chunks: number;
          createdAt: number;
          duplicates: number;
          error?: string;
          expectedMessages: number;
          expectedTurns: number;
          finishedAt?: number;
          matchedMessages: number;
          mismatches: Array<{ itemId: string; reason: string; turnId: string }>;
          openTurnId?: string;
          rejected: number;
          scheduledId?: string;
          sealedAt?: number;
          sourceCursor?: string | null;
          sourceSeq: number;
          status:
            | "collecting"
            | "sealed"
            | "running"
            | "verifying"
            | "synced"
            | "failed"
            | "cancelled";
          tenantId: string;
          threadId: string;
          truncatedMessages: number;
          updatedAt: number;
          userId: string;
          verified: number;
          watchdogId?: string;
        } | null,
        Name
      >;
      getForThread: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        {
          _creationTime: number;
          _id: string;
          accepted: number;
          applied: number;
          attempts: number;
          chunks: number;
          createdAt: number;
          duplicates: number;
          error?: string;
          expectedMessages: number;
          expectedTurns: number;
          finishedAt?: number;
          matchedMessages: number;
          mismatches: Array<{ itemId: string; reason: string; turnId: string }>;
          openTurnId?: string;
          rejected: number;
          scheduledId?: string;
          sealedAt?: number;
          sourceCursor?: string | null;
          sourceSeq: number;
          status:
            | "collecting"
            | "sealed"
            | "running"
            | "verifying"
            | "synced"
            | "failed"
            | "cancelled";
          tenantId: string;
          threadId: string;
          truncatedMessages: number;
          updatedAt: number;
          userId: string;
          verified: number;
          watchdogId?: string;
        } | null,
        Name
      >;
      list: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            accepted: number;
            applied: number;
            attempts: number;
            chunks: number;
            createdAt: number;
            duplicates: number;
            error?: string;
            expectedMessages: number;
            expectedTurns: number;
            finishedAt?: number;
            matchedMessages: number;
            mismatches: Array<{
              itemId: string;
              reason: string;
              turnId: string;
            }>;
            openTurnId?: string;
            rejected: number;
            scheduledId?: string;
            sealedAt?: number;
            sourceCursor?: string | null;
            sourceSeq: number;
            status:
              | "collecting"
              | "sealed"
              | "running"
              | "verifying"
              | "synced"
              | "failed"
              | "cancelled";
            tenantId: string;
            threadId: string;
            truncatedMessages: number;
            updatedAt: number;
            userId: string;
            verified: number;
            watchdogId?: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
      seal: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          chunkCount: number;
          jobId: string;
        },
        {
          _creationTime: number;
          _id: string;
          accepted: number;
          applied: number;
          attempts: number;
          chunks: number;
          createdAt: number;
          duplicates: number;
          error?: string;
          expectedMessages: number;
          expectedTurns: number;
          finishedAt?: number;
          matchedMessages: number;
          mismatches: Array<{ itemId: string; reason: string; turnId: string }>;
          openTurnId?: string;
          rejected: number;
          scheduledId?: string;
          sealedAt?: number;
          sourceCursor?: string | null;
          sourceSeq: number;
          status:
            | "collecting"
            | "sealed"
            | "running"
            | "verifying"
            | "synced"
            | "failed"
            | "cancelled";
          tenantId: string;
          threadId: string;
          truncatedMessages: number;
          updatedAt: number;
          userId: string;
          verified: number;
          watchdogId?: string;
        },
        Name
      >;
      start: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          cwd?: string;
          forkedFromThreadId?: string;
          model?: string;
          name?: string;
          preview?: string;
          threadId: string;
        },
        {
          _creationTime: number;
          _id: string;
          accepted: number;
          applied: number;
          attempts: number;
          chunks: number;
          createdAt: number;
          duplicates: number;
          error?: string;
          expectedMessages: number;
          expectedTurns: number;
          finishedAt?: number;
          matchedMessages: number;
          mismatches: Array<{ itemId: string; reason: string; turnId: string }>;
          openTurnId?: string;
          rejected: number;
          scheduledId?: string;
          sealedAt?: number;
          sourceCursor?: string | null;
          sourceSeq: number;
          status:
            | "collecting"
            | "sealed"
            | "running"
            | "verifying"
            | "synced"
            | "failed"
            | "cancelled";
          tenantId: string;
          threadId: string;
          truncatedMessages: number;
          updatedAt: number;
          userId: string;
          verified: number;
          watchdogId?: string;
        },
        Name
      >;
    };
    items: {
      listItems: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          limit?: number;
          threadId: string;
          turnId?: string;
        },
        Array<{
          _creationTime: number;
          _id: string;
          completedAt?: number;
          details:
            | { text: string; type: "userMessage" }
            | {
                phase?: string;
                text: string;
                textTruncated?: boolean;
                type: "agentMessage";
              }
            | { text: string; type: "plan" }
            | {
                content: Array<string>;
                summary: Array<string>;
                textTruncated?: boolean;
                type: "reasoning";
              }
            | {
                aggregatedOutput?: string;
                command: string;
                commandActions: Array<
                  | {
                      command: string;
                      name: string;
                      path: string;
                      type: "read";
                    }
                  | { command: string; path: string | null; type: "listFiles" }
                  | {
                      command: string;
                      path: string | null;
                      query: string | null;
                      type: "search";
                    }
                  | { command: string; type: "unknown" }
                >;
                cwd: string;
                durationMs?: number;
                exitCode?: number;
                outputTruncated?: boolean;
                source?: string;
                type: "commandExecution";
              }
            | {
                changes: Array<{
                  diff: string;
                  kind: "add" | "delete" | "update";
                  movePath?: string;
                  path: string;
                }>;
                changesTruncated?: boolean;
                type: "fileChange";
              }
            | {
                argumentsJson: string;
                durationMs?: number;
                error?: string;
                resultJson?: string;
                server: string;
                tool: string;
                type: "mcpToolCall";
              }
            | {
                argumentsJson: string;
                durationMs?: number;
                namespace?: string;
                success?: boolean;
                tool: string;
                type: "dynamicToolCall";
              }
            | {
                prompt?: string;
                receiverThreadIds: Array<string>;
                tool: string;
                type: "collabAgentToolCall";
              }
            | { query: string; type: "webSearch" }
            | { path: string; type: "imageView" }
            | {
                revisedPrompt?: string;
                savedPath?: string;
                type: "imageGeneration";
              }
            | { review: string; type: "enteredReviewMode" }
            | { review: string; type: "exitedReviewMode" }
            | { type: "contextCompaction" }
            | { itemType: string; type: "other" };
          itemId: string;
          payloadJson: string;
          provisionalEnd?: boolean;
          startedAt: number;
          status:
            "inProgress" | "completed" | "failed" | "declined" | "interrupted";
          tenantId: string;
          threadId: string;
          turnId: string;
          userId: string;
        }>,
        Name
      >;
      listItemsPage: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
          threadId: string;
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            completedAt?: number;
            details:
              | { text: string; type: "userMessage" }
              | {
                  phase?: string;
                  text: string;
                  textTruncated?: boolean;
                  type: "agentMessage";
                }
              | { text: string; type: "plan" }
              | {
                  content: Array<string>;
                  summary: Array<string>;
                  textTruncated?: boolean;
                  type: "reasoning";
                }
              | {
                  aggregatedOutput?: string;
                  command: string;
                  commandActions: Array<
                    | {
                        command: string;
                        name: string;
                        path: string;
                        type: "read";
                      }
                    | {
                        command: string;
                        path: string | null;
                        type: "listFiles";
                      }
                    | {
                        command: string;
                        path: string | null;
                        query: string | null;
                        type: "search";
                      }
                    | { command: string; type: "unknown" }
                  >;
                  cwd: string;
                  durationMs?: number;
                  exitCode?: number;
                  outputTruncated?: boolean;
                  source?: string;
                  type: "commandExecution";
                }
              | {
                  changes: Array<{
                    diff: string;
                    kind: "add" | "delete" | "update";
                    movePath?: string;
                    path: string;
                  }>;
                  changesTruncated?: boolean;
                  type: "fileChange";
                }
              | {
                  argumentsJson: string;
                  durationMs?: number;
                  error?: string;
                  resultJson?: string;
                  server: string;
                  tool: string;
                  type: "mcpToolCall";
                }
              | {
                  argumentsJson: string;
                  durationMs?: number;
                  namespace?: string;
                  success?: boolean;
                  tool: string;
                  type: "dynamicToolCall";
                }
              | {
                  prompt?: string;
                  receiverThreadIds: Array<string>;
                  tool: string;
                  type: "collabAgentToolCall";
                }
              | { query: string; type: "webSearch" }
              | { path: string; type: "imageView" }
              | {
                  revisedPrompt?: string;
                  savedPath?: string;
                  type: "imageGeneration";
                }
              | { review: string; type: "enteredReviewMode" }
              | { review: string; type: "exitedReviewMode" }
              | { type: "contextCompaction" }
              | { itemType: string; type: "other" };
            itemId: string;
            payloadJson: string;
            provisionalEnd?: boolean;
            startedAt: number;
            status:
              | "inProgress"
              | "completed"
              | "failed"
              | "declined"
              | "interrupted";
            tenantId: string;
            threadId: string;
            turnId: string;
            userId: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
    };
    messages: {
      listMessages: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
          threadId: string;
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            completedAt?: number;
            createdAt: number;
            itemId: string;
            order: number;
            role: "user" | "assistant";
            status: "streaming" | "completed" | "failed" | "interrupted";
            streamId?: string;
            tenantId: string;
            text: string;
            threadId: string;
            truncated?: boolean;
            turnId: string;
            userId: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
      listTurnMessages: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
          turnId: string;
        },
        Array<{
          _creationTime: number;
          _id: string;
          completedAt?: number;
          createdAt: number;
          itemId: string;
          order: number;
          role: "user" | "assistant";
          status: "streaming" | "completed" | "failed" | "interrupted";
          streamId?: string;
          tenantId: string;
          text: string;
          threadId: string;
          truncated?: boolean;
          turnId: string;
          userId: string;
        }>,
        Name
      >;
    };
    rateLimits: {
      get: FunctionReference<
        "query",
        "internal",
        { actor: { deviceId?: string; tenantId: string; userId: string } },
        Array<{
          _creationTime: number;
          _id: string;
          limitKey: string;
          snapshot: {
            credits?: {
              balance?: string;
              hasCredits: boolean;
              unlimited: boolean;
            };
            limitId?: string;
            limitName?: string;
            planType?: string;
            primary?: {
              resetsAt?: number;
              usedPercent: number;
              windowDurationMins?: number;
            };
            rateLimitReachedType?: string;
            secondary?: {
              resetsAt?: number;
              usedPercent: number;
              windowDurationMins?: number;
            };
          };
          tenantId: string;
          updatedAt: number;
          userId: string;
        }>,
        Name
      >;
      record: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          snapshot: {
            credits?: {
              balance?: string;
              hasCredits: boolean;
              unlimited: boolean;
            };
            limitId?: string;
            limitName?: string;
            planType?: string;
            primary?: {
              resetsAt?: number;
              usedPercent: number;
              windowDurationMins?: number;
            };
            rateLimitReachedType?: string;
            secondary?: {
              resetsAt?: number;
              usedPercent: number;
              windowDurationMins?: number;
            };
          };
        },
        null,
        Name
      >;
    };
    reasoning: {
      listReasoningByThread: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
          threadId: string;
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            channel: "summary" | "raw";
            createdAt: number;
            index: number;
            itemId: string;
            order: number;
            status: "streaming" | "completed" | "failed" | "interrupted";
            streamId?: string;
            tenantId: string;
            text: string;
            threadId: string;
            truncated?: boolean;
            turnId: string;
            userId: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
    };
    serverRequests: {
      announce: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          createdAt: number;
          method: string;
          paramsJson: string;
          requestId: string | number;
          sessionId: string;
        },
        null,
        Name
      >;
      get: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          requestId: string | number;
          sessionId: string;
        },
        {
          _creationTime: number;
          _id: string;
          answeredAt?: number;
          createdAt: number;
          itemId?: string;
          method: string;
          paramsJson: string;
          requestId: string | number;
          responseJson?: string;
          sessionId: string;
          status: "pending" | "answered" | "resolved" | "expired";
          tenantId: string;
          threadId?: string;
          turnId?: string;
          userId: string;
        } | null,
        Name
      >;
      listPending: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        Array<{
          _creationTime: number;
          _id: string;
          answeredAt?: number;
          createdAt: number;
          itemId?: string;
          method: string;
          paramsJson: string;
          requestId: string | number;
          responseJson?: string;
          sessionId: string;
          status: "pending" | "answered" | "resolved" | "expired";
          tenantId: string;
          threadId?: string;
          turnId?: string;
          userId: string;
        }>,
        Name
      >;
      listPendingGlobal: FunctionReference<
        "query",
        "internal",
        { actor: { deviceId?: string; tenantId: string; userId: string } },
        Array<{
          _creationTime: number;
          _id: string;
          answeredAt?: number;
          createdAt: number;
          itemId?: string;
          method: string;
          paramsJson: string;
          requestId: string | number;
          responseJson?: string;
          sessionId: string;
          status: "pending" | "answered" | "resolved" | "expired";
          tenantId: string;
          threadId?: string;
          turnId?: string;
          userId: string;
        }>,
        Name
      >;
      resolve: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          requestId: string | number;
          responseJson: string;
          sessionId: string;
          threadId?: string;
        },
        { commandId: string },
        Name
      >;
      settle: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          requestId: string | number;
          sessionId: string;
          status: "resolved" | "expired";
        },
        null,
        Name
      >;
    };
    sessions: {
      close: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          sessionId: string;
        },
        { expiredRequests: number; failedCommands: number },
        Name
      >;
      heartbeat: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          sessionId: string;
        },
        { sessionId: string; staleAfterMs: number; status: "active" },
        Name
      >;
      listActive: FunctionReference<
        "query",
        "internal",
        { actor: { deviceId?: string; tenantId: string; userId: string } },
        Array<{
          _creationTime: number;
          _id: string;
          deviceId?: string;
          lastHeartbeatAt: number;
          sessionId: string;
          staleAfterMs: number;
          staleAt: number;
          startedAt: number;
          status: "active" | "stale" | "closed";
          tenantId: string;
          userId: string;
        }>,
        Name
      >;
      open: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          deviceId?: string;
          sessionId: string;
          staleAfterMs?: number;
        },
        { sessionId: string; staleAfterMs: number; status: "active" },
        Name
      >;
    };
    streams: {
      deltas: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          cursors: Array<{ cursor: number; streamId: string }>;
          threadId: string;
        },
        {
          deltas: Array<{
            cursorEnd: number;
            cursorStart: number;
            streamId: string;
            text: string;
          }>;
          nextCheckpoints: Array<{ cursor: number; streamId: string }>;
          streamWindows: Array<{
            hasMore: boolean;
            serverCursor: number;
            status: "ok" | "rebased" | "stale";
            streamId: string;
          }>;
        },
        Name
      >;
      getCheckpoints: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        Array<{ cursor: number; streamId: string }>,
        Name
      >;
      list: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        Array<{
          channel:
            | "agentMessage"
            | "reasoningSummary"
            | "reasoningContent"
            | "commandOutput"
            | "fileChangeOutput"
            | "plan";
          cursor: number;
          itemId: string;
          retainedFrom: number;
          status: "streaming" | "finished" | "aborted";
          streamId: string;
          turnId: string;
        }>,
        Name
      >;
      replay: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          streamCursorsById: Array<{ cursor: number; streamId: string }>;
          threadId: string;
        },
        {
          deltas: Array<{
            cursorEnd: number;
            cursorStart: number;
            streamId: string;
            text: string;
          }>;
          nextCheckpoints: Array<{ cursor: number; streamId: string }>;
          streamWindows: Array<{
            hasMore: boolean;
            serverCursor: number;
            status: "ok" | "rebased" | "stale";
            streamId: string;
          }>;
          streams: Array<{
            channel:
              | "agentMessage"
              | "reasoningSummary"
              | "reasoningContent"
              | "commandOutput"
              | "fileChangeOutput"
              | "plan";
            cursor: number;
            itemId: string;
            retainedFrom: number;
            status: "streaming" | "finished" | "aborted";
            streamId: string;
            turnId: string;
          }>;
        },
        Name
      >;
      resume: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          fromCursor: number;
          threadId: string;
          turnId: string;
        },
        {
          deltas: Array<{
            cursorEnd: number;
            cursorStart: number;
            streamId: string;
            text: string;
          }>;
          nextCheckpoints: Array<{ cursor: number; streamId: string }>;
          streamWindows: Array<{
            hasMore: boolean;
            serverCursor: number;
            status: "ok" | "rebased" | "stale";
            streamId: string;
          }>;
          streams: Array<{
            channel:
              | "agentMessage"
              | "reasoningSummary"
              | "reasoningContent"
              | "commandOutput"
              | "fileChangeOutput"
              | "plan";
            cursor: number;
            itemId: string;
            retainedFrom: number;
            status: "streaming" | "finished" | "aborted";
            streamId: string;
            turnId: string;
          }>;
        },
        Name
      >;
      saveCheckpoint: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          cursors: Array<{ cursor: number; streamId: string }>;
          threadId: string;
        },
        null,
        Name
      >;
    };
    sync: {
      ingest: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          events: Array<
            | {
                channel:
                  | "agentMessage"
                  | "reasoningSummary"
                  | "reasoningContent"
                  | "commandOutput"
                  | "fileChangeOutput"
                  | "plan";
                createdAt: number;
                cursorEnd: number;
                cursorStart: number;
                delta: string;
                eventId: string;
                index?: number;
                itemId: string;
                streamId: string;
                turnId: string;
                type: "stream_delta";
              }
            | {
                createdAt: number;
                eventId: string;
                itemId?: string;
                kind: string;
                payloadJson: string;
                turnId?: string;
                type: "lifecycle_event";
              }
            | {
                createdAt: number;
                eventId: string;
                itemId?: string;
                method: string;
                paramsJson: string;
                requestId: string | number;
                turnId?: string;
                type: "server_request";
              }
          >;
          sessionId: string;
          threadId: string;
        },
        {
          accepted: number;
          duplicates: number;
          rejected: Array<{ code: string; eventId: string; message: string }>;
          streamCursors: Array<{ cursor: number; streamId: string }>;
        },
        Name
      >;
    };
    threads: {
      archive: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        null,
        Name
      >;
      create: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          cwd?: string;
          model?: string;
          name?: string;
          threadId: string;
        },
        { created: boolean; threadId: string },
        Name
      >;
      get: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        {
          _creationTime: number;
          _id: string;
          activeTurnId?: string;
          archived: boolean;
          createdAt: number;
          cwd?: string;
          forkedFromThreadId?: string;
          lastTurnId?: string;
          messageCount: number;
          model?: string;
          name?: string;
          preview?: string;
          resumedAt?: number;
          tenantId: string;
          threadId: string;
          turnCount: number;
          updatedAt: number;
          userId: string;
        } | null,
        Name
      >;
      getState: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        {
          activeTurn: {
            _creationTime: number;
            _id: string;
            commandId?: string;
            completedAt?: number;
            diff?: string;
            durationMs?: number;
            error?: {
              codexErrorInfo?: string;
              message: string;
              willRetry?: boolean;
            };
            plan?: {
              explanation?: string;
              steps: Array<{
                status: "pending" | "inProgress" | "completed";
                step: string;
              }>;
              updatedAt?: number;
            };
            provisionalEnd?: boolean;
            sessionId?: string;
            startedAt: number;
            status: "inProgress" | "completed" | "interrupted" | "failed";
            tenantId: string;
            threadId: string;
            turnId: string;
            userId: string;
          } | null;
          openCommands: Array<{
            _creationTime: number;
            _id: string;
            claimedAt?: number;
            claimedBy?: string;
            createdAt: number;
            createdThreadId?: string;
            deviceId?: string;
            error?: string;
            finishedAt?: number;
            idempotencyKey?: string;
            input?: Array<
              | { text: string; type: "text" }
              | { type: "image"; url: string }
              | { path: string; type: "localImage" }
              | { name: string; path: string; type: "mention" }
            >;
            kind:
              | "startTurn"
              | "interruptTurn"
              | "steerTurn"
              | "respondServerRequest"
              | "startThread"
              | "renameThread"
              | "archiveThread"
              | "unarchiveThread"
              | "compactThread"
              | "rollbackThread"
              | "forkThread";
            name?: string;
            requestId?: string | number;
            responseJson?: string;
            serverRequest?: string;
            status: "queued" | "claimed" | "done" | "failed" | "cancelled";
            steeredInto?: string;
            targetSessionId?: string;
            tenantId: string;
            threadId?: string;
            turnId?: string;
            userId: string;
          }>;
          pendingApprovalCount: number;
          recentTurns: Array<{
            _creationTime: number;
            _id: string;
            commandId?: string;
            completedAt?: number;
            diff?: string;
            durationMs?: number;
            error?: {
              codexErrorInfo?: string;
              message: string;
              willRetry?: boolean;
            };
            plan?: {
              explanation?: string;
              steps: Array<{
                status: "pending" | "inProgress" | "completed";
                step: string;
              }>;
              updatedAt?: number;
            };
            provisionalEnd?: boolean;
            sessionId?: string;
            startedAt: number;
            status: "inProgress" | "completed" | "interrupted" | "failed";
            tenantId: string;
            threadId: string;
            turnId: string;
            userId: string;
          }>;
          thread: {
            _creationTime: number;
            _id: string;
            activeTurnId?: string;
            archived: boolean;
            createdAt: number;
            cwd?: string;
            forkedFromThreadId?: string;
            lastTurnId?: string;
            messageCount: number;
            model?: string;
            name?: string;
            preview?: string;
            resumedAt?: number;
            tenantId: string;
            threadId: string;
            turnCount: number;
            updatedAt: number;
            userId: string;
          };
        },
        Name
      >;
      list: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          includeArchived?: boolean;
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            activeTurnId?: string;
            archived: boolean;
            createdAt: number;
            cwd?: string;
            forkedFromThreadId?: string;
            lastTurnId?: string;
            messageCount: number;
            model?: string;
            name?: string;
            preview?: string;
            resumedAt?: number;
            tenantId: string;
            threadId: string;
            turnCount: number;
            updatedAt: number;
            userId: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
      requestNew: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          idempotencyKey: string;
        },
        {
          commandId: string;
          deduplicated: boolean;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          turnId?: string;
        },
        Name
      >;
      resolve: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          cwd?: string;
          model?: string;
          name?: string;
          threadId: string;
        },
        {
          _creationTime: number;
          _id: string;
          activeTurnId?: string;
          archived: boolean;
          createdAt: number;
          cwd?: string;
          forkedFromThreadId?: string;
          lastTurnId?: string;
          messageCount: number;
          model?: string;
          name?: string;
          preview?: string;
          resumedAt?: number;
          tenantId: string;
          threadId: string;
          turnCount: number;
          updatedAt: number;
          userId: string;
        },
        Name
      >;
      resume: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        {
          activeTurn: {
            _creationTime: number;
            _id: string;
            commandId?: string;
            completedAt?: number;
            diff?: string;
            durationMs?: number;
            error?: {
              codexErrorInfo?: string;
              message: string;
              willRetry?: boolean;
            };
            plan?: {
              explanation?: string;
              steps: Array<{
                status: "pending" | "inProgress" | "completed";
                step: string;
              }>;
              updatedAt?: number;
            };
            provisionalEnd?: boolean;
            sessionId?: string;
            startedAt: number;
            status: "inProgress" | "completed" | "interrupted" | "failed";
            tenantId: string;
            threadId: string;
            turnId: string;
            userId: string;
          } | null;
          openCommands: Array<{
            _creationTime: number;
            _id: string;
            claimedAt?: number;
            claimedBy?: string;
            createdAt: number;
            createdThreadId?: string;
            deviceId?: string;
            error?: string;
            finishedAt?: number;
            idempotencyKey?: string;
            input?: Array<
              | { text: string; type: "text" }
              | { type: "image"; url: string }
              | { path: string; type: "localImage" }
              | { name: string; path: string; type: "mention" }
            >;
            kind:
              | "startTurn"
              | "interruptTurn"
              | "steerTurn"
              | "respondServerRequest"
              | "startThread"
              | "renameThread"
              | "archiveThread"
              | "unarchiveThread"
              | "compactThread"
              | "rollbackThread"
              | "forkThread";
            name?: string;
            requestId?: string | number;
            responseJson?: string;
            serverRequest?: string;
            status: "queued" | "claimed" | "done" | "failed" | "cancelled";
            steeredInto?: string;
            targetSessionId?: string;
            tenantId: string;
            threadId?: string;
            turnId?: string;
            userId: string;
          }>;
          pendingApprovalCount: number;
          recentTurns: Array<{
            _creationTime: number;
            _id: string;
            commandId?: string;
            completedAt?: number;
            diff?: string;
            durationMs?: number;
            error?: {
              codexErrorInfo?: string;
              message: string;
              willRetry?: boolean;
            };
            plan?: {
              explanation?: string;
              steps: Array<{
                status: "pending" | "inProgress" | "completed";
                step: string;
              }>;
              updatedAt?: number;
            };
            provisionalEnd?: boolean;
            sessionId?: string;
            startedAt: number;
            status: "inProgress" | "completed" | "interrupted" | "failed";
            tenantId: string;
            threadId: string;
            turnId: string;
            userId: string;
          }>;
          thread: {
            _creationTime: number;
            _id: string;
            activeTurnId?: string;
            archived: boolean;
            createdAt: number;
            cwd?: string;
            forkedFromThreadId?: string;
            lastTurnId?: string;
            messageCount: number;
            model?: string;
            name?: string;
            preview?: string;
            resumedAt?: number;
            tenantId: string;
            threadId: string;
            turnCount: number;
            updatedAt: number;
            userId: string;
          };
        },
        Name
      >;
      setName: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          name: string;
          threadId: string;
        },
        null,
        Name
      >;
      unarchive: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        null,
        Name
      >;
    };
    tokenUsage: {
      forTurn: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
          turnId: string;
        },
        {
          _creationTime: number;
          _id: string;
          cachedInputTokens: number;
          contextTokens?: number;
          inputTokens: number;
          modelContextWindow?: number;
          outputTokens: number;
          reasoningOutputTokens: number;
          tenantId: string;
          threadId: string;
          totalTokens: number;
          turn?: {
            cachedInputTokens: number;
            inputTokens: number;
            outputTokens: number;
            reasoningOutputTokens: number;
            totalTokens: number;
          };
          turnId: string;
          updatedAt: number;
          userId: string;
        } | null,
        Name
      >;
      latest: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        {
          _creationTime: number;
          _id: string;
          cachedInputTokens: number;
          contextTokens?: number;
          inputTokens: number;
          modelContextWindow?: number;
          outputTokens: number;
          reasoningOutputTokens: number;
          tenantId: string;
          threadId: string;
          totalTokens: number;
          turn?: {
            cachedInputTokens: number;
            inputTokens: number;
            outputTokens: number;
            reasoningOutputTokens: number;
            totalTokens: number;
          };
          turnId: string;
          updatedAt: number;
          userId: string;
        } | null,
        Name
      >;
      listByThread: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
          threadId: string;
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            cachedInputTokens: number;
            contextTokens?: number;
            inputTokens: number;
            modelContextWindow?: number;
            outputTokens: number;
            reasoningOutputTokens: number;
            tenantId: string;
            threadId: string;
            totalTokens: number;
            turn?: {
              cachedInputTokens: number;
              inputTokens: number;
              outputTokens: number;
              reasoningOutputTokens: number;
              totalTokens: number;
            };
            turnId: string;
            updatedAt: number;
            userId: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
    };
    turns: {
      currentPlan: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
        },
        {
          plan: {
            explanation?: string;
            steps: Array<{
              status: "pending" | "inProgress" | "completed";
              step: string;
            }>;
            updatedAt?: number;
          };
          turnId: string;
          turnStatus: "inProgress" | "completed" | "interrupted" | "failed";
        } | null,
        Name
      >;
      get: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
          turnId: string;
        },
        {
          _creationTime: number;
          _id: string;
          commandId?: string;
          completedAt?: number;
          diff?: string;
          durationMs?: number;
          error?: {
            codexErrorInfo?: string;
            message: string;
            willRetry?: boolean;
          };
          plan?: {
            explanation?: string;
            steps: Array<{
              status: "pending" | "inProgress" | "completed";
              step: string;
            }>;
            updatedAt?: number;
          };
          provisionalEnd?: boolean;
          sessionId?: string;
          startedAt: number;
          status: "inProgress" | "completed" | "interrupted" | "failed";
          tenantId: string;
          threadId: string;
          turnId: string;
          userId: string;
        } | null,
        Name
      >;
      interrupt: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          threadId: string;
          turnId?: string;
        },
        {
          commandId: string;
          deduplicated: boolean;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          turnId?: string;
        },
        Name
      >;
      listByThread: FunctionReference<
        "query",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          paginationOpts: {
            cursor: string | null;
            endCursor?: string | null;
            id?: number;
            maximumBytesRead?: number;
            maximumRowsRead?: number;
            numItems: number;
          };
          threadId: string;
        },
        {
          continueCursor: string;
          isDone: boolean;
          page: Array<{
            _creationTime: number;
            _id: string;
            commandId?: string;
            completedAt?: number;
            diff?: string;
            durationMs?: number;
            error?: {
              codexErrorInfo?: string;
              message: string;
              willRetry?: boolean;
            };
            plan?: {
              explanation?: string;
              steps: Array<{
                status: "pending" | "inProgress" | "completed";
                step: string;
              }>;
              updatedAt?: number;
            };
            provisionalEnd?: boolean;
            sessionId?: string;
            startedAt: number;
            status: "inProgress" | "completed" | "interrupted" | "failed";
            tenantId: string;
            threadId: string;
            turnId: string;
            userId: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
      start: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          idempotencyKey: string;
          input: Array<
            | { text: string; type: "text" }
            | { type: "image"; url: string }
            | { path: string; type: "localImage" }
            | { name: string; path: string; type: "mention" }
          >;
          threadId: string;
        },
        {
          commandId: string;
          deduplicated: boolean;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          turnId?: string;
        },
        Name
      >;
      steer: FunctionReference<
        "mutation",
        "internal",
        {
          actor: { deviceId?: string; tenantId: string; userId: string };
          idempotencyKey: string;
          input: Array<
            | { text: string; type: "text" }
            | { type: "image"; url: string }
            | { path: string; type: "localImage" }
            | { name: string; path: string; type: "mention" }
          >;
          threadId: string;
          turnId?: string;
        },
        {
          commandId: string;
          deduplicated: boolean;
          status: "queued" | "claimed" | "done" | "failed" | "cancelled";
          turnId?: string;
        },
        Name
      >;
    };
  };
