/**
 * `codex app-server` as a child process, exposed as a `LineTransport` over its stdin/stdout.
 * stderr is passed to a callback line by line (codex logs there; it is not protocol).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { DEFAULT_MAX_LINE_LENGTH } from "../protocol/index.js";
import { LineSplitter, type LineTransport } from "./transport.js";

export type SpawnAppServerOptions = {
  /** Executable; e.g. `node_modules/.bin/codex`. */
  command: string;
  /** Default `["app-server"]`. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onStderrLine?: (line: string) => void;
  maxLineLength?: number;
};

export type AppServerProcess = {
  transport: LineTransport;
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code (or signal) once the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Closes stdin and, if the child lingers, terminates it. Resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
};

export function spawnAppServer(options: SpawnAppServerOptions): AppServerProcess {
  const child = spawn(options.command, options.args ?? ["app-server"], {
    env: options.env,
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const transport = childTransport(child, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  if (options.onStderrLine) {
    const stderr = new LineSplitter(options.onStderrLine, 64 * 1024);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => stderr.push(chunk));
    child.stderr.on("end", () => stderr.flush());
  } else {
    child.stderr.resume();
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", () => resolve({ code: null, signal: null }));
  });
  return {
    transport,
    child,
    exited,
    async stop(graceMs = 2_000) {
      transport.close();
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A `LineTransport` over an already running child's stdio. */
export function childTransport(child: ChildProcessWithoutNullStreams, maxLineLength = DEFAULT_MAX_LINE_LENGTH): LineTransport {
  let lineListener: ((line: string) => void) | undefined;
  const closeListeners: Array<(reason?: Error) => void> = [];
  let closed = false;
  const fireClose = (reason?: Error) => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(reason);
  };
  const splitter = new LineSplitter((line) => lineListener?.(line), maxLineLength);
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => splitter.push(chunk));
  child.stdout.on("end", () => splitter.flush());
  child.stdin.on("error", (error) => fireClose(error));
  child.once("error", (error) => fireClose(error));
  child.once("close", (code, signal) =>
    fireClose(code === 0 ? undefined : new Error(`codex app-server exited (${signal ?? `code ${code}`})`)),
  );
  return {
    send(line) {
      if (closed || child.stdin.destroyed) throw new Error("codex app-server stdin is closed");
      child.stdin.write(line + "\n");
    },
    onLine(listener) {
      lineListener = listener;
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    close() {
      child.stdin.end();
    },
  };
}
