#!/usr/bin/env node
// Records real `codex app-server` stdout for the ingest tests: a text turn, a reasoning
// turn and a command-approval turn, each against a scripted Responses-API server on
// 127.0.0.1. Output: src/component/testdata/<name>.jsonl (one raw stdout line per line).
// Run: node --import tsx scripts/record-codex-fixtures.ts
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const outDir = new URL("../src/component/testdata/", import.meta.url).pathname;
let seq = 0;
type Sse = Record<string, unknown> & { type: string };
type Msg = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> };
type Body = { input?: Array<{ type: string }> };
const uid = (p: string) => `${p}_${Date.now().toString(36)}_${++seq}`;

function sse(res: ServerResponse, events: Sse[]) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  res.end();
}
const usage = { input_tokens: 120, output_tokens: 40, total_tokens: 160 };
function textReply(text: string, chunk = 7): Sse[] {
  const id = uid("msg");
  const events: Sse[] = [{ type: "response.created", response: { id: uid("resp") } }];
  events.push({ type: "response.output_item.added", output_index: 0, item: { type: "message", id, role: "assistant", content: [] } });
  for (let i = 0; i < text.length; i += chunk) {
    events.push({ type: "response.output_text.delta", item_id: id, output_index: 0, content_index: 0, delta: text.slice(i, i + chunk) });
  }
  events.push({ type: "response.output_item.done", output_index: 0, item: { type: "message", id, role: "assistant", content: [{ type: "output_text", text, annotations: [] }] } });
  return events;
}
function completed(events: Sse[]): Sse[] {
  return [...events, { type: "response.completed", response: { id: uid("resp"), usage } }];
}
function reasoningThenText(summary: string, text: string): Sse[] {
  const rid = uid("rs");
  const events: Sse[] = [{ type: "response.created", response: { id: uid("resp") } }];
  events.push({ type: "response.output_item.added", output_index: 0, item: { type: "reasoning", id: rid, summary: [] } });
  events.push({ type: "response.reasoning_summary_part.added", item_id: rid, output_index: 0, summary_index: 0, part: { type: "summary_text", text: "" } });
  for (let i = 0; i < summary.length; i += 9) {
    events.push({ type: "response.reasoning_summary_text.delta", item_id: rid, output_index: 0, summary_index: 0, delta: summary.slice(i, i + 9) });
  }
  events.push({ type: "response.reasoning_summary_text.done", item_id: rid, output_index: 0, summary_index: 0, text: summary });
  events.push({ type: "response.output_item.done", output_index: 0, item: { type: "reasoning", id: rid, summary: [{ type: "summary_text", text: summary }] } });
  return completed([...events, ...textReply(text).slice(1)]);
}
function commandCall(cmd: string): Sse[] {
  const call = uid("call");
  return completed([
    { type: "response.created", response: { id: uid("resp") } },
    {
      type: "response.output_item.done",
      output_index: 0,
      item: { type: "function_call", id: uid("fc"), call_id: call, name: "exec_command", arguments: JSON.stringify({ cmd, sandbox_permissions: "require_escalated", justification: "Need to list files" }) },
    },
  ]);
}

const scripts: Record<string, (body: Body) => Sse[]> = {
  text: () => completed(textReply("Hello! Here is a short streamed answer, split into several small deltas so the test sees real streaming.")),
  reasoning: () => reasoningThenText("**Thinking about it** I should consider the question carefully.", "The answer is 42."),
  approval: (body) => {
    const last = body.input?.[body.input.length - 1];
    if (last && (last.type === "function_call_output" || last.type === "custom_tool_call_output")) {
      return completed(textReply("The command ran; done."));
    }
    return commandCall("echo approved-output");
  },
};

async function record(name: string) {
  const home = mkdtempSync(join(tmpdir(), "codex-rec-"));
  const work = mkdtempSync(join(tmpdir(), "codex-work-"));
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (req.url !== "/v1/responses") return res.writeHead(404).end();
      const body = JSON.parse(raw || "{}") as Body;
      sse(res, scripts[name]!(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  writeFileSync(
    join(home, "config.toml"),
    `model = "gpt-5.5"
model_provider = "scripted"
approval_policy = "on-request"
sandbox_mode = "workspace-write"
check_for_update_on_startup = false
[model_providers.scripted]
name = "Scripted local model"
base_url = "http://127.0.0.1:${port}/v1"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
stream_idle_timeout_ms = 20000
[features]
plugins = false
unbounded_connection_retries = false
[analytics]
enabled = false
[feedback]
enabled = false
`,
  );
  const child = spawn("node_modules/.bin/codex", ["app-server"], {
    env: { ...process.env, CODEX_HOME: home, RUST_LOG: "warn" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const waiters: Array<{ pred: (m: Msg) => boolean; resolve: (m: Msg) => void }> = [];
  let nextId = 1;
  const send = (msg: Msg) => child.stdin.write(JSON.stringify(msg) + "\n");
  const request = (method: string, params: Record<string, unknown>) => {
    const id = nextId++;
    send({ id, method, params });
    return waitFor((m) => m.id === id && !m.method);
  };
  function waitFor(pred: (m: Msg) => boolean): Promise<Msg> {
    return new Promise((resolve, reject) => {
      const found = lines.map((l) => JSON.parse(l) as Msg).find(pred);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`timeout in ${name}`)), 30000);
      waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    const msg = JSON.parse(line) as Msg;
    if (msg.method === "item/commandExecution/requestApproval" && msg.id !== undefined) {
      send({ id: msg.id, result: { decision: "accept" } });
    }
    for (const w of [...waiters]) {
      if (!w.pred(msg)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(msg);
    }
  });
  await request("initialize", { clientInfo: { name: "recorder", title: "recorder", version: "0" }, capabilities: { experimentalApi: false } });
  send({ method: "initialized" });
  const started = await request("thread/start", {
    cwd: work,
    approvalPolicy: name === "approval" ? "untrusted" : "on-request",
    sandbox: "workspace-write",
  });
  const threadId = (started.result!.thread as { id: string }).id;
  const prompts: Record<string, string> = { text: "Say hello.", reasoning: "What is the answer?", approval: "List the files." };
  const prompt = prompts[name]!;
  await request("turn/start", { threadId, input: [{ type: "text", text: prompt, text_elements: [] }] });
  await waitFor((m) => m.method === "turn/completed");
  await new Promise((r) => setTimeout(r, 150));
  child.kill("SIGTERM");
  server.close();
  writeFileSync(join(outDir, `${name}.jsonl`), lines.join("\n") + "\n");
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  console.log(`${name}: ${lines.length} lines`);
}

for (const name of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(scripts)) {
  await record(name);
}
