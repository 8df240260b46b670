/**
 * The control plane, machine side: commands any device queued are taken up one at a time,
 * oldest first. Each is checked runnable HERE (a thread this codex has, a request this codex
 * asked), then CLAIMED — the component lets exactly one claimer win, so exactly one runtime
 * runs it — then run against codex and reported with codex's turnId or the error.
 *
 * Both calls must land, whatever the network does: the component makes them idempotent for
 * the session (a claim it already holds, an outcome it already recorded, is answered again),
 * so a lost reply is recovered by asking again, with backoff, until the backend answers or
 * the runtime stops (then what was not recorded is reported by `unsettled()`).
 */
import {
  buildThreadArchiveRequest,
  buildThreadCompactStartRequest,
  buildThreadReadRequest,
  buildThreadResumeRequest,
  buildThreadRevertRequest,
  buildThreadSetNameRequest,
  buildThreadUnarchiveRequest,
  buildTurnInterruptRequest,
  buildTurnStartRequest,
  buildTurnSteerRequest,
} from "../../app-server/index.js";
import type { CodexLocalBridge } from "../../bridge/index.js";
import { ErrorCode, codedCommandError } from "../../contract/errors.js";
import { SerialQueue } from "../../bridge/serialQueue.js";
import type { CodexPersistence, PendingCommand } from "../persistence/port.js";
import { untilSettled, type BackoffOptions } from "../retry.js";
import { toCodexInput } from "../turnInput.js";
import { answerHeld, markLoaded, markStarted, type Session } from "./session.js";

export type CommandRunnerDeps = {
  bridge: CodexLocalBridge;
  persistence: CodexPersistence;
  /** The session of the running codex (commands of an older one are not taken up). */
  currentSession: () => Session | undefined;
  report: (error: unknown, context: string) => void;
  /** A thread about to be resumed to run a command: the runtime answers for it from now on. */
  adopt?: (threadId: string) => void;
  /** Called after a thread was resumed to run a command (the runtime backfills it). */
  onResumed?: (s: Session, threadId: string) => Promise<unknown>;
  /** Starts a new codex thread for a device's `startThread` command; resolves with its id. */
  startThread?: (s: Session) => Promise<string>;
  /** Forks a thread for a device's `forkThread` command (its history persisted); resolves with the fork's id. */
  forkThread?: (s: Session, threadId: string, lastTurnId: string | undefined) => Promise<string>;
  /** A control is about to act on a thread this runtime may not own: codex's report of it is persisted. */
  control?: (threadId: string) => void;
  /** True once the runtime gave up on the backend (stop() past its deadline): retries end. */
  abandoned: () => boolean;
  retry?: BackoffOptions;
};

type Outcome = { turnId?: string; steered?: boolean; threadId?: string; error?: string };

/** Commands on a thread that codex can run wherever it has the thread's history (not only where it is loaded). */
const THREAD_CONTROLS = new Set<PendingCommand["kind"]>(["startTurn", "renameThread", "archiveThread", "unarchiveThread", "compactThread", "rollbackThread", "forkThread"]);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The command's failure when codex would not resume its thread (and, for a turn, would not unarchive it either). */
function notResumable(threadId: string, resume: unknown, unarchive?: unknown): Error {
  const tried = unarchive === undefined ? "" : `; unarchiving it failed too (${messageOf(unarchive)})`;
  return new Error(codedCommandError(ErrorCode.threadNotResumable, `codex would not resume thread ${threadId} (${messageOf(resume)})${tried}`));
}

export function createCommandRunner(deps: CommandRunnerDeps) {
  const { bridge, persistence, currentSession, report, adopt, onResumed, startThread, abandoned, retry } = deps;
  /**
   * Commands taken up and not finished, per session id: a repeated delivery must not start
   * them twice. A renewed session may take up again what its retired predecessor could not
   * claim (the claim, not this set, is what makes a command run once).
   */
  const seen = new Set<string>();
  /** Commands run whose outcome the backend has not acknowledged yet (command id → kind). */
  const unrecorded = new Map<string, string>();
  const queue = new SerialQueue((error) => report(error, "command"));

  async function canRun(s: Session, command: PendingCommand): Promise<boolean> {
    if (command.kind === "respondServerRequest") return command.targetSessionId === s.sessionId;
    // Any host of this user can start a thread (the first to claim it does).
    if (command.kind === "startThread") return startThread !== undefined;
    const { threadId } = command;
    if (threadId === undefined) return false;
    if (s.loadedThreads.has(threadId)) return true;
    if (!THREAD_CONTROLS.has(command.kind)) return false; // a running turn lives where it was started
    if (command.kind === "forkThread" && !deps.forkThread) return false;
    try {
      await bridge.request(buildThreadReadRequest(threadId, false));
      return true; // codex has the thread on this machine: it can resume it
    } catch {
      return false; // a thread of another machine: leave it queued for that machine's runtime
    }
  }

  /** Resumes the thread unless this codex has it loaded; `restoreArchived`: an archived thread is unarchived first. */
  async function ensureLoaded(s: Session, threadId: string, restoreArchived = false) {
    if (s.loadedThreads.has(threadId)) return;
    adopt?.(threadId);
    await resumeThread(threadId, restoreArchived);
    markLoaded(s, threadId);
    await onResumed?.(s, threadId);
  }

  /**
   * codex (0.169) refuses to resume an archived thread, and says so only in words ("session …
   * is archived"), so whether it was archived is learned from `thread/unarchive` itself: it
   * succeeds only for an archived thread. codex stays the one source of truth — its
   * `thread/unarchived` is what clears the thread row's flag — and a resume refused either way
   * fails the command with a coded reason carrying codex's own answers.
   */
  async function resumeThread(threadId: string, restoreArchived: boolean) {
    let refused: unknown;
    try {
      await bridge.request(buildThreadResumeRequest({ threadId }));
      return;
    } catch (error) {
      refused = error;
    }
    if (!restoreArchived) throw notResumable(threadId, refused);
    try {
      await bridge.request(buildThreadUnarchiveRequest(threadId));
    } catch (error) {
      throw notResumable(threadId, refused, error);
    }
    try {
      await bridge.request(buildThreadResumeRequest({ threadId }));
    } catch (error) {
      throw notResumable(threadId, error);
    }
  }

  /** Runs one claimed command against codex (`canRun` made sure a thread command has its thread); a startThread reports the thread it started. */
  async function execute(s: Session, command: PendingCommand): Promise<Outcome> {
    const threadId = command.threadId ?? "";
    switch (command.kind) {
      case "startThread":
        return { threadId: await startThread!(s) };
      case "startTurn": {
        // A message sent to an archived thread restores it, as in most chat products.
        await ensureLoaded(s, threadId, true);
        const running = s.activeTurns.get(threadId);
        const { turn } = await bridge.request(buildTurnStartRequest({ threadId, input: toCodexInput(command.input ?? []) }));
        // codex folds a turn request into the turn already running: it answers with that turn.
        if (running !== undefined && turn.id === running) return { turnId: turn.id, steered: true };
        markStarted(s, threadId, turn.id);
        return { turnId: turn.id };
      }
      case "steerTurn": {
        const turnId = command.turnId ?? s.activeTurns.get(threadId);
        if (!turnId) throw new Error(`no running turn in thread ${threadId} to steer`);
        await bridge.request(buildTurnSteerRequest(threadId, turnId, toCodexInput(command.input ?? [])));
        return {};
      }
      case "interruptTurn": {
        const turnId = command.turnId ?? s.activeTurns.get(threadId);
        if (!turnId) throw new Error(`no running turn in thread ${threadId} to interrupt`);
        await bridge.request(buildTurnInterruptRequest(threadId, turnId));
        return {};
      }
      case "respondServerRequest": {
        if (command.requestId === undefined || command.responseJson === undefined) {
          throw new Error("respondServerRequest without requestId/responseJson");
        }
        answerHeld(s, command.requestId, JSON.parse(command.responseJson));
        return {};
      }
      case "renameThread":
        deps.control?.(threadId);
        await bridge.request(buildThreadSetNameRequest(threadId, command.name ?? ""));
        return {};
      case "archiveThread":
        deps.control?.(threadId);
        await bridge.request(buildThreadArchiveRequest(threadId));
        // codex unloads an archived thread: a later command resumes it first.
        s.loadedThreads.delete(threadId);
        return {};
      case "unarchiveThread":
        deps.control?.(threadId);
        await bridge.request(buildThreadUnarchiveRequest(threadId));
        return {};
      case "compactThread":
        await ensureLoaded(s, threadId);
        await bridge.request(buildThreadCompactStartRequest(threadId));
        return {};
      case "rollbackThread":
        if (!command.turnId) throw new Error("rollbackThread without the turn to roll back to");
        await ensureLoaded(s, threadId);
        await bridge.request(buildThreadRevertRequest(threadId, command.turnId));
        return {};
      case "forkThread":
        return { threadId: await deps.forkThread!(s, threadId, command.turnId) };
    }
  }

  /** Claims until the backend answers; false when someone else has it (or the session is gone). */
  async function claim(s: Session, sessionId: string, command: PendingCommand): Promise<boolean> {
    const claimed = await untilSettled(() => persistence.claimCommand({ sessionId, commandId: command._id }), {
      ...retry,
      giveUp: () => abandoned() || s.sessionId !== sessionId || currentSession() !== s,
      onRetry: (error, attempt, delayMs) => report(error, `claiming command ${command._id} (attempt ${attempt}, retry in ${Math.round(delayMs)} ms)`),
    });
    // A coded refusal: another runtime won, the command was withdrawn, or the session retired
    // (then the renewed session sees the command again). Only claimed commands run.
    return claimed.ok;
  }

  async function record(sessionId: string, command: PendingCommand, outcome: Outcome) {
    unrecorded.set(command._id, command.kind);
    const recorded = await untilSettled(() => persistence.completeCommand({ sessionId, commandId: command._id, ...outcome }), {
      ...retry,
      giveUp: abandoned,
      onRetry: (error, attempt, delayMs) => report(error, `completing command ${command._id} (attempt ${attempt}, retry in ${Math.round(delayMs)} ms)`),
    });
    // Given up (stop() past its deadline): `unsettled()` reports it; the backend fails the claim when the session ends.
    if (recorded.ok || recorded.gaveUp) {
      if (recorded.ok) unrecorded.delete(command._id);
      return;
    }
    unrecorded.delete(command._id);
    // Refused: the session was retired meanwhile and the backend already failed the command.
    report(recorded.error, `completing command ${command._id}`);
  }

  async function run(s: Session, command: PendingCommand) {
    const sessionId = s.sessionId;
    if (!(await canRun(s, command))) return;
    if (!(await claim(s, sessionId, command))) return;
    let outcome: Outcome;
    try {
      outcome = await execute(s, command);
    } catch (e) {
      outcome = { error: messageOf(e) };
      report(e, `command ${command.kind}`);
    }
    await record(sessionId, command, outcome);
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
    /** Resolves once every command taken up so far has finished (and its outcome was recorded or given up). */
    idle: () => queue.idle(),
    /** Commands that ran but whose outcome the backend has not acknowledged, as `kind id`. */
    unsettled: () => [...unrecorded].map(([id, kind]) => `${kind} ${id}`),
  };
}
