import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  prepareScriptedCodexHome,
  scenarioFromUserText,
  startScriptedModelServer,
  type ScriptedModelServer,
  type TextScenario,
} from "./index.js";
import { splitIntoChunks } from "./scenarios.js";

let server: ScriptedModelServer;
beforeEach(async () => {
  server = await startScriptedModelServer({ idPrefix: "x" });
});
afterEach(async () => {
  await server.close();
});

type SseEvent = Record<string, unknown> & { type: string };

async function post(input: unknown[]): Promise<{ status: number; events: SseEvent[]; body: string }> {
  const res = await fetch(`${server.baseUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-5.5", input, stream: true }),
  });
  const body = await res.text();
  const events = body
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)) as SseEvent);
  return { status: res.status, events, body };
}

const user = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
const doneItems = (events: SseEvent[]) =>
  events.filter((e) => e.type === "response.output_item.done").map((e) => e.item as Record<string, unknown>);

describe("scripted Responses-API server", () => {
  test("streams text as deltas that add up to the final message, then completes with usage", async () => {
    const { status, events } = await post([user("hello")]);
    expect(status).toBe(200);
    expect(events[0]!.type).toBe("response.created");
    expect(events.at(-1)).toMatchObject({ type: "response.completed", response: { usage: { input_tokens: 100 } } });
    const text = events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta).join("");
    expect(text).toBe("You said: hello");
    expect(doneItems(events)[0]).toMatchObject({ type: "message", content: [{ type: "output_text", text }] });
  });

  test("a command scenario asks for escalation, and the call's output gets the final answer", async () => {
    const first = await post([user("[command] ls -la")]);
    const call = doneItems(first.events)[0]!;
    expect(call).toMatchObject({ type: "function_call", name: "exec_command" });
    expect(JSON.parse(call.arguments as string)).toMatchObject({ cmd: "ls -la", sandbox_permissions: "require_escalated" });
    const second = await post([user("[command] ls -la"), call, { type: "function_call_output", call_id: call.call_id, output: "ok" }]);
    expect(doneItems(second.events)[0]).toMatchObject({ content: [{ text: "The command finished." }] });
    expect(server.requests.map((r) => r.answer)).toEqual(["command", "finalAnswer"]);
  });

  test("a patch scenario sends apply_patch as a custom tool call", async () => {
    const { events } = await post([user("[patch] docs/a.md")]);
    const call = doneItems(events)[0]!;
    expect(call).toMatchObject({ type: "custom_tool_call", name: "apply_patch" });
    expect(call.input).toContain("*** Add File: docs/a.md");
  });

  test("reasoning streams indexed summary parts before the answer", async () => {
    const { events } = await post([user("[reasoning]")]);
    const indexes = events.filter((e) => e.type === "response.reasoning_summary_text.delta").map((e) => e.summary_index);
    expect(new Set(indexes)).toEqual(new Set([0, 1]));
    expect(doneItems(events).map((i) => i.type)).toEqual(["reasoning", "message"]);
  });

  test("queued scenarios win over the router; an error scenario is an HTTP error", async () => {
    server.enqueue({ type: "error", status: 503, message: "down" }, { type: "text", text: "queued", chunks: ["que", "ued"] });
    const failed = await post([user("hello")]);
    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.body)).toMatchObject({ error: { message: "down" } });
    const queued = await post([user("hello")]);
    expect(queued.events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta)).toEqual(["que", "ued"]);
  });

  test("a 429 carries its code and retry-after; a stream fault breaks off after the deltas it names", async () => {
    server.enqueue({ type: "error", status: 429, code: "rate_limit_exceeded", retryAfterSeconds: 2 });
    const res = await fetch(`${server.baseUrl}/responses`, { method: "POST", body: JSON.stringify({ input: [user("x")] }) });
    expect([res.status, res.headers.get("retry-after")]).toEqual([429, "2"]);
    expect(await res.json()).toMatchObject({ error: { code: "rate_limit_exceeded", type: "rate_limit_error" } });

    const words: TextScenario = { type: "text", text: "one two three", chunks: ["one ", "two ", "three"] };
    server.enqueue({ ...words, fault: { kind: "failed", afterDeltas: 2, code: "context_length_exceeded" } }, { ...words, fault: { kind: "truncated", afterDeltas: 1 } });
    const failed = (await post([user("x")])).events;
    expect(failed.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta)).toEqual(["one ", "two "]);
    expect(failed.at(-1)).toMatchObject({ type: "response.failed", response: { error: { code: "context_length_exceeded" } } });
    const truncated = (await post([user("x")])).events;
    expect(truncated.at(-1)).toMatchObject({ type: "response.output_text.delta", delta: "one " });

    server.enqueue({ ...words, fault: { kind: "reset", afterDeltas: 1 } });
    await expect(post([user("x")])).rejects.toThrow();
  });

  test("a composed reply keeps its item order; parallel calls are answered once their outputs come back", async () => {
    server.enqueue({
      type: "composed",
      output: [{ type: "message", text: "First." }, { type: "reasoning", summary: ["a", "b"] }, { type: "command", command: "echo 1" }, { type: "command", command: "echo 2" }],
      finalText: "Both ran.",
    });
    const items = doneItems((await post([user("x")])).events);
    expect(items.map((i) => i.type)).toEqual(["message", "reasoning", "function_call", "function_call"]);
    const outputs = items.slice(2).map((call) => ({ type: "function_call_output", call_id: call.call_id, output: "ok" }));
    const answer = doneItems((await post([user("x"), ...items, ...outputs])).events);
    expect(answer).toMatchObject([{ type: "message", content: [{ text: "Both ran." }] }]);
  });

  test("item ids never repeat across responses", async () => {
    const ids: unknown[] = [];
    for (let i = 0; i < 3; i++) ids.push(...doneItems((await post([user("[reasoning]")])).events).map((item) => item.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("numbered per response, every response starts its ids afresh; a preamble precedes the call", async () => {
    const perResponse = await startScriptedModelServer({ itemIds: "perResponse" });
    try {
      const call = async (input: unknown[]) => {
        const res = await fetch(`${perResponse.baseUrl}/responses`, { method: "POST", body: JSON.stringify({ input }) });
        return (await res.text()).split("\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6)) as SseEvent);
      };
      perResponse.enqueue({ type: "command", command: "ls", preamble: "Let me look.", finalText: "Done." });
      const first = doneItems(await call([user("x")]));
      expect(first.map((i) => [i.type, i.id])).toEqual([["message", "msg_1"], ["function_call", "fc_1"]]);
      expect(first[0]).toMatchObject({ content: [{ text: "Let me look." }] });
      const answer = doneItems(await call([user("x"), { type: "function_call_output", call_id: first[1]!.call_id, output: "ok" }]));
      expect(answer.map((i) => [i.type, i.id, (i.content as Array<{ text: string }>)[0]!.text])).toEqual([["message", "msg_1", "Done."]]);
      expect(doneItems(await call([user("[reasoning]")])).map((i) => i.id)).toEqual(["rs_1", "msg_1"]);
    } finally {
      await perResponse.close();
    }
  });

  test("unknown paths get a 404 and are recorded", async () => {
    const res = await fetch(`${server.baseUrl}/models`);
    expect(res.status).toBe(404);
    expect(server.requests.at(-1)).toMatchObject({ answer: "notFound", path: "/v1/models" });
  });
});

describe("scenario helpers", () => {
  test("chunks never split a surrogate pair", () => {
    const chunks = splitIntoChunks("a🌍b🌍c🌍", 5);
    expect(chunks.join("")).toBe("a🌍b🌍c🌍");
    for (const c of chunks) expect(c).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  test("tags pick scenarios", () => {
    expect(scenarioFromUserText("[slow]").type).toBe("slow");
    expect(scenarioFromUserText("[error] boom")).toEqual({ type: "error", status: 500, message: "boom" });
    expect(scenarioFromUserText("plain").type).toBe("text");
  });

  test("the private CODEX_HOME points codex at the server with retries and network extras off", () => {
    const launch = prepareScriptedCodexHome({ modelBaseUrl: "http://127.0.0.1:1234/v1" });
    try {
      const toml = readFileSync(join(launch.codexHome, "config.toml"), "utf8");
      for (const line of [
        'base_url = "http://127.0.0.1:1234/v1"',
        'model_provider = "scripted"',
        "request_max_retries = 0",
        "stream_max_retries = 0",
        "plugins = false",
        "unbounded_connection_retries = false",
      ]) {
        expect(toml).toContain(line);
      }
      expect(launch.env.CODEX_HOME).toBe(launch.codexHome);
      expect(launch.args).toEqual(["app-server", "--listen", "stdio://"]);
    } finally {
      launch.cleanup();
    }
  });
});
