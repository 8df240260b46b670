// Against the REAL pinned codex binary, with the scripted model on 127.0.0.1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prepareScriptedCodexHome, startScriptedModelServer, type ScriptedModelServer } from "../scripted-model/index.js";
import type { NotificationMessage, ServerRequestMessage } from "../protocol/index.js";
import {
  buildCommandExecutionApprovalResponse,
  buildThreadStartRequest,
  buildTurnStartTextRequest,
  connectAppServer,
  type AppServerConnection,
} from "./index.js";

let model: ScriptedModelServer;
let connection: AppServerConnection;
let cleanup: () => void;
const notifications: NotificationMessage[] = [];
const serverRequests: ServerRequestMessage[] = [];
let cwd: string;

beforeAll(async () => {
  model = await startScriptedModelServer();
  const launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
  cwd = mkdtempSync(join(tmpdir(), "codex-cwd-"));
  connection = await connectAppServer({
    command: launch.command,
    args: launch.args,
    env: launch.env,
    cwd,
    clientInfo: { name: "codex-local-component-test", title: null, version: "0.0.0" },
    onNotification: (n) => void notifications.push(n),
    onServerRequest: (request) => {
      serverRequests.push(request);
      if (request.method === "item/commandExecution/requestApproval") {
        return buildCommandExecutionApprovalResponse("accept");
      }
      throw new Error(`unexpected ${request.method}`);
    },
  });
  cleanup = () => {
    launch.cleanup();
    rmSync(cwd, { recursive: true, force: true });
  };
}, 20_000);

afterAll(async () => {
  await connection?.close();
  await model?.close();
  cleanup?.();
});

function waitFor(predicate: (n: NotificationMessage) => boolean, timeoutMs = 10_000): Promise<NotificationMessage> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = notifications.find(predicate);
      if (found) return resolve(found);
      if (Date.now() - started > timeoutMs) return reject(new Error("timed out waiting for notification"));
      setTimeout(poll, 10);
    };
    poll();
  });
}

describe("JSON-RPC client against the real codex app-server", () => {
  test("initialize → thread/start → turn/start; the approval is answered through the handler", async () => {
    expect(connection.initialize.codexHome).toBeTruthy();
    const started = await connection.client.request(
      buildThreadStartRequest({ cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" }),
    );
    const threadId = started.thread.id;
    const turn = await connection.client.request(buildTurnStartTextRequest(threadId, "[command] echo scripted-ok"));
    const turnId = turn.turn.id;

    const completed = await waitFor(
      (n) => n.method === "turn/completed" && n.threadId === threadId,
    );
    expect(completed.params).toMatchObject({ turn: { id: turnId, status: "completed" } });

    expect(serverRequests).toHaveLength(1);
    expect(serverRequests[0]).toMatchObject({
      method: "item/commandExecution/requestApproval",
      scope: "thread",
      threadId,
      params: { turnId },
    });
    // codex ran the approved command and sent its output back to the model.
    const commandDone = notifications.find(
      (n) => n.method === "item/completed" && (n.params as { item: { type: string } }).item.type === "commandExecution",
    );
    expect(commandDone?.params).toMatchObject({ item: { status: "completed", aggregatedOutput: "scripted-ok\n", exitCode: 0 } });
    expect(model.requests.map((r) => r.answer)).toEqual(["command", "finalAnswer"]);
    expect(model.requests[1]?.lastInputItem).toMatchObject({ type: "function_call_output" });
  }, 20_000);
});
