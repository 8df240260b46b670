// `pnpm cli:persistent` driven through a pseudo-terminal as a person would, against a
// deployment URL on 127.0.0.1 running the example app, with the REAL codex on the scripted
// model: history, resume by id, a running reply replayed on a second terminal, approvals
// answered from another device.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startLocalDeployment, type LocalDeployment } from "../../src/cli/testing/localDeployment.js";
import { chat, waitFor } from "../../src/host/testing/harness.js";
import { spawnInPty, type PtyRun } from "../cli/testing/pty.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let deployment: LocalDeployment;
let codexHome: string;
const runs: PtyRun[] = [];

beforeAll(async () => {
  deployment = await startLocalDeployment();
  codexHome = mkdtempSync(join(tmpdir(), "persistent-cli-codex-"));
});
afterAll(async () => {
  for (const run of runs) run.pty.kill();
  await deployment?.close();
  rmSync(codexHome, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
});

function cli(args: string[]) {
  const run = spawnInPty(
    process.execPath,
    ["--conditions=@convex-dev/component-source", "--import", "tsx", "apps/persistent-cli/main.ts", "--url", deployment.url, "--token", deployment.tokenFor("erin"), ...args],
    { cwd: root, env: { ...process.env, CONVEX_URL: "", CONVEX_AUTH_TOKEN: "" } },
  );
  runs.push(run);
  return run;
}

test("a conversation kept in Convex: approvals from another device, a running reply replayed on a second terminal, resumed by id", async () => {
  const first = cli(["--codex-home", codexHome]);
  const threadId = (await first.waitFor(/thread (\S+) on .* — new/))[1]!;
  await first.waitFor(/› $/);
  first.type("Hello, persistent codex");
  await first.waitFor(/You said: Hello, persistent codex\n— turn completed/);

  // codex asks before running a command; the answer comes from the phone, not this terminal.
  let mark = first.screen().length;
  first.type("[command] echo from the phone");
  await first.waitFor(/\? codex wants to run: .*echo from the phone/, { from: mark });
  const phone = deployment.as("erin");
  const [approval] = await waitFor(() => phone.query(chat.pendingApprovals, { threadId }), (list) => list.length === 1);
  await phone.mutation(chat.approvalRespond, { threadId, turnId: approval!.turnId, itemId: approval!.itemId, decision: "accepted", deviceId: "phone" });
  await first.waitFor(/answered on another device: accepted \(phone\)/, { from: mark });
  await first.waitFor(/The command finished\.\n— turn completed/, { from: mark });

  // A long reply; a second terminal attaches mid-stream: history, then the reply from its start.
  mark = first.screen().length;
  first.type("[slow]");
  await first.waitFor(/still going…/, { from: mark });
  const second = cli(["--attach", threadId]);
  await second.waitFor(/attached as another device/);
  await second.waitFor(/── history \(\d+ messages\)[\s\S]*You said: Hello, persistent codex[\s\S]*The command finished\./);
  await second.waitFor(/── replaying the running reply from its start\n(› )?(still going… ){3}/);
  // Its interrupt goes through Convex to the first terminal's codex.
  second.type("/interrupt");
  await first.waitFor(/— turn interrupted/, { from: mark });
  await second.waitFor(/— turn interrupted/);
  second.type("/exit");
  expect(await second.exited).toBe(0);
  first.type("/exit");
  expect(await first.exited).toBe(0);
  expect(first.screen()).toMatch(/the conversation stays in Convex/);

  // A new process resumes the thread by id: the history is printed, and the next turn runs.
  const again = cli(["--codex-home", codexHome, "--resume", threadId]);
  await again.waitFor(new RegExp(`thread ${threadId} on .* — resumed`));
  await again.waitFor(/── history \(\d+ messages\)[\s\S]*You said: Hello, persistent codex[\s\S]*(still going… )+/);
  mark = again.screen().length;
  again.type("after the restart");
  await again.waitFor(/You said: after the restart\n— turn completed/, { from: mark });
  again.type("/exit");
  expect(await again.exited).toBe(0);
  const state = await phone.query(chat.threadState, { threadId });
  expect(state.recentTurns.map((t) => t.status)).toEqual(["completed", "interrupted", "completed", "completed"]);
}, 120_000);
