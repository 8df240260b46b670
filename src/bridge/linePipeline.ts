/**
 * How the bridge reads codex: a JSON-RPC client over a line transport whose every message
 * goes through one serial queue — normalize, then `onEvent` / `onGlobalMessage` /
 * `onProtocolError` — and whose server requests are answered only once the queue has
 * handled their own line. Separate from the process handling so the same path can be fed
 * recorded lines (the bridge benchmark) or any other transport.
 */
import { performance } from "node:perf_hooks";
import { JsonRpcClient, JsonRpcErrorCode, JsonRpcResponseError, type LineTransport } from "../app-server/index.js";
import { createEventNormalizer, type ClassifiedMessage, type EventNormalizer } from "../protocol/index.js";
import type { CodexLocalBridgeHandlers } from "./bridge.js";
import type { SerialQueue } from "./serialQueue.js";

export type LinePipeline = { client: JsonRpcClient; normalizer: EventNormalizer };

export function createLinePipeline(
  transport: LineTransport,
  handlers: CodexLocalBridgeHandlers,
  queue: SerialQueue,
  options: { requestTimeoutMs?: number; onActivity?: () => void } = {},
): LinePipeline {
  const normalizer = createEventNormalizer();
  const handle = async (message: ClassifiedMessage, line: string, receivedAt: number) => {
    if (message.kind === "response" || message.kind === "error") return;
    const result = normalizer.normalize(message);
    if (!result.ok) return await handlers.onProtocolError?.({ error: result.error, line });
    if (result.event === null) return await handlers.onGlobalMessage?.(message);
    await handlers.onEvent?.({ ...result.event, message, receivedAt });
  };
  const client = new JsonRpcClient(transport, {
    requestTimeoutMs: options.requestTimeoutMs,
    onMessage: (message, line) => {
      const receivedAt = performance.now();
      options.onActivity?.();
      // Server requests are queued too (their event must be persisted in order); the
      // answer comes from `onServerRequest` below once the queue reaches them.
      void queue.push(() => handle(message, line, receivedAt));
    },
    onProtocolError: (error, line) => {
      options.onActivity?.();
      void queue.push(() => handlers.onProtocolError?.({ error, line }));
    },
    onServerRequest: async (request) => {
      // Answer only after everything before (and including) this request was handled.
      await queue.idle();
      if (!handlers.onServerRequest) {
        throw new JsonRpcResponseError(JsonRpcErrorCode.methodNotFound, `no handler for ${request.method}`);
      }
      return await handlers.onServerRequest(request);
    },
  });
  return { client, normalizer };
}
