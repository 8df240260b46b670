// `codex-local bridge` as a user runs it: a separate process, the REAL codex binary on the
// scripted model, against a deployment URL on 127.0.0.1 running the example app.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveCodexBinary } from "../bridge/index.js";
import { chat, waitFor } from "../host/testing/harness.js";
import { prepareScriptedCodexHome, startScriptedModelServer, type CodexLaunch, type ScriptedModelServer } from "../scripted-model/index.js";
import { BRIDGE_OPTION_NAMES, BRIDGE_HELP } from "./bridgeOptions.js";
import { startLocalDeployment, type LocalDeployment } from "./testing/localDeployment.js";
import { spawnCli } from "./testing/spawnCli.js";

let model: ScriptedModelServer;
let launch: CodexLaunch;
let deployment: LocalDeployment;
let cwd: string;
let home: string;

beforeAll(async () => {
  model = await startScriptedModelServer();
  launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
  deployment = await startLocalDeployment();
  cwd = mkdtempSync(join(tmpdir(), "bridge-cli-cwd-"));
  home = mkdtempSync(join(tmpdir(), "bridge-cli-home-"));
});

afterAll(async () => {
  await deployment?.close();
  await model?.close();
  launch?.cleanup();
  rmSync(cwd, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

/** The bridge on the scripted codex, signed in as `subject` (`null`: no --token). */
function bridge(subject: string | null, extra: string[] = []) {
  return spawnCli(
    [
      "bridge",
      "--url",
      deployment.url,
      ...(subject === null ? [] : ["--token", deployment.tokenFor(subject)]),
      "--codex",
      resolveCodexBinary(),
      "--cwd",
      cwd,
      "--device-id",
      "laptop",
      "--approval-policy",
      "untrusted",
      ...extra,
    ],
    { CODEX_HOME: launch.codexHome, RUST_LOG: "warn", HOME: home },
  );
}

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe("codex-local bridge", () => {
  test("--help documents every option", async () => {
    const run = spawnCli(["bridge", "--help"]);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe(BRIDGE_HELP);
    for (const name of BRIDGE_OPTION_NAMES) expect(BRIDGE_HELP, name).toContain(`--${name}`);
    expect(BRIDGE_HELP).toMatch(/CONVEX_URL/);
    expect(BRIDGE_HELP).toMatch(/Ctrl-C/);
  });

  test("runs a device's turn and its approval, prints each command, and Ctrl-C stops codex after flushing", async () => {
    const run = bridge("alice");
    try {
      await run.waitFor(/^ready/m);
      const threadId = (await run.waitFor(/● thread (\S+) \(new\)/))[1]!;
      expect(run.stdout()).toMatch(/● signed in as \S*alice \(tenant default\)/);
      expect(run.stdout()).toMatch(/● codex running \(pid \d+/);
      const phone = deployment.as("alice");

      // A turn from another device that makes codex ask before running a command.
      await phone.mutation(chat.registerTurnStart, { threadId, inputText: "[command] echo bridged", idempotencyKey: "k1", deviceId: "phone" });
      await run.waitFor(new RegExp(`→ startTurn in ${threadId}: "\\[command\\] echo bridged"`));
      const turnId = (await run.waitFor(/✓ startTurn → turn (\S+)/))[1]!;
      const [approval] = await waitFor(
        () => phone.query(chat.pendingApprovals, { threadId }),
        (list) => list.length === 1,
      );
      await phone.mutation(chat.approvalRespond, { threadId, turnId, itemId: approval!.itemId, decision: "accepted", deviceId: "phone" });
      await run.waitFor(/→ respondServerRequest \S+ in \S+: \{"decision":"accept"\}/);
      const done = await waitFor(
        () => phone.query(chat.threadState, { threadId }),
        (s) => s.recentTurns.some((t) => t.turnId === turnId && t.status === "completed"),
      );
      expect(done.activeTurn).toBeNull();
      const items = await phone.query(chat.threadItems, { threadId, turnId });
      const command = items.find((i) => i.details.type === "commandExecution");
      expect(command?.details).toMatchObject({ exitCode: 0 });

      // A long reply, stopped with Ctrl-C mid-stream: what codex streamed so far is flushed,
      // and the turn is recorded interrupted (not left running).
      await phone.mutation(chat.registerTurnStart, { threadId, inputText: "[slow]", idempotencyKey: "k2" });
      const slowTurn = (await run.waitFor(/✓ startTurn → turn \S+[\s\S]*✓ startTurn → turn (\S+)/))[1]!;
      expect(slowTurn).not.toBe(turnId);
      await new Promise((r) => setTimeout(r, 600));
      run.child.kill("SIGINT");
      expect(await run.exited).toBe(0);
      expect(run.stdout()).toMatch(/stopping: codex, then flushing/);
      expect(run.stdout()).toMatch(/● stopped \(3 commands run\)/);
      const after = await phone.query(chat.threadState, { threadId });
      expect(after.activeTurn).toBeNull();
      expect(after.recentTurns.find((t) => t.turnId === slowTurn)?.status).toBe("interrupted");
      const page = await phone.query(chat.threadMessages, { threadId, paginationOpts: { numItems: 10, cursor: null } });
      const partial = page.page.find((m) => m.turnId === slowTurn && m.role === "assistant");
      expect(partial?.text.length).toBeGreaterThan(0);
    } finally {
      run.child.kill("SIGKILL");
    }
  }, 90_000);

  test("a missing codex, an unreachable deployment, missing wrappers, a refused token, no token, a failed login: each fails clearly, exit 1", async () => {
    const noCodex = bridge("bob", ["--codex", join(cwd, "no-such-codex")]);
    expect(await noCodex.exited).toBe(1);
    expect(noCodex.stderr()).toMatch(/✗ codex was not found at .*no-such-codex\n {2}install it/);

    const closedPort = await freePort();
    const unreachable = spawnCli(["bridge", "--url", `http://127.0.0.1:${closedPort}`, "--token", "bob"]);
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.stderr()).toContain(`✗ cannot reach the deployment at http://127.0.0.1:${closedPort} (ECONNREFUSED)`);

    const noWrappers = bridge("bob", ["--module", "nosuch"]);
    expect(await noWrappers.exited).toBe(1);
    expect(noWrappers.stderr()).toMatch(/✗ the deployment has no codex host API \(nosuch:whoami not found\)\n {2}export the wrappers from convex\/nosuch\.ts/);

    const refused = bridge(null, ["--token", deployment.expiredToken("bob")]);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toMatch(/✗ the deployment refused the token: \{"code":"Unauthenticated".*expired/);

    const anonymous = bridge(null);
    expect(await anonymous.exited).toBe(1);
    expect(anonymous.stderr()).toMatch(/✗ no identity: the host API needs a signed-in user\n {2}pass the user's token with --token/);

    const failedLogin = bridge(null, ["--token-command", "echo 'no session, run login first' >&2; exit 3"]);
    failedLogin.child.stdin.end();
    expect(await failedLogin.exited).toBe(1);
    expect(failedLogin.stderr()).toMatch(/✗ the token command failed \(exit 3\): no session, run login first/);

    const noUrl = spawnCli(["bridge"]);
    expect(await noUrl.exited).toBe(2);
    expect(noUrl.stderr()).toMatch(/no deployment: pass --url <url> or set CONVEX_URL/);
  }, 60_000);

  test("--poll: a lapsed token is refreshed (after a refusal, before expiry) and turns keep running; a lapsed fixed token is said", async () => {
    const tokenFile = join(home, "poll-token");
    /** What the login command (`cat`) prints from now on. */
    const loginGives = (expiresInSeconds: number, n: number) => {
      const value = deployment.backend.mintToken({ subject: "erin", expiresInSeconds, claims: { n } });
      writeFileSync(tokenFile, value);
      return value;
    };
    const phone = deployment.as("erin");
    const turnCompletes = async (threadId: string, n: number) => {
      await phone.mutation(chat.registerTurnStart, { threadId, inputText: `turn ${n}`, idempotencyKey: `erin-${n}` });
      await waitFor(
        () => phone.query(chat.threadState, { threadId }),
        (s) => s.recentTurns.length === n && s.recentTurns.every((t) => t.status === "completed"),
      );
    };
    const first = loginGives(3600, 1);
    const run = bridge(null, ["--poll", "--poll-ms", "100", "--token-command", `cat ${tokenFile}`]);
    try {
      const threadId = (await run.waitFor(/● thread (\S+) \(new\)/))[1]!;
      await run.waitFor(/^ready/m);
      // The provider revokes the token: the next call is refused, the login command gives another.
      const shortLived = loginGives(6, 2);
      deployment.backend.testing.revokeToken(first);
      await run.waitFor(/● token refreshed \(the deployment refused the old one\)/, 5_000);
      loginGives(3600, 3);
      await turnCompletes(threadId, 1);
      // The one it got lives 6 s: it is replaced 3 s before it expires, never refused.
      await run.waitFor(/● token refreshed \(before it expired\)/, 6_000);
      deployment.backend.testing.revokeToken(shortLived);
      await turnCompletes(threadId, 2);
      expect(run.stdout().match(/● token refreshed/g)).toHaveLength(2);
      expect(run.stderr()).not.toMatch(/E_UNAUTHENTICATED/);
    } finally {
      run.child.kill("SIGKILL");
    }

    const fixed = deployment.tokenFor("erin");
    const stuck = bridge(null, ["--poll", "--poll-ms", "100", "--token", fixed, "--thread", "none"]);
    try {
      await stuck.waitFor(/^ready/m);
      deployment.backend.testing.revokeToken(fixed);
      await stuck.waitFor(/! E_UNAUTHENTICATED: the deployment refused the token, and a fixed --token cannot be refreshed/);
      await new Promise((r) => setTimeout(r, 500));
      expect(stuck.child.exitCode).toBeNull();
      expect(stuck.stderr().match(/! E_UNAUTHENTICATED/g)).toHaveLength(1);
      // The poll keeps being refused (every 100 ms): said once, not once per poll.
      expect(stuck.stderr().match(/! pending commands subscription: E_UNAUTHENTICATED: the deployment refused the token/g)).toHaveLength(1);
    } finally {
      stuck.child.kill("SIGKILL");
    }
  }, 60_000);

  test("--token-command is the login flow: its token is the user, and --thread resumes a thread", async () => {
    const first = bridge(null, ["--token-command", `printf '%s\\n' ${deployment.tokenFor("carol")}`, "--thread", "new"]);
    let threadId: string;
    try {
      threadId = (await first.waitFor(/● thread (\S+) \(new\)/))[1]!;
      await first.waitFor(/^ready/m);
      // codex keeps a thread on disk once it had a turn: only then can it be resumed.
      await deployment.as("carol").mutation(chat.registerTurnStart, { threadId, inputText: "hello", idempotencyKey: "c1" });
      await first.waitFor(/✓ startTurn → turn/);
      await waitFor(
        () => deployment.as("carol").query(chat.threadState, { threadId }),
        (s) => s.recentTurns[0]?.status === "completed",
      );
      first.child.kill("SIGINT");
      expect(await first.exited).toBe(0);
    } finally {
      first.child.kill("SIGKILL");
    }
    expect(first.stdout()).toMatch(/signed in as \S*carol /);
    const threads = await deployment.as("carol").query(chat.listThreads, { paginationOpts: { numItems: 10, cursor: null } });
    expect(threads.page.map((t) => t.threadId)).toContain(threadId);

    const again = bridge("carol", ["--thread", threadId]);
    try {
      await again.waitFor(new RegExp(`● thread ${threadId} \\(resumed\\)`));
      await again.waitFor(/^ready/m);
      // The resumed thread takes turns again, and the history is the same thread's.
      await deployment.as("carol").mutation(chat.registerTurnStart, { threadId, inputText: "again", idempotencyKey: "c2" });
      await waitFor(
        () => deployment.as("carol").query(chat.threadState, { threadId }),
        (s) => s.recentTurns.length === 2 && s.recentTurns.every((t) => t.status === "completed"),
      );
      await again.waitFor(/^ready/m);
      again.child.kill("SIGINT");
      expect(await again.exited).toBe(0);
    } finally {
      again.child.kill("SIGKILL");
    }
  }, 60_000);
});
