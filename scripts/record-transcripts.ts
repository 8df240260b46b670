/**
 * Records what the REAL codex binary writes for each conversation shape we care about,
 * driven by the scripted model on 127.0.0.1. Output: for each transcript, the raw stdout
 * lines (`NAME.stdout.jsonl`, byte-for-byte) and what we sent (`NAME.stdin.jsonl`), under
 * src/protocol/testdata/transcripts/. Tests and the protocol benchmark read them.
 *
 *   pnpm transcripts:record            # all
 *   pnpm transcripts:record reasoning  # some
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  JsonRpcClient,
  buildCommandExecutionApprovalResponse,
  buildFileChangeApprovalResponse,
  buildInitializeRequest,
  buildThreadStartRequest,
  buildTurnInterruptRequest,
  buildTurnStartTextRequest,
  spawnAppServer,
  type LineTransport,
} from "../src/app-server/index.js";
import type { CommandExecutionApprovalDecision } from "../src/protocol/generated/v2/CommandExecutionApprovalDecision.js";
import type { FileChangeApprovalDecision } from "../src/protocol/generated/v2/FileChangeApprovalDecision.js";
import type { NotificationMessage } from "../src/protocol/index.js";
import { prepareScriptedCodexHome, startScriptedModelServer } from "../src/scripted-model/index.js";

const outDir = new URL("../src/protocol/testdata/transcripts/", import.meta.url).pathname;

type Recipe = {
  name: string;
  turns: string[];
  sandbox?: "read-only" | "workspace-write";
  decision?: CommandExecutionApprovalDecision | FileChangeApprovalDecision;
  /** Interrupt the turn once this many agent-message deltas have arrived. */
  interruptAfterDeltas?: number;
  /** Turns in codex's plan collaboration mode (experimental API): the only mode that asks the user questions. */
  planMode?: boolean;
};

export const RECIPES: Recipe[] = [
  { name: "streamed-text", turns: ["Grüße 🌍 — stream this back to me, please"] },
  { name: "two-turns", turns: ["first question", "second question"] },
  { name: "reasoning", turns: ["[reasoning] Short answer, please."] },
  { name: "command-accept", turns: ["[command] echo approved-run"], decision: "accept" },
  {
    name: "command-streamed-output",
    turns: ["[command] for i in 1 2 3; do echo line-$i; sleep 0.3; done"],
    decision: "accept",
  },
  { name: "command-decline", turns: ["[command] echo declined-run"], decision: "decline" },
  { name: "command-cancel", turns: ["[command] echo cancelled-run"], decision: "cancel" },
  { name: "file-change", turns: ["[patch] notes.txt"], sandbox: "read-only", decision: "accept" },
  { name: "interrupt", turns: ["[slow]"], interruptAfterDeltas: 3 },
  { name: "model-error", turns: ["[error] scripted outage"] },
  { name: "plan", turns: ["[plan] Done planning."] },
  { name: "user-input", turns: ["[ask] Which branch should I deploy?"], planMode: true },
];

function recording(inner: LineTransport, stdout: string[], stdin: string[]): LineTransport {
  return {
    send: (line) => {
      stdin.push(line);
      inner.send(line);
    },
    onLine: (listener) =>
      inner.onLine((line) => {
        stdout.push(line);
        listener(line);
      }),
    onClose: (listener) => inner.onClose(listener),
    close: () => inner.close(),
  };
}

async function record(recipe: Recipe): Promise<{ lines: number }> {
  const model = await startScriptedModelServer({ idPrefix: recipe.name.replace(/[^a-z]/g, "") });
  const launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
  const cwd = mkdtempSync(join(tmpdir(), "codex-cwd-"));
  const proc = spawnAppServer({ command: launch.command, args: launch.args, env: launch.env, cwd });
  const stdout: string[] = [];
  const stdin: string[] = [];
  let turnDone: ((n: NotificationMessage) => void) | undefined;
  let deltas = 0;
  let interrupt: (() => void) | undefined;
  const client = new JsonRpcClient(recording(proc.transport, stdout, stdin), {
    onServerRequest: (request) => {
      if (request.method === "item/commandExecution/requestApproval") {
        return buildCommandExecutionApprovalResponse((recipe.decision ?? "accept") as CommandExecutionApprovalDecision);
      }
      if (request.method === "item/fileChange/requestApproval") {
        return buildFileChangeApprovalResponse((recipe.decision ?? "accept") as FileChangeApprovalDecision);
      }
      if (request.method === "item/tool/requestUserInput") {
        const { questions } = request.params as { questions: Array<{ id: string; options: Array<{ label: string }> | null }> };
        return { answers: Object.fromEntries(questions.map((q) => [q.id, { answers: [q.options?.[0]?.label ?? "yes"] }])) };
      }
      throw new Error(`no answer scripted for ${request.method}`);
    },
    onNotification: (n) => {
      if (n.method === "item/agentMessage/delta" && ++deltas === recipe.interruptAfterDeltas) interrupt?.();
      if (n.method === "turn/completed") turnDone?.(n);
    },
  });
  try {
    await client.request(
      buildInitializeRequest({ name: "codex-local-component-recorder", title: null, version: "0.1.0" }, { experimentalApi: recipe.planMode === true }),
    );
    client.notify("initialized");
    const { thread } = await client.request(
      buildThreadStartRequest({ cwd, approvalPolicy: "untrusted", sandbox: recipe.sandbox ?? "workspace-write" }),
    );
    for (const text of recipe.turns) {
      const done = new Promise<NotificationMessage>((resolve) => (turnDone = resolve));
      const request = buildTurnStartTextRequest(thread.id, text);
      if (recipe.planMode) {
        // Experimental: not in the stable TurnStartParams we generate.
        Object.assign(request.params, { collaborationMode: { mode: "plan", settings: { model: "gpt-5.5", reasoning_effort: null, developer_instructions: null } } });
      }
      const { turn } = await client.request(request);
      interrupt = () => void client.request(buildTurnInterruptRequest(thread.id, turn.id));
      await Promise.race([done, sleep(15_000).then(() => Promise.reject(new Error(`${recipe.name}: turn did not complete`)))]);
    }
    // Let trailing notifications (status, rate limits) arrive before we stop.
    await sleep(100);
  } finally {
    await proc.stop();
    await model.close();
    launch.cleanup();
    rmSync(cwd, { recursive: true, force: true });
  }
  writeFileSync(join(outDir, `${recipe.name}.stdout.jsonl`), stdout.map((l) => l + "\n").join(""));
  writeFileSync(join(outDir, `${recipe.name}.stdin.jsonl`), stdin.map((l) => l + "\n").join(""));
  return { lines: stdout.length };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const wanted = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
for (const recipe of RECIPES) {
  if (wanted.length > 0 && !wanted.includes(recipe.name)) continue;
  const { lines } = await record(recipe);
  console.log(`${recipe.name}: ${lines} lines`);
}
