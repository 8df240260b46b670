// `pnpm cli` driven through a pseudo-terminal as a person would: the REAL codex on the
// scripted model, nothing else (no Convex).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { spawnInPty, type PtyRun } from "./testing/pty.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let run: PtyRun | undefined;
afterAll(() => run?.pty.kill());

test("prompt, streamed reply, an approval answered at the prompt, /interrupt, /exit", async () => {
  run = spawnInPty(process.execPath, ["--conditions=@convex-dev/component-source", "--import", "tsx", "apps/cli/main.ts"], {
    cwd: root,
    env: { ...process.env, CONVEX_URL: "" },
  });
  await run.waitFor(/codex is ready \(model: scripted, on http:\/\/127\.0\.0\.1:\d+\/v1; thread \S+, not saved anywhere\)/);
  await run.waitFor(/› $/);
  run.type("Hello there");
  await run.waitFor(/› Hello there\nYou said: Hello there\n— turn completed\n› /);

  // Declined first: the command does not run, the turn goes on; then allowed.
  let mark = run.screen().length;
  run.type("[command] echo declined-run");
  await run.waitFor(/\? codex wants to run: .*echo declined-run.*\n {2}allow\? \[y\]es \/ \[n\]o \/ \[c\]ancel the turn: $/, { from: mark });
  run.type("maybe");
  await run.waitFor(/answer y \(allow\), n \(decline\) or c \(cancel the turn\): $/, { from: mark });
  run.type("n");
  await run.waitFor(/└ declined[\s\S]*— turn completed/, { from: mark });
  expect(run.screen().slice(mark)).not.toMatch(/│ declined-run/);

  mark = run.screen().length;
  run.type("[command] echo allowed-run");
  await run.waitFor(/allow\? /, { from: mark });
  run.type("y");
  await run.waitFor(/│ allowed-run\n {2}└ completed, exit code 0\nThe command finished\.\n— turn completed/, { from: mark });

  // A long reply, stopped from the prompt.
  mark = run.screen().length;
  run.type("[slow]");
  await run.waitFor(/(still going… ){3}/, { from: mark });
  run.type("/interrupt");
  await run.waitFor(/interrupting…[\s\S]*— turn interrupted\n› /, { from: mark });

  run.type("/exit");
  expect(await run.exited).toBe(0);
  expect(run.screen()).toMatch(/bye — stopping codex/);
}, 60_000);
