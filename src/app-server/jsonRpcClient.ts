/**
 * A JSON-RPC client for `codex app-server` over any line transport. It numbers and correlates
 * requests (ids may be 0), times them out, retries codex's "overloaded" error (-32001) with
 * exponential backoff and jitter, answers every server request through a handler (a throwing
 * handler becomes an error response, never silence), and rejects everything pending with a
 * typed error when the transport closes.
 */
import {
  classifyMessage,
  parseWireMessage,
  type ClassifiedMessage,
  type NotificationMessage,
  type ProtocolError,
  type RequestId,
  type ServerRequestMessage,
} from "../protocol/index.js";
import type { ClientRequestMethod, ClientResponse, RequestDraft } from "./methods.js";
import type { LineTransport } from "./transport.js";

/** JSON-RPC error codes codex uses. */
export const JsonRpcErrorCode = {
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** codex: "server overloaded; retry later". */
  overloaded: -32001,
} as const;

export type JsonRpcClientErrorKind = "rpc" | "timeout" | "closed";

/** Why a request did not get a result. `kind` says which; `code` is set for `rpc`. */
export class JsonRpcClientError extends Error {
  readonly kind: JsonRpcClientErrorKind;
  readonly method: string;
  readonly code?: number;
  readonly data?: unknown;
  constructor(kind: JsonRpcClientErrorKind, method: string, message: string, details: { code?: number; data?: unknown } = {}) {
    super(message);
    this.name = "JsonRpcClientError";
    this.kind = kind;
    this.method = method;
    this.code = details.code;
    this.data = details.data;
  }
}

export function isJsonRpcClientError(error: unknown, kind?: JsonRpcClientErrorKind): error is JsonRpcClientError {
  return error instanceof JsonRpcClientError && (kind === undefined || error.kind === kind);
}

/** Throw this from a server-request handler to answer with a specific JSON-RPC error. */
export class JsonRpcResponseError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "JsonRpcResponseError";
  }
}

/** Answers one server request: return the result, or throw to answer with an error. */
export type ServerRequestHandler = (request: ServerRequestMessage) => unknown;

export type RetryOptions = {
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number;
  /** First backoff; doubles every retry. Default 100 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
};

export type JsonRpcClientOptions = {
  /** Must answer every server request; see `ServerRequestHandler`. */
  onServerRequest: ServerRequestHandler;
  onNotification?: (notification: NotificationMessage) => void;
  /** Every parsed message, before dispatch (responses and server requests included). */
  onMessage?: (message: ClassifiedMessage, line: string) => void;
  /** A line that is no valid JSON-RPC message; reading goes on with the next line. */
  onProtocolError?: (error: ProtocolError, line: string) => void;
  /** The transport went away; pending requests have been rejected. */
  onClose?: (reason?: Error) => void;
  /** Per request, retries included. Default 60 s. */
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  maxLineLength?: number;
  /** Injected for tests: jitter source in [0, 1). */
  random?: () => number;
};

export type RequestOptions = { timeoutMs?: number };

type Pending = {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: JsonRpcClientError) => void;
  onError: (error: { code: number; message: string; data?: unknown }) => void;
};

export class JsonRpcClient {
  private nextId = 0;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly cancelers = new Map<(error: JsonRpcClientError) => void, string>();
  private closed = false;
  private closeReason?: Error;

  constructor(
    private readonly transport: LineTransport,
    private readonly options: JsonRpcClientOptions,
  ) {
    transport.onLine((line) => this.receive(line));
    transport.onClose((reason) => this.handleClose(reason));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a request built by one of the `build*Request` helpers and waits for its result. */
  request<M extends ClientRequestMethod>(draft: RequestDraft<M>, options: RequestOptions = {}): Promise<ClientResponse<M>> {
    return this.call(draft.method, draft.params, options) as Promise<ClientResponse<M>>;
  }

  /** Untyped form of `request`, for methods without a builder. */
  call(method: string, params: unknown, options: RequestOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closedError(method));
    const retry = this.options.retry ?? {};
    const maxRetries = retry.maxRetries ?? 5;
    const baseDelay = retry.baseDelayMs ?? 100;
    const maxDelay = retry.maxDelayMs ?? 5_000;
    const random = this.options.random ?? Math.random;
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 60_000;

    return new Promise<unknown>((resolve, reject) => {
      let attempt = 0;
      let currentId: RequestId | undefined;
      let retryTimer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      const finish = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearTimeout(retryTimer);
        if (currentId !== undefined) this.pending.delete(currentId);
        this.cancelers.delete(cancel);
        action();
      };
      const cancel = (error: JsonRpcClientError) => finish(() => reject(error));
      const deadline = setTimeout(
        () => cancel(new JsonRpcClientError("timeout", method, `${method} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.cancelers.set(cancel, method);

      const send = () => {
        if (this.closed) return cancel(this.closedError(method));
        const id = this.nextId++;
        currentId = id;
        this.pending.set(id, {
          method,
          resolve: (result) => finish(() => resolve(result)),
          reject: cancel,
          onError: (error) => {
            this.pending.delete(id);
            currentId = undefined;
            if (error.code === JsonRpcErrorCode.overloaded && attempt < maxRetries) {
              const ceiling = Math.min(maxDelay, baseDelay * 2 ** attempt);
              attempt++;
              // Equal jitter: half fixed, half random, so retries spread without collapsing to 0.
              retryTimer = setTimeout(send, ceiling / 2 + (random() * ceiling) / 2);
              return;
            }
            cancel(new JsonRpcClientError("rpc", method, error.message, { code: error.code, data: error.data }));
          },
        });
        try {
          this.transport.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
        } catch (error) {
          cancel(new JsonRpcClientError("closed", method, `could not send ${method}: ${(error as Error).message}`));
        }
      };
      send();
    });
  }

  /** Sends a notification (e.g. `initialized`). */
  notify(method: string, params?: unknown): void {
    if (this.closed) throw this.closedError(method);
    this.transport.send(JSON.stringify(params === undefined ? { method } : { method, params }));
  }

  /** Closes the transport; pending requests are rejected with kind `closed`. */
  close(): void {
    if (this.closed) return;
    this.transport.close();
    this.handleClose();
  }

  private receive(line: string): void {
    const parsed = parseWireMessage(line, { maxLineLength: this.options.maxLineLength });
    if (!parsed.ok) {
      this.options.onProtocolError?.(parsed.error, line);
      return;
    }
    const message = classifyMessage(parsed.message);
    this.options.onMessage?.(message, line);
    switch (message.kind) {
      case "response": {
        this.pending.get(message.id)?.resolve(message.result);
        return;
      }
      case "error": {
        if (message.id !== null) this.pending.get(message.id)?.onError(message.error);
        return;
      }
      case "notification":
        this.options.onNotification?.(message);
        return;
      case "server_request":
        void this.answer(message);
        return;
    }
  }

  private async answer(request: ServerRequestMessage): Promise<void> {
    let reply: object;
    try {
      const result = await this.options.onServerRequest(request);
      reply =
        result === undefined
          ? errorReply(request.id, JsonRpcErrorCode.internalError, `no answer for ${request.method}`)
          : { id: request.id, result };
    } catch (error) {
      reply =
        error instanceof JsonRpcResponseError
          ? errorReply(request.id, error.code, error.message, error.data)
          : errorReply(request.id, JsonRpcErrorCode.internalError, error instanceof Error ? error.message : String(error));
    }
    if (this.closed) return;
    try {
      this.transport.send(JSON.stringify(reply));
    } catch {
      // The transport closed while the handler ran; the close handler already reported it.
    }
  }

  private handleClose(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    for (const [cancel, method] of [...this.cancelers]) cancel(this.closedError(method));
    this.pending.clear();
    this.options.onClose?.(reason);
  }

  private closedError(method: string): JsonRpcClientError {
    const why = this.closeReason ? `: ${this.closeReason.message}` : "";
    return new JsonRpcClientError("closed", method, `transport closed before ${method} was answered${why}`);
  }
}

function errorReply(id: RequestId, code: number, message: string, data?: unknown) {
  return { id, error: data === undefined ? { code, message } : { code, message, data } };
}
