import { describe, expect, test } from "vitest";
import { classifyMessage, isNotificationOf, isServerRequestOf, parseWireMessage, type ClassifiedMessage } from "./index.js";

function classify(line: string): ClassifiedMessage {
  const parsed = parseWireMessage(line);
  if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
  return classifyMessage(parsed.message);
}

describe("parseWireMessage", () => {
  test.each([
    ['{"method":"turn/started","params":{"threadId":"t"', "invalid_json"],
    ["hello", "invalid_json"],
    ["[1,2]", "not_an_object"],
    ["null", "not_an_object"],
    ['"text"', "not_an_object"],
    ["   ", "empty_line"],
    ['{"foo":1}', "invalid_envelope"],
    ['{"id":1,"method":7}', "invalid_envelope"],
    ['{"id":true,"result":{}}', "invalid_envelope"],
    ['{"id":1,"error":{"code":"x","message":"m"}}', "invalid_envelope"],
    ['{"method":"x","params":[1]}', "invalid_envelope"],
    ['{"method":"x","emittedAtMs":"soon"}', "invalid_envelope"],
    ['{"jsonrpc":"1.0","method":"x"}', "invalid_envelope"],
  ])("%s → %s", (line, code) => {
    const parsed = parseWireMessage(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe(code);
  });

  test("an envelope error names the field at fault and the method", () => {
    const parsed = parseWireMessage('{"method":"item/started","emittedAtMs":"x","params":{}}');
    expect(parsed).toMatchObject({ ok: false, error: { code: "invalid_envelope", path: "emittedAtMs", method: "item/started" } });
  });

  test("a line over the cap is rejected before JSON.parse, whatever it contains", () => {
    const huge = `{"method":"item/agentMessage/delta","params":{"delta":"${"a".repeat(10 * 1024 * 1024)}"}}`;
    expect(parseWireMessage(huge)).toMatchObject({ ok: false, error: { code: "line_too_large" } });
    expect(parseWireMessage('{"method":"x"}', { maxLineLength: 5 })).toMatchObject({ ok: false, error: { code: "line_too_large" } });
    expect(parseWireMessage("{".repeat(20), { maxLineLength: 10 })).toMatchObject({ error: { code: "line_too_large" } });
  });

  test("accepts codex's envelopes with or without jsonrpc", () => {
    expect(parseWireMessage('{"jsonrpc":"2.0","id":0,"result":null}')).toEqual({ ok: true, message: { id: 0, result: null } });
    expect(parseWireMessage('{"id":"a","error":{"code":-32001,"message":"busy"}}')).toEqual({
      ok: true,
      message: { id: "a", error: { code: -32001, message: "busy" } },
    });
  });
});

describe("classifyMessage", () => {
  test("response, error (id may be null), notification, server request", () => {
    expect(classify('{"id":0,"result":{"ok":true}}')).toEqual({ kind: "response", id: 0, result: { ok: true } });
    expect(classify('{"id":null,"error":{"code":-32700,"message":"parse"}}')).toMatchObject({ kind: "error", id: null });
    expect(classify('{"method":"turn/started","params":{"threadId":"th","turn":{"id":"tu"}},"emittedAtMs":5}')).toEqual({
      kind: "notification",
      known: true,
      method: "turn/started",
      params: { threadId: "th", turn: { id: "tu" } },
      emittedAtMs: 5,
      scope: "thread",
      threadId: "th",
    });
    expect(classify('{"id":0,"method":"item/fileChange/requestApproval","params":{"threadId":"th"}}')).toMatchObject({
      kind: "server_request",
      known: true,
      id: 0,
      scope: "thread",
      threadId: "th",
    });
  });

  test("global notifications have no thread", () => {
    for (const line of [
      '{"method":"account/rateLimits/updated","params":{"rateLimits":{}}}',
      '{"method":"configWarning","params":{"summary":"s","details":null}}',
      '{"method":"mcpServer/startupStatus/updated","params":{"threadId":null,"name":"x"}}',
      '{"id":1,"method":"account/chatgptAuthTokens/refresh","params":{"reason":"unauthorized"}}',
    ]) {
      expect(classify(line)).toMatchObject({ scope: "global", known: true });
    }
  });

  test("thread/started is scoped by the new thread's id", () => {
    expect(classify('{"method":"thread/started","params":{"thread":{"id":"th9"}}}')).toMatchObject({
      scope: "thread",
      threadId: "th9",
    });
  });

  test("unknown methods are kept as unknown, with their scope", () => {
    expect(classify('{"method":"thread/hologram/updated","params":{"threadId":"th","x":1}}')).toEqual({
      kind: "notification",
      known: false,
      method: "thread/hologram/updated",
      params: { threadId: "th", x: 1 },
      scope: "thread",
      threadId: "th",
    });
    expect(classify('{"id":7,"method":"future/request"}')).toMatchObject({ kind: "server_request", known: false, params: {} });
  });
});

describe("narrowing helpers", () => {
  test("isNotificationOf / isServerRequestOf match known methods only, and type the params", () => {
    const completed = classify('{"method":"turn/completed","params":{"threadId":"th","turn":{"id":"tu","status":"failed"}}}');
    expect(isNotificationOf(completed, "turn/completed")).toBe(true);
    expect(isNotificationOf(completed, "turn/started")).toBe(false);
    if (isNotificationOf(completed, "turn/completed")) expect(completed.params.turn.status).toBe("failed");
    const approval = classify('{"id":0,"method":"item/fileChange/requestApproval","params":{"threadId":"th","itemId":"i"}}');
    expect(isServerRequestOf(approval, "item/fileChange/requestApproval")).toBe(true);
    if (isServerRequestOf(approval, "item/fileChange/requestApproval")) expect(approval.params.itemId).toBe("i");
    expect(isServerRequestOf(completed, "item/fileChange/requestApproval")).toBe(false);
  });
});
