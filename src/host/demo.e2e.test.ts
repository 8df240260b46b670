// `pnpm demo` as a user runs it: a separate Node process, real codex, scripted model, the
// host runtime on the real ConvexClient over WebSocket. Without CONVEX_URL the demo starts
// the dev backend as its own process; with it, it writes to that deployment (here a dev
// backend this test runs, which it then reads back).
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { startDevBackend } from "../../apps/dev-backend/src/index.js";
import { chat, inProcessCaller } from "./testing/harness.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function runDemo(extraEnv: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  if (!extraEnv.CONVEX_URL) delete env.CONVEX_URL;
  const child = spawn(process.execPath, ["--conditions=@convex-dev/component-source", "--import", "tsx", "apps/demo/main.ts"], {
    cwd: root,
    env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((done) => child.on("close", (status) => done({ status, stdout, stderr })));
}

function expectConversation(stdout: string) {
  const readBack = stdout.slice(stdout.indexOf("── read back from the component"));
  expect(readBack).toContain("assistant [completed] Hi! I am codex");
  expect(readBack).toMatch(/command {3}\[completed\] .*echo hello from codex/);
  expect(readBack).toContain("approval: commandExecution, accepted from the phone");
  expect(readBack).toContain("exit code 0, output:");
  expect(readBack).toContain("| hello from codex");
}

test("pnpm demo runs a full turn and prints what it read back", async () => {
  const run = await runDemo({});
  expect(run.stderr).not.toMatch(/demo failed/);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/backend: the dev backend at http:\/\/127\.0\.0\.1:\d+ \(example app \+ codexLocal component on convex-test, its own process\)/);
  expectConversation(run.stdout);
}, 70_000);

test("pnpm demo with CONVEX_URL writes to that deployment through the Convex client", async () => {
  const backend = await startDevBackend();
  try {
    const run = await runDemo({ CONVEX_URL: backend.url, CONVEX_AUTH_TOKEN: backend.mintToken("remote-user") });
    expect(run.stderr).not.toMatch(/demo failed/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`backend: ${backend.url}`);
    expectConversation(run.stdout);
    // The deployment holds the conversation, under the token's user.
    const remote = inProcessCaller(backend, "remote-user");
    const threads = (await remote.query(chat.listThreads, { paginationOpts: { numItems: 5, cursor: null } })) as {
      page: Array<{ threadId: string }>;
    };
    expect(threads.page).toHaveLength(1);
    const state = (await remote.query(chat.threadState, { threadId: threads.page[0]!.threadId })) as {
      recentTurns: Array<{ status: string }>;
    };
    expect(state.recentTurns.map((t) => t.status)).toEqual(["completed", "completed"]);
  } finally {
    await backend.stop();
  }
}, 70_000);
