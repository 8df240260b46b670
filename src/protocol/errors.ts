/**
 * What can be wrong with a line codex wrote. Parsing and normalizing never throw: a bad line
 * becomes one of these, and the lines after it are read as if it had not been there.
 */
export type ProtocolErrorCode =
  /** Blank line (only whitespace). */
  | "empty_line"
  /** Longer than the configured cap; rejected before `JSON.parse` ever sees it. */
  | "line_too_large"
  | "invalid_json"
  /** Valid JSON, but an array, string, number, boolean or null. */
  | "not_an_object"
  /** An object that is no JSON-RPC request, response, error or notification. */
  | "invalid_envelope"
  /** A known method whose params we persist have fields of the wrong type or missing. */
  | "invalid_params";

export type ProtocolError = {
  code: ProtocolErrorCode;
  message: string;
  /** The JSON-RPC method, when the envelope was readable. */
  method?: string;
  /** Where in the message the problem is, e.g. `params.delta`. */
  path?: string;
};

export function protocolError(
  code: ProtocolErrorCode,
  message: string,
  extra: { method?: string; path?: string } = {},
): ProtocolError {
  return { code, message, ...extra };
}

/** Formats the first zod issue as `path: message` so the error names the field at fault. */
export function describeIssue(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix: string,
): { path: string; message: string } {
  const first = issues[0];
  const path = [prefix, ...(first?.path ?? []).map(String)].filter((p) => p.length > 0).join(".");
  return { path, message: `${path || "message"}: ${first?.message ?? "invalid"}` };
}
