/**
 * `pnpm cli:persistent`: the terminal chat of `pnpm cli`, over Convex. Everything shown is read
 * back from the app (the generated host API, `api.codex.*`), so the conversation outlives the
 * process and any device sees the same one:
 *
 *   pnpm cli:persistent                        codex here + a new thread (prints its id)
 *   pnpm cli:persistent -- --resume <threadId> codex here, that thread again: its history first
 *   pnpm cli:persistent -- --attach <threadId> no codex: another device on a thread a running
 *                                              CLI (or `codex-local bridge`) serves; a running
 *                                              reply is replayed from its start, then followed
 *
 * Backend: `--url` / CONVEX_URL with `--token` / CONVEX_AUTH_TOKEN (a deployment running the
 * example app; `--poll` for plain HTTP), else the dev backend (apps/dev-backend) in this process.
 * Model: the scripted one on 127.0.0.1 (`--codex-home DIR` keeps codex's state for a later
 * `--resume`), or `--real-model`.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { createCodexHostRuntime, createConvexPersistence, type ConvexCaller } from "codex-local-component/host";
import { startDevBackend } from "../dev-backend/src/index.js";
import { api } from "../example/convex/_generated/api.js";
import { codexSetup } from "../cli/codexSetup.js";
import { openTerminal } from "../cli/terminal.js";
import { ThreadFollower } from "./follow.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    token: { type: "string" },
    poll: { type: "boolean" },
    resume: { type: "string" },
    attach: { type: "string" },
    "codex-home": { type: "string" },
    "device-id": { type: "string" },
    "real-model": { type: "boolean" },
    cwd: { type: "string" },
  },
});
const codex = api.codex;
const deviceId = values["device-id"] ?? (values.attach ? "second-terminal" : "terminal");
// Run last-registered first: the runtime stops before the client and the backend it talks to.
const cleanups: Array<() => unknown> = [];

// ---- the backend: a deployment, or the dev backend in this process ----
let url = values.url ?? process.env.CONVEX_URL;
let token = values.token ?? process.env.CONVEX_AUTH_TOKEN;
let where = url ?? "";
if (!url) {
  if (values.attach || values.resume) throw new Error("--attach and --resume need a deployment (--url): a dev backend in this process lives only as long as the process");
  const backend = await startDevBackend();
  cleanups.push(() => backend.stop());
  url = backend.url;
  token = backend.mintToken({ subject: "cli-user", expiresInSeconds: 24 * 3600 });
  where = `${url} (the dev backend in this process: \`--attach\` another terminal to it with --url ${url} --token ${token})`;
}
let client: ConvexCaller;
if (values.poll) {
  const http = new ConvexHttpClient(url, { skipConvexDeploymentUrlCheck: true });
  if (token) http.setAuth(token);
  client = http;
} else {
  const live = new ConvexClient(url, { skipConvexDeploymentUrlCheck: true, logger: false });
  if (token) live.setAuth(async () => token);
  cleanups.push(() => live.close());
  client = live;
}

let follower: ThreadFollower | undefined = undefined; // set once the thread is open; Ctrl-C may come before
const term = openTerminal({
  onLine: (line) => void onLine(line),
  onInterrupt: () => void (follower?.turnRunning ? interrupt() : exit()),
  onClose: () => void exit(),
});

// ---- codex, unless this terminal is only another device ----
let runtime: ReturnType<typeof createCodexHostRuntime> | undefined;
let threadId: string;
if (values.attach) {
  threadId = values.attach;
} else {
  const cwd = values.cwd ?? mkdtempSync(join(tmpdir(), "codex-cli-cwd-"));
  if (!values.cwd) cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));
  const setup = await codexSetup({ realModel: values["real-model"] ?? false, cwd, ...(values["codex-home"] ? { codexHome: values["codex-home"] } : {}) });
  cleanups.push(() => setup.close());
  runtime = createCodexHostRuntime({
    mode: "codex+replica",
    persistence: createConvexPersistence({ client, deviceId }),
    deviceId,
    bridge: setup.bridge,
    thread: { cwd, approvalPolicy: "on-request", sandbox: "workspace-write" },
    onError: (error, context) => term.line(`! ${context}: ${error instanceof Error ? error.message : String(error)}`),
  });
  cleanups.push(() => runtime?.stop());
  await runtime.connect();
  threadId = (await runtime.openThread(values.resume ? { mode: "resume", threadId: values.resume } : { mode: "start" })).threadId;
  term.line(`codex is ready (model: ${setup.description})`);
}
term.line(`thread ${threadId} on ${where} — ${values.attach ? "attached as another device" : values.resume ? "resumed" : "new"}`);
term.line("type a message · /interrupt stops a turn · /exit quits");

follower = new ThreadFollower(client, codex, threadId, term, { deviceId, pollMs: 100 });
await follower.start();
term.prompt();

async function onLine(line: string) {
  if (line === "/exit") return exit();
  if (line === "/interrupt") return interrupt();
  if (line === "" || line.startsWith("/")) {
    if (line) term.line("type a message for codex · /interrupt stops the running turn · /exit quits");
    return term.prompt();
  }
  if (!follower) return;
  if (follower.turnRunning) return term.line("codex is still working — /interrupt stops it");
  follower.sent(line);
  // Like any device: the turn is queued, and the runtime serving the thread runs it.
  await client
    .mutation(codex.registerTurnStart, { threadId, inputText: line, idempotencyKey: randomUUID(), deviceId })
    .catch((error: unknown) => term.line(`! ${(error as Error).message}`));
}

async function interrupt() {
  term.line("interrupting…");
  await client.mutation(codex.interruptActiveTurn, { threadId, deviceId }).catch((error: unknown) => term.line(`! ${(error as Error).message}`));
}

let exiting = false;
async function exit() {
  if (exiting) return;
  exiting = true;
  follower?.stop();
  term.line(runtime ? "bye — stopping codex (the conversation stays in Convex)" : "bye");
  term.close();
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  process.exit(0);
}
