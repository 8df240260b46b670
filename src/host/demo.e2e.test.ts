// `pnpm demo` as a user runs it: a separate Node process, real codex, scripted model,
// component in process. It must exit 0 and print the conversation it read back.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

test("pnpm demo runs a full turn and prints what it read back", () => {
  const env = { ...process.env };
  delete env.CONVEX_URL;
  const run = spawnSync(process.execPath, ["--conditions=@convex-dev/component-source", "--import", "tsx", "apps/demo/main.ts"], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.stderr).not.toMatch(/demo failed/);
  expect(run.status).toBe(0);
  const readBack = run.stdout.slice(run.stdout.indexOf("── read back from the component"));
  expect(readBack).toContain("assistant [completed] Hi! I am codex");
  expect(readBack).toMatch(/command {3}\[completed\] .*echo hello from codex/);
  expect(readBack).toContain("approval: commandExecution, accepted from the phone");
  expect(readBack).toContain("exit code 0, output:");
  expect(readBack).toContain("| hello from codex");
}, 70_000);
