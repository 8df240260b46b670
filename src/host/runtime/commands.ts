/**
 * The control plane, machine side: commands any device queued are taken up one at a time,
 * oldest first. Each is checked runnable HERE (a thread this codex has, a request this codex
 * asked), then CLAIMED — the component lets exactly one claimer win, so exactly one runtime
 * runs it — then run against codex and reported with codex's turnId or the error.
 */
import {
  buildThreadReadRequest,
  buildThreadResumeRequest,
  buildTurnInterruptRequest,
  buildTurnStartRequest,
  buildTurnSteerRequest,
} from "../../app-server/index.js";
import type { CodexLocalBridge } from "../../bridge/index.js";
import { SerialQueue } from "../../bridge/serialQueue.js";
import type { CodexPersistence, PendingCommand } from "../persistence/port.js";
import { toCodexInput } from "../turnInput.js";
import { answerHeld, markStarted, type Session } from "./session.js";

export type CommandRunnerDeps = {
  bridge: CodexLocalBridge;
  persistence: CodexPersistence;
  /** The session of the running codex (commands of an older one are not taken up). */
  currentSession: () => Session | undefined;
  report: (error: unknown, context: string) => void;
  /** Called after a thread was resumed to run a command (the runtime backfills it). */
  onResumed?: (s: Session, threadId: string) => Promise<unknown>;
  /** Starts a new codex thread for a device's `startThread` command; resolves with its id. */
  startThread?: (s: Session) => Promise<string>;
};

export function createCommandRunner({ bridge, persistence, currentSession, report, onResumed, startThread }: CommandRunnerDeps) {
  /**
   * Commands taken up and not finished, per session id: a repeated delivery must not start
   * them twice. A renewed session may take up again what its retired predecessor could not
   * claim (the claim, not this set, is what makes a command run once).
   */
  const seen = new Set<string>();
  const queue = new SerialQueue((error) => report(error, "command"));

  async function canRun(s: Session, command: PendingCommand): Promise<boolean> {
    if (command.kind === "respondServerRequest") return command.targetSessionId === s.sessionId;
    // Any host of this user can start a thread (the first to claim it does).
    if (command.kind === "startThread") return startThread !== undefined;
    if (s.loadedThreads.has(command.threadId)) return true;
    if (command.kind !== "startTurn") return false; // a running turn lives where it was started
    try {
      await bridge.request(buildThreadReadRequest(command.threadId, false));
      return true; // codex has the thread on this machine: it can resume it
    } catch {
      return false; // a thread of another machine: leave it queued for that machine's runtime
    }
  }

  async function ensureLoaded(s: Session, threadId: string) {
    if (s.loadedThreads.has(threadId)) return;
    await bridge.request(buildThreadResumeRequest({ threadId }));
    s.loadedThreads.add(threadId);
    await onResumed?.(s, threadId);
  }

  /** Runs one claimed command; returns the codex turn a startTurn started, or the thread a startThread did. */
  async function execute(s: Session, command: PendingCommand): Promise<{ turnId?: string; threadId?: string }> {
    switch (command.kind) {
      case "startThread":
        return { threadId: await startThread!(s) };
      case "startTurn": {
        await ensureLoaded(s, command.threadId);
        const { turn } = await bridge.request(
          buildTurnStartRequest({ threadId: command.threadId, input: toCodexInput(command.input ?? []) }),
        );
        markStarted(s, command.threadId, turn.id);
        return { turnId: turn.id };
      }
      case "steerTurn": {
        const turnId = command.turnId ?? s.activeTurns.get(command.threadId);
        if (!turnId) throw new Error(`no running turn in thread ${command.threadId} to steer`);
        await bridge.request(buildTurnSteerRequest(command.threadId, turnId, toCodexInput(command.input ?? [])));
        return {};
      }
      case "interruptTurn": {
        const turnId = command.turnId ?? s.activeTurns.get(command.threadId);
        if (!turnId) throw new Error(`no running turn in thread ${command.threadId} to interrupt`);
        await bridge.request(buildTurnInterruptRequest(command.threadId, turnId));
        return {};
      }
      case "respondServerRequest": {
        if (command.requestId === undefined || command.responseJson === undefined) {
          throw new Error("respondServerRequest without requestId/responseJson");
        }
        answerHeld(s, command.requestId, JSON.parse(command.responseJson));
        return {};
      }
    }
  }

  async function run(s: Session, command: PendingCommand) {
    const sessionId = s.sessionId;
    if (!(await canRun(s, command))) return;
    try {
      await persistence.claimCommand({ sessionId, commandId: command._id });
    } catch {
      return; // Someone else has it (or it was withdrawn): only claimed commands run.
    }
    let outcome: { turnId?: string; threadId?: string } = {};
    let error: string | undefined;
    try {
      outcome = await execute(s, command);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      report(e, `command ${command.kind}`);
    }
    await persistence
      .completeCommand({ sessionId, commandId: command._id, ...(error !== undefined ? { error } : outcome) })
      .catch((e: unknown) => report(e, "completing a command"));
  }

  return {
    /** The subscription's listener: queue what is new. */
    onPendingCommands(s: Session, commands: PendingCommand[]) {
      for (const command of commands) {
        const key = `${s.sessionId}:${command._id}`;
        if (seen.has(key) || currentSession() !== s || !bridge.isRunning) continue;
        seen.add(key);
        void queue.push(async () => {
          try {
            await run(s, command);
          } finally {
            // A later delivery of the same command fails its claim; nothing runs twice.
            seen.delete(key);
          }
        });
      }
    },
    /** Resolves once every command taken up so far has finished. */
    idle: () => queue.idle(),
  };
}
