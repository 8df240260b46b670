/**
 * A scripted OpenAI Responses-API server on 127.0.0.1 (random port): the model codex talks
 * to in tests and demos, so no account or network is needed. Each `POST /v1/responses` gets
 * the next queued scenario, or the one the router picks from the last input item. A tool
 * call's output coming back is answered with that call's final text.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { scenarioFromUserText, type Scenario } from "./scenarios.js";
import { scriptFinalAnswer, scriptReply, type IdSource, type PendingCall, type ScriptedReply } from "./responsesStream.js";

export type ModelRequestSummary = {
  /** The request body as codex sent it. */
  body: Record<string, unknown>;
  /** `body.input`'s last element. */
  lastInputItem: Record<string, unknown> | undefined;
  /** Text of the last user message in the input, if any. */
  lastUserText: string | undefined;
};

export type RecordedModelRequest = ModelRequestSummary & {
  path: string;
  /** What the server answered with. */
  answer: Scenario["type"] | "finalAnswer" | "notFound";
};

export type ScriptedModelServerOptions = {
  /** Chooses the scenario when the queue is empty. Default: `scenarioFromUserText` on the last user text. */
  route?: (request: ModelRequestSummary) => Scenario;
  /** Prefix of invented item ids. Default: random, so ids never repeat across servers. */
  idPrefix?: string;
  /**
   * How item ids are numbered. `unique` (default): one counter for the server, so no id ever
   * repeats. `perResponse`: every response numbers its items afresh (`msg_1`, `call_1`, … in
   * each), as many local and OpenAI-compatible servers do — two turns, or two responses of one
   * turn (before and after a tool call), then carry the same item ids.
   * `omitted`: no `id` on output items and no `item_id` on deltas, as some OpenAI-compatible
   * servers stream them (call ids are kept: codex needs them to send outputs back).
   */
  itemIds?: "unique" | "perResponse" | "omitted";
};

export type ScriptedModelServer = {
  /** `http://127.0.0.1:PORT/v1`, the `base_url` for codex. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: readonly RecordedModelRequest[];
  /** Scenarios used, first in first out, before the router is asked. */
  enqueue(...scenarios: Scenario[]): void;
  close(): Promise<void>;
};

export async function startScriptedModelServer(options: ScriptedModelServerOptions = {}): Promise<ScriptedModelServer> {
  const route = options.route ?? ((r: ModelRequestSummary) => scenarioFromUserText(r.lastUserText ?? ""));
  const prefix = options.idPrefix ?? randomBytes(4).toString("hex");
  let counter = 0;
  const uniqueIds: IdSource = { next: (kind) => `${kind}_${prefix}_${++counter}` };
  /** A fresh numbering per kind for each response. */
  const responseIds = (): IdSource => {
    const perKind = new Map<string, number>();
    return {
      next: (kind) => {
        const n = (perKind.get(kind) ?? 0) + 1;
        perKind.set(kind, n);
        return `${kind}_${n}`;
      },
    };
  };
  const idsForResponse = () => (options.itemIds === "perResponse" ? responseIds() : uniqueIds);
  const queue: Scenario[] = [];
  const pendingCalls = new Map<string, PendingCall>();
  const requests: RecordedModelRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(error), type: "server_error" } }));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const raw = await readBody(req);
    const body = parseObject(raw);
    const summary = summarize(body);
    if (req.method !== "POST" || !path.endsWith("/responses")) {
      requests.push({ ...summary, path, answer: "notFound" });
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route for ${req.method} ${path}`, type: "not_found" } }));
      return;
    }
    const callId = toolOutputCallId(summary.lastInputItem);
    let reply: ScriptedReply;
    let answer: RecordedModelRequest["answer"];
    const ids = idsForResponse();
    if (callId !== undefined) {
      const pending = pendingCalls.get(callId);
      reply = scriptFinalAnswer(pending?.finalText ?? "Done.", ids);
      // Parallel calls come back together: the answer settles all of them.
      for (const id of pending?.callIds ?? []) pendingCalls.delete(id);
      answer = "finalAnswer";
    } else {
      const scenario = queue.shift() ?? route(summary);
      reply = scriptReply(scenario, ids);
      answer = scenario.type;
    }
    requests.push({ ...summary, path, answer });
    if (reply.kind === "httpError") {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
      res.writeHead(reply.status, headers);
      res.end(JSON.stringify({ error: { message: reply.message, type: reply.status === 429 ? "rate_limit_error" : "server_error", code: reply.code ?? null } }));
      return;
    }
    for (const id of reply.pendingCall?.callIds ?? []) pendingCalls.set(id, reply.pendingCall!);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    let closed = false;
    res.on("close", () => (closed = true));
    for (const step of reply.steps) {
      if (step.delayMs > 0) await sleep(step.delayMs);
      if (closed) return;
      const event = options.itemIds === "omitted" ? withoutItemIds(step.event) : step.event;
      res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
    }
    // A connection reset mid-body: what a provider's crashed proxy looks like to codex.
    if (reply.reset) res.socket?.destroy();
    else res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    enqueue: (...scenarios) => void queue.push(...scenarios),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function withoutItemIds(event: Record<string, unknown>): Record<string, unknown> {
  const { item_id: _itemId, ...rest } = event;
  if (!isObject(rest.item)) return rest;
  const { id: _id, ...item } = rest.item;
  return { ...rest, item };
}

function summarize(body: Record<string, unknown>): ModelRequestSummary {
  const input = Array.isArray(body.input) ? (body.input as unknown[]) : [];
  const last = input[input.length - 1];
  let lastUserText: string | undefined;
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i] as Record<string, unknown> | undefined;
    if (item?.type === "message" && item.role === "user") {
      lastUserText = messageText(item.content);
      break;
    }
  }
  return { body, lastInputItem: isObject(last) ? last : undefined, lastUserText };
}

function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => (isObject(part) && typeof part.text === "string" ? part.text : ""))
    .join("");
}

function toolOutputCallId(item: Record<string, unknown> | undefined): string | undefined {
  if (!item) return undefined;
  if (item.type !== "function_call_output" && item.type !== "custom_tool_call_output") return undefined;
  return typeof item.call_id === "string" ? item.call_id : "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseObject(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
