/**
 * Reading one line of codex's stdout into a JSON-RPC envelope. codex omits `"jsonrpc":"2.0"`
 * and adds `emittedAtMs` to notifications; both are accepted, nothing else is assumed.
 */
import { z } from "zod";
import { describeIssue, protocolError, type ProtocolError } from "./errors.js";
import type { RequestId } from "./generated/RequestId.js";

export type { RequestId };
export type JsonObject = Record<string, unknown>;

export type JsonRpcRequest = { id: RequestId; method: string; params?: JsonObject };
export type JsonRpcNotification = { method: string; params?: JsonObject; emittedAtMs?: number };
export type JsonRpcResponse = { id: RequestId; result: unknown };
export type JsonRpcErrorObject = { code: number; message: string; data?: unknown };
/** `id` is null when the peer could not read the request's id. */
export type JsonRpcErrorResponse = { id: RequestId | null; error: JsonRpcErrorObject };
export type WireMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse | JsonRpcErrorResponse;

export type ParseResult = { ok: true; message: WireMessage } | { ok: false; error: ProtocolError };

/** 8 MiB of UTF-16 code units: far above any real codex line, low enough to bound memory. */
export const DEFAULT_MAX_LINE_LENGTH = 8 * 1024 * 1024;

export type ParseOptions = {
  /** Lines longer than this (UTF-16 code units) are rejected before `JSON.parse`. */
  maxLineLength?: number;
};

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const zId = z.union([z.string(), z.number()]);
const zParams = z.custom<JsonObject>(isJsonObject, { message: "params must be an object" }).optional();
const zJsonRpcVersion = z.literal("2.0").optional();

const zRequest = z.object({ jsonrpc: zJsonRpcVersion, id: zId, method: z.string(), params: zParams });
const zNotification = z.object({
  jsonrpc: zJsonRpcVersion,
  method: z.string(),
  params: zParams,
  emittedAtMs: z.number().optional(),
});
const zResponse = z.object({ jsonrpc: zJsonRpcVersion, id: zId, result: z.unknown() });
const zErrorResponse = z.object({
  jsonrpc: zJsonRpcVersion,
  id: zId.nullable(),
  error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }),
});

/** Parses one line. Never throws; every failure is a typed `ProtocolError`. */
export function parseWireMessage(line: string, options: ParseOptions = {}): ParseResult {
  const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  if (line.length > max) {
    return fail(protocolError("line_too_large", `line of ${line.length} characters exceeds the cap of ${max}`));
  }
  if (line.trim().length === 0) return fail(protocolError("empty_line", "blank line"));
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return fail(protocolError("invalid_json", `not JSON: ${(error as Error).message}`));
  }
  if (!isJsonObject(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    return fail(protocolError("not_an_object", `expected a JSON-RPC object, got ${kind}`));
  }
  return parseEnvelope(value);
}

/** Validates an already-decoded object as a JSON-RPC message. */
export function parseEnvelope(value: JsonObject): ParseResult {
  const schema =
    "method" in value
      ? "id" in value
        ? zRequest
        : zNotification
      : "error" in value
        ? zErrorResponse
        : "result" in value
          ? zResponse
          : undefined;
  if (!schema) {
    return fail(protocolError("invalid_envelope", "object has neither method, result nor error"));
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const method = typeof value.method === "string" ? value.method : undefined;
    const { path, message } = describeIssue(parsed.error.issues, "");
    return fail(protocolError("invalid_envelope", message, { path, ...(method ? { method } : {}) }));
  }
  const { jsonrpc: _jsonrpc, ...message } = parsed.data;
  return { ok: true, message };
}

function fail(error: ProtocolError): ParseResult {
  return { ok: false, error };
}
