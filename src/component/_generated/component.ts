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
          turnId: string;
          userId: string;
        }>,
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
            turnId: string;
            userId: string;
          }>;
          pageStatus?: "SplitRecommended" | "SplitRequired" | null;
          splitCursor?: string | null;
        },
        Name
      >;
    };
    streams: {
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
  };
