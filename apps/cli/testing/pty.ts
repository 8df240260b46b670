/**
 * Drives a terminal program through a real pseudo-terminal (node-pty), as a person at a
 * keyboard would: what it prints (ANSI escapes stripped), keys typed, Ctrl-C.
 */
import { spawn, type IPty } from "@lydell/node-pty";

export type PtyRun = {
  pty: IPty;
  /** Everything printed so far, without escape sequences. */
  screen(): string;
  /** Types `text` and Enter. */
  type(text: string): void;
  /** Resolves with the first match of `pattern` printed after `from` (an offset in `screen()`). */
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<RegExpMatchArray>;
  exited: Promise<number>;
};

// eslint-disable-next-line no-control-regex -- terminal escape sequences start with ESC
const ansi = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\u001b[=>]|\r/g;

export function spawnInPty(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): PtyRun {
  const pty = spawn(command, args, { cwd: options.cwd, env: options.env as Record<string, string>, cols: 160, rows: 50, name: "xterm" });
  let raw = "";
  pty.onData((data) => (raw += data));
  let exitCode: number | undefined;
  const exited = new Promise<number>((resolve) =>
    pty.onExit(({ exitCode: code }) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const screen = () => raw.replace(ansi, "");
  return {
    pty,
    screen,
    type: (text) => pty.write(`${text}\r`),
    exited,
    async waitFor(pattern, { from = 0, timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = screen().slice(from).match(pattern);
        if (match) return match;
        if (exitCode !== undefined || Date.now() > deadline) {
          throw new Error(`no ${pattern} on the screen (exit ${exitCode ?? "-"}):\n${screen().slice(from)}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
