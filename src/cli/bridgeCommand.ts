/**
 * `codex-local bridge`: the host runtime in `codex+replica` mode, as a command. It checks the
 * deployment first (reachable, token accepted, host API deployed), then starts codex, opens
 * the thread it was asked for and serves the command queue until Ctrl-C, printing what
 * happens: connection state, threads served, every command run and how it ended.
 */
import { createCodexHostRuntime, createConvexPersistence, hostFunctionReferences } from "../host/index.js";
import type { CodexPersistence, PendingCommand } from "../host/index.js";
import type { BridgeOptions } from "./bridgeOptions.js";
import { checkDeployment, connect, tokenSource } from "./deployment.js";
import { BridgeStartError, explainCodexError, explainDeploymentError } from "./explain.js";
import { errorCodeOf } from "../contract/errors.js";

export type BridgeIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the user asks to stop (Ctrl-C; a second one is main.ts's to handle). */
  stopRequested: Promise<void>;
};

/** Runs until stopped; resolves with the process exit code. */
export async function runBridge(options: BridgeOptions, io: BridgeIo): Promise<number> {
  const { out } = io;
  const fail = (error: BridgeStartError) => {
    io.err(`✗ ${error.message}`);
    io.err(`  ${error.hint}`);
    return 1;
  };
  out(`codex-local bridge → ${options.url} (module ${options.module}, device ${options.deviceId})`);

  const warn = foldRepeats(io.err);
  const fetchToken = tokenSource(options.token);
  let token: string | undefined;
  let actor: Awaited<ReturnType<typeof checkDeployment>>;
  try {
    token = await fetchToken();
    actor = await checkDeployment(options, token);
  } catch (error) {
    return fail(error instanceof BridgeStartError ? error : explainDeploymentError(error, { ...options, hasToken: token !== undefined }));
  }
  out(`● signed in as ${actor.userId} (tenant ${actor.tenantId})`);

  const connection = connect(options, () => fetchToken(), token);
  connection.onConnectionChange((connected) => out(connected ? "● connected" : "● connection lost — reconnecting"));
  connection.onAuthLost((why) => io.err(`! E_UNAUTHENTICATED: ${why} — commands and events wait (nothing is dropped) until it accepts one`));
  connection.onTokenRefreshed((why) => out(`● token refreshed (${why === "refused" ? "the deployment refused the old one" : "before it expired"})`));
  const persistence = printing(
    createConvexPersistence({ client: connection.client, deviceId: options.deviceId, functions: hostFunctionReferences(options.module), pollMs: options.pollMs }),
    out,
  );
  const runtime = createCodexHostRuntime({
    mode: "codex+replica",
    persistence,
    deviceId: options.deviceId,
    bridge: { ...(options.codexBin ? { codexBin: options.codexBin } : {}), cwd: options.cwd, restart: { maxRestarts: 3 } },
    thread: { cwd: options.cwd, approvalPolicy: options.approvalPolicy, sandbox: options.sandbox, ...(options.model ? { model: options.model } : {}) },
    onError: (error, context) => warn(`! ${context}: ${describeError(error)}`),
    onEvent: ({ event, threadId }) => {
      if (event.type !== "lifecycle_event" || event.kind !== "turn/completed") return;
      const { turn } = JSON.parse(event.payloadJson) as { turn: { id: string; status: string; error?: { message?: string } | null } };
      out(`● turn ${turn.id} ${turn.status} in ${threadId}${turn.error?.message ? `: ${turn.error.message}` : ""}`);
    },
  });

  const started = Date.now();
  try {
    await runtime.connect();
  } catch (error) {
    await connection.close();
    const message = (error as Error).message ?? "";
    return fail(/backend session/.test(message) ? explainDeploymentError((error as Error).cause ?? error, { ...options, hasToken: token !== undefined }) : explainCodexError(error, options.codexBin));
  }
  const pid = runtime.bridge.child?.pid;
  out(`● codex running (pid ${pid ?? "?"}, ${Date.now() - started} ms) in ${options.cwd} — approvals ${options.approvalPolicy}, sandbox ${options.sandbox}`);
  let session = runtime.sessionId;
  out(`● session ${session} — serving commands over ${connection.transport}`);

  const gaveUp = new Promise<void>((resolve) =>
    runtime.subscribeLifecycle((state) => {
      if (state.phase === "error") {
        io.err(`! codex stopped: ${state.lastError ?? "unknown reason"}`);
        if (!runtime.bridge.isRunning) setTimeout(() => (!runtime.bridge.isRunning ? resolve() : undefined), 5_000).unref();
      } else if (state.phase === "running" && runtime.sessionId !== session) {
        session = runtime.sessionId;
        out(`● codex restarted — session ${session}`);
      }
    }),
  );

  try {
    if (options.thread === "new") {
      const { threadId } = await runtime.openThread({ mode: "start" });
      out(`● thread ${threadId} (new) — send turns to it from any device`);
    } else if (options.thread !== "none") {
      const { threadId } = await runtime.openThread({ mode: "resume", threadId: options.thread });
      out(`● thread ${threadId} (resumed)`);
    }
  } catch (error) {
    io.err(`✗ could not open thread ${options.thread}: ${(error as Error).message}`);
    await runtime.stop();
    await connection.close();
    return 1;
  }
  out("ready — Ctrl-C to stop");

  const reason = await Promise.race([io.stopRequested.then(() => "stop" as const), gaveUp.then(() => "codex" as const)]);
  out(reason === "stop" ? "stopping: codex, then flushing events to the deployment…" : "codex cannot be restarted; stopping");
  await runtime.stop();
  await connection.close();
  out(`● stopped (${persistence.commandsRun} command${persistence.commandsRun === 1 ? "" : "s"} run)`);
  return reason === "stop" ? 0 : 1;
}

/** A coded error as `CODE: message`, anything else by its message. */
function describeError(error: unknown): string {
  const code = errorCodeOf(error);
  const message = (error as { data?: { message?: unknown } } | null)?.data?.message;
  if (code !== undefined && typeof message === "string") return `${code}: ${message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Prints a line, but the same line at most once a minute (a poll refused every 500 ms would
 * bury everything else); the next print says how often it came meanwhile.
 */
function foldRepeats(print: (line: string) => void, windowMs = 60_000): (line: string) => void {
  const seen = new Map<string, { at: number; repeats: number }>();
  return (line) => {
    const now = Date.now();
    const last = seen.get(line);
    if (last && now - last.at < windowMs) {
      last.repeats++;
      return;
    }
    if (seen.size > 200) seen.clear();
    seen.set(line, { at: now, repeats: 0 });
    print(last?.repeats ? `${line} (and ${last.repeats} times more in the last minute)` : line);
  };
}

/** The persistence port, printing the threads it serves and each command it runs. */
function printing(port: CodexPersistence, out: (line: string) => void): CodexPersistence & { commandsRun: number } {
  const pending = new Map<string, PendingCommand>();
  const running = new Map<string, PendingCommand>();
  const served = new Set<string>();
  const serve = (threadId: string, how: string) => {
    if (served.has(threadId)) return;
    served.add(threadId);
    out(`● serving thread ${threadId}${how}`);
  };
  const wrapped = {
    ...port,
    commandsRun: 0,
    async ensureThread(args: Parameters<CodexPersistence["ensureThread"]>[0]) {
      await port.ensureThread(args);
      served.add(args.threadId);
    },
    watchPendingCommands(...[args, listener, onError]: Parameters<CodexPersistence["watchPendingCommands"]>) {
      return port.watchPendingCommands(
        args,
        (commands) => {
          pending.clear();
          for (const command of commands) pending.set(command._id, command);
          listener(commands);
        },
        onError,
      );
    },
    async claimCommand(args: Parameters<CodexPersistence["claimCommand"]>[0]) {
      // Read before the claim: once claimed, the next update of the queue no longer lists it.
      const command = pending.get(args.commandId);
      await port.claimCommand(args);
      if (!command) return;
      running.set(args.commandId, command);
      // A new thread's id is codex's, known once it ran (below).
      if (command.threadId && command.kind !== "startThread") serve(command.threadId, " (a device sent it a turn)");
      out(`→ ${describe(command)}`);
    },
    async completeCommand(args: Parameters<CodexPersistence["completeCommand"]>[0]) {
      await port.completeCommand(args);
      const command = running.get(args.commandId);
      running.delete(args.commandId);
      wrapped.commandsRun++;
      const what = command?.kind ?? "command";
      if (args.error === undefined && args.threadId) serve(args.threadId, " (a device started it)");
      const steered = args.steered ? " (codex folded it into the running turn)" : "";
      const result = args.turnId ? ` → turn ${args.turnId}` : args.threadId ? ` → thread ${args.threadId}` : "";
      out(args.error !== undefined ? `✗ ${what} failed: ${args.error}` : `✓ ${what}${result}${steered}`);
    },
  };
  return wrapped;
}

function describe(command: PendingCommand): string {
  const text = (command.input ?? []).map((i) => ("text" in i ? i.text : `[${i.type}]`)).join(" ");
  const quoted = text.length > 72 ? `"${text.slice(0, 71)}…"` : `"${text}"`;
  switch (command.kind) {
    case "startTurn":
      return `startTurn in ${command.threadId}: ${quoted}`;
    case "steerTurn":
      return `steerTurn in ${command.threadId}: ${quoted}`;
    case "interruptTurn":
      return `interruptTurn in ${command.threadId}${command.turnId ? ` (turn ${command.turnId})` : ""}`;
    case "respondServerRequest":
      return `respondServerRequest ${String(command.requestId)} in ${command.threadId}: ${command.responseJson ?? ""}`;
    case "startThread":
      return "startThread (a device asked for a new thread)";
    case "renameThread":
      return `renameThread ${command.threadId}: "${command.name ?? ""}"`;
    case "forkThread":
      return `forkThread ${command.threadId}${command.turnId ? ` through turn ${command.turnId}` : ""}`;
    case "rollbackThread":
      return `rollbackThread ${command.threadId} to before turn ${command.turnId}`;
    case "archiveThread":
    case "unarchiveThread":
    case "compactThread":
      return `${command.kind} ${command.threadId}`;
  }
}
