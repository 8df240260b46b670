/**
 * Runs `codex-local` from source as a separate process (what `npx codex-local` runs once
 * built) and follows its output line by line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export type CliRun = {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (or stderr), polling. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
};

/** `installed`: run an installed `codex-local` (e.g. `node_modules/.bin/codex-local`) instead, from `cwd`. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, installed?: { command: string; cwd: string }): CliRun {
  const fullEnv = { ...process.env, CONVEX_URL: "", CONVEX_AUTH_TOKEN: "", ...env };
  const child = installed
    ? spawn(installed.command, args, { cwd: installed.cwd, env: fullEnv })
    : spawn(process.execPath, ["--conditions=@convex-dev/component-source", "--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, env: fullEnv });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = out.match(pattern) ?? err.match(pattern);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`no ${pattern} in the output (exit ${child.exitCode}):\n${out}\n--- stderr ---\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
