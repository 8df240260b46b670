/**
 * How a command cell reads to a person: the command as typed (codex runs everything as
 * `bash -lc '<command>'`; the wrapper is noise), a status word instead of codex's enum, and
 * durations the way codex's status line prints them.
 */
import type { ExecCall } from "./reduceConversation.js";

const SHELL_WRAPPER = /^(?:(?:\/usr)?\/bin\/)?(?:ba|z|da|k)?sh\s+-(?:l?c|cl)\s+([\s\S]+)$/;

/** The single shell word `word` stands for, if it is exactly one quoted word. */
function unquoteShellWord(word: string): string | undefined {
  if (/^'(?:[^']|'\\'')*'$/.test(word)) {
    // POSIX single quotes; `'\''` is how a quote is written inside them.
    return word.slice(1, -1).replaceAll("'\\''", "'");
  }
  if (/^"(?:[^"\\]|\\.)*"$/.test(word)) return word.slice(1, -1).replace(/\\(["\\$`])/g, "$1");
  return undefined;
}

/** `/bin/bash -lc 'echo hi'` → `echo hi`; anything else as is. */
export function displayCommand(command: string): string {
  const m = SHELL_WRAPPER.exec(command.trim());
  if (!m) return command;
  const arg = m[1]!.trim();
  return unquoteShellWord(arg) ?? arg;
}

/**
 * A command's state in words: Waiting for approval, Running / Exploring, Ran / Explored,
 * Failed, Declined, Interrupted.
 */
export function commandStatusWord(call: Pick<ExecCall, "done" | "exitCode" | "status" | "exploring" | "awaitingApproval">): string {
  if (!call.done) return call.awaitingApproval ? "Waiting for approval" : call.exploring ? "Exploring" : "Running";
  switch (call.status) {
    case "declined":
      return "Declined";
    case "interrupted":
      return "Interrupted";
    case "failed":
      return "Failed";
  }
  if (call.exitCode !== undefined && call.exitCode !== 0) return "Failed";
  if (call.exitCode === undefined && call.status === undefined) return "Stopped";
  return call.exploring ? "Explored" : "Ran";
}

/** Whole seconds as `42s`, `1m 05s`, `1h 02m 03s`. */
function hms(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** `12ms`, `3.2s`, `42s`, `1m 05s`, `1h 02m 03s`. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 1_000) return `${Math.round(safe)}ms`;
  if (safe < 10_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  return hms(Math.floor(safe / 1000));
}

/** The running turn's clock, whole seconds as codex shows it: `0s`, `42s`, `1m 05s`. */
export function formatElapsed(ms: number): string {
  return hms(Math.floor(Math.max(0, ms) / 1000));
}
