// Against the REAL pinned codex binary, with the scripted model on 127.0.0.1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prepareScriptedCodexHome, startScriptedModelServer, type ScriptedModelServer } from "../scripted-model/index.js";
import type { NotificationMessage, ServerRequestMessage } from "../protocol/index.js";
import {
  buildAccountLoginCancelRequest,
  buildAccountReadRequest,
  buildCommandExecRequest,
  buildCommandExecutionApprovalResponse,
  buildConfigReadRequest,
  buildMcpServerStatusListRequest,
  buildModelListRequest,
  buildThreadArchiveRequest,
  buildThreadForkRequest,
  buildThreadListRequest,
  buildThreadReadRequest,
  buildThreadResumeRequest,
  buildThreadSetNameRequest,
  buildThreadStartRequest,
  buildThreadUnarchiveRequest,
  buildTurnInterruptRequest,
  buildTurnStartTextRequest,
  buildTurnSteerRequest,
  connectAppServer,
  isJsonRpcClientError,
  type AppServerConnection,
} from "./index.js";

let model: ScriptedModelServer;
let connection: AppServerConnection;
let cleanup: () => void;
let launchInfo: ReturnType<typeof prepareScriptedCodexHome>;
const notifications: NotificationMessage[] = [];
const serverRequests: ServerRequestMessage[] = [];
let cwd: string;

beforeAll(async () => {
  model = await startScriptedModelServer();
  const launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
  launchInfo = launch;
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

  test("the builders' requests are accepted by codex 0.169.0", async () => {
    const { thread } = await connection.client.request(buildThreadStartRequest({ cwd, approvalPolicy: "untrusted" }));
    const { turn } = await connection.client.request(buildTurnStartTextRequest(thread.id, "remember me"));
    await waitFor((n) => n.method === "turn/completed" && n.threadId === thread.id);

    const read = await connection.client.request(buildThreadReadRequest(thread.id, true));
    expect(read.thread.turns.map((t) => t.id)).toEqual([turn.id]);
    const list = await connection.client.request(buildThreadListRequest({}));
    expect(list.data.map((t) => t.id)).toContain(thread.id);
    await connection.client.request(buildThreadSetNameRequest(thread.id, "Named by test"));
    const config = await connection.client.request(buildConfigReadRequest({}));
    expect(config.config.model_provider).toBe("scripted");
    const models = await connection.client.request(buildModelListRequest({}));
    expect(models.data.length).toBeGreaterThan(0);
    expect((await connection.client.request(buildMcpServerStatusListRequest({}))).data).toEqual([]);
    expect((await connection.client.request(buildAccountReadRequest({}))).account).toBeNull();
    const fork = await connection.client.request(buildThreadForkRequest({ threadId: thread.id }));
    expect(fork.thread.forkedFromId).toBe(thread.id);
    const exec = await connection.client.request(buildCommandExecRequest({ command: ["echo", "exec-ok"], cwd }));
    expect(exec).toMatchObject({ exitCode: 0, stdout: "exec-ok\n" });
    await connection.client.request(buildThreadArchiveRequest(fork.thread.id));
    await connection.client.request(buildThreadUnarchiveRequest(fork.thread.id));

    // codex's own refusals come back as typed rpc errors, not hangs.
    const steer = await connection.client.request(buildTurnSteerRequest(thread.id, turn.id, "more")).catch((e: unknown) => e);
    expect(isJsonRpcClientError(steer, "rpc")).toBe(true);
    const cancel = await connection.client.request(buildAccountLoginCancelRequest("no-such-login")).catch((e: unknown) => e);
    expect(cancel).toMatchObject({ kind: "rpc", method: "account/login/cancel" });
  }, 20_000);

  test("turn/interrupt stops a streaming turn", async () => {
    const { thread } = await connection.client.request(buildThreadStartRequest({ cwd, approvalPolicy: "untrusted" }));
    const { turn } = await connection.client.request(buildTurnStartTextRequest(thread.id, "[slow]"));
    await waitFor((n) => n.method === "item/agentMessage/delta" && n.threadId === thread.id);
    await connection.client.request(buildTurnInterruptRequest(thread.id, turn.id));
    const completed = await waitFor((n) => n.method === "turn/completed" && n.threadId === thread.id);
    expect(completed.params).toMatchObject({ turn: { id: turn.id, status: "interrupted" } });
  }, 20_000);

  // Last: it stops the shared process.
  test("thread/resume in a fresh codex process restores the thread's turns", async () => {
    const { thread } = await connection.client.request(buildThreadStartRequest({ cwd, approvalPolicy: "untrusted" }));
    const { turn } = await connection.client.request(buildTurnStartTextRequest(thread.id, "persist this"));
    await waitFor((n) => n.method === "turn/completed" && n.threadId === thread.id);
    // A thread has one writer at a time: the first process must let go of it.
    await connection.close();

    const second = await connectAppServer({
      command: launchInfo.command,
      args: launchInfo.args,
      env: launchInfo.env,
      cwd,
      clientInfo: { name: "codex-local-component-test", title: null, version: "0.0.0" },
      onServerRequest: () => {
        throw new Error("no server requests expected");
      },
    });
    try {
      const resumed = await second.client.request(buildThreadResumeRequest({ threadId: thread.id }));
      expect(resumed.thread.id).toBe(thread.id);
      expect(resumed.thread.turns.map((t) => t.id)).toContain(turn.id);
    } finally {
      await second.close();
    }
  }, 20_000);
});
