/**
 * `pnpm cli`: an ephemeral terminal chat with codex — the host runtime in `codex-only` mode,
 * codex over stdio and nothing else (no Convex, nothing kept). Type a message and codex's reply
 * streams in; when codex asks before running a command or changing files you answer at the
 * prompt; `/interrupt` (or Ctrl-C) stops a running turn, `/exit` (or Ctrl-D) quits.
 *
 *   pnpm cli [-- --real-model] [--cwd DIR] [--approval-policy untrusted|on-request|never]
 */
import { parseArgs } from "node:util";
import { buildCommandExecutionApprovalResponse, buildFileChangeApprovalResponse } from "codex-local-component/app-server";
import { createCodexHostRuntime } from "codex-local-component/host";
import type { AskForApproval } from "codex-local-component/host";
import { codexSetup } from "./codexSetup.js";
import { describeApproval, renderEvent } from "./render.js";
import { openTerminal } from "./terminal.js";

const { values } = parseArgs({
  options: {
    "real-model": { type: "boolean" },
    cwd: { type: "string" },
    "approval-policy": { type: "string" },
  },
});
const cwd = values.cwd ?? process.cwd();
const setup = await codexSetup({ realModel: values["real-model"] ?? false, cwd });

let exiting = false;
const term = openTerminal({
  onLine: (line) => void onLine(line),
  onInterrupt: () => void (runtime.getLifecycleState().turnId ? interrupt() : exit()),
  onClose: () => void exit(),
});
const runtime = createCodexHostRuntime({
  mode: "codex-only",
  bridge: setup.bridge,
  thread: { cwd, approvalPolicy: (values["approval-policy"] ?? "on-request") as AskForApproval, sandbox: "workspace-write" },
  onEvent: (event) => {
    const rendered = renderEvent(event);
    if (rendered.text) term.write(rendered.text);
    if (rendered.line) term.line(rendered.line);
    if (rendered.turnEnded) {
      if (term.dropQuestions()) term.line("  (the turn ended before the approval was answered)");
      term.prompt();
    }
  },
  onServerRequest: (request) => {
    const question = describeApproval(request);
    if (!question) throw new Error(`this CLI does not answer ${request.method}`);
    void term.askApproval(question).then((answer) => {
      if (answer === undefined) return;
      const response =
        request.method === "item/fileChange/requestApproval" ? buildFileChangeApprovalResponse(answer) : buildCommandExecutionApprovalResponse(answer);
      try {
        runtime.respondToServerRequest(request.id, response);
      } catch (error) {
        term.line(`  ! ${(error as Error).message}`);
      }
    });
    return undefined; // answered later, through respondToServerRequest
  },
  onError: (error, context) => term.line(`! ${context}: ${error instanceof Error ? error.message : String(error)}`),
});

async function onLine(line: string) {
  if (line === "/exit") return exit();
  if (line === "/interrupt") return interrupt();
  if (line === "/help" || line === "") {
    if (line === "/help") term.line("type a message for codex · /interrupt stops the running turn · /exit quits");
    return term.prompt();
  }
  if (line.startsWith("/")) {
    term.line(`unknown command ${line} (try /help)`);
    return term.prompt();
  }
  if (runtime.getLifecycleState().turnId) return term.line("codex is still working — /interrupt stops it");
  try {
    await runtime.sendTurn(line);
  } catch (error) {
    term.line(`! ${(error as Error).message}`);
    term.prompt();
  }
}

async function interrupt() {
  if (!runtime.getLifecycleState().turnId) {
    term.line("no turn is running");
    return term.prompt();
  }
  term.line("interrupting…");
  await runtime.interrupt().catch((error: unknown) => term.line(`! ${(error as Error).message}`));
}

async function exit() {
  if (exiting) return;
  exiting = true;
  term.line("bye — stopping codex");
  term.close();
  await runtime.stop().catch(() => undefined);
  await setup.close();
  process.exit(0);
}

await runtime.connect();
const { threadId } = await runtime.openThread({ mode: "start" });
term.line(`codex is ready (model: ${setup.description}; thread ${threadId}, not saved anywhere)`);
term.line("type a message · /interrupt stops a turn · /exit quits");
term.prompt();
