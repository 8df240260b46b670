/**
 * The whole conversation view of a thread (seed 004) from the app's wrappers: turn state,
 * items and live streams are folded by `reduceConversation` into transcript, status header,
 * elapsed time, plan, running command and input queue. Inputs typed while a turn runs are
 * queued and sent one by one, each when the previous turn is over.
 */
import { useQuery } from "convex/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { eventsFromSnapshot, initialEmitCursor, type EmitCursor } from "./conversation/eventsFromSnapshot.js";
import type { ConversationEvent } from "./conversation/events.js";
import {
  initialConversationState,
  nextInputToSend,
  reduceConversation,
  type ConversationState,
} from "./conversation/reduceConversation.js";
import type {
  InterruptTurnMutation,
  RegisterTurnStartMutation,
  ThreadItemsQuery,
  ThreadMessagesQuery,
  ThreadStateQuery,
} from "./references.js";
import { readThreadState } from "./threadState.js";
import type { CodexItemDoc } from "./types.js";
import { useCodexComposer } from "./useCodexComposer.js";
import { useCodexInterruptTurn } from "./useCodexInterruptTurn.js";
import { useThreadQuery } from "./useThreadQuery.js";
import { useThreadStreams } from "./useThreadStreams.js";

export type CodexConversationApi = {
  threadState: ThreadStateQuery;
  threadItems: ThreadItemsQuery;
  /** For live streams (agent text, reasoning, command output); without it, only durable items show. */
  threadMessages?: ThreadMessagesQuery;
  registerTurnStart?: RegisterTurnStartMutation;
  interruptActiveTurn?: InterruptTurnMutation;
};

export type CodexConversation = {
  state: ConversationState;
  /** Queues `text`; it is sent now if no turn runs, else when the running turn ends. */
  submit: (text: string) => void;
  interrupt: () => Promise<void>;
  clearQueue: () => void;
};

export type CodexConversationOptions = {
  /** How often `elapsedMs` advances while a turn runs (default 1000 ms). */
  tickMs?: number;
  now?: () => number;
};

/**
 * @param api the app's wrappers; each is called with `args` (plus what the hook adds:
 *   page, stream cursors, input text, idempotency key, turn id).
 * @param args the arguments the wrappers share, e.g. `{ actor, threadId }`.
 */
export function useCodexConversation(
  api: CodexConversationApi,
  args: ({ threadId: string } & Record<string, unknown>) | "skip",
  options: CodexConversationOptions = {},
): CodexConversation {
  const now = options.now ?? Date.now;
  const threadValue = useThreadQuery(api.threadState, args);
  const items = useQuery(api.threadItems, args as never) as CodexItemDoc[] | undefined;
  const { streams } = useThreadStreams(api.threadMessages ?? (api.threadState as never), api.threadMessages ? (args as never) : "skip");

  const key = args === "skip" ? "skip" : JSON.stringify(args);
  const held = useRef<{ key: string; cursor: EmitCursor; state: ConversationState; inputs: unknown[] }>({
    key,
    cursor: initialEmitCursor,
    state: initialConversationState,
    inputs: [],
  });
  if (held.current.key !== key) held.current = { key, cursor: initialEmitCursor, state: initialConversationState, inputs: [] };
  const h = held.current;

  // Fold new server snapshots in during render, once per change of any input (by identity).
  const inputs = [threadValue, items, streams];
  if (inputs.some((x, i) => x !== h.inputs[i])) {
    const snapshot = {
      thread: threadValue === undefined ? undefined : readThreadState(threadValue),
      items,
      streams,
      now: now(),
    };
    const { events, cursor } = eventsFromSnapshot(h.cursor, snapshot);
    h.cursor = cursor;
    h.state = events.reduce(reduceConversation, h.state);
    h.inputs = inputs;
  }

  // Local events (queue, clock) change the same state and re-render.
  const [, setVersion] = useState(0);
  const dispatch = useCallback((event: ConversationEvent) => {
    const current = held.current;
    const next = reduceConversation(current.state, event);
    if (next !== current.state) {
      current.state = next;
      setVersion((v) => v + 1);
    }
  }, []);

  const composer = useCodexComposer(api.registerTurnStart ?? (missingMutation as never));
  const interruptMutation = useCodexInterruptTurn(api.interruptActiveTurn ?? (missingMutation as never));
  const state = h.state;

  // Send the next queued input when nothing runs. The live state is read (not the render's),
  // and `input_sent` lands before the call, so a re-run of this effect never sends twice.
  const nextInput = nextInputToSend(state);
  const send = composer.send;
  useEffect(() => {
    const text = nextInputToSend(held.current.state);
    if (text === undefined || args === "skip" || !api.registerTurnStart) return;
    dispatch({ type: "input_sent", text });
    send({ ...(args as object), inputText: text } as never).catch((error: unknown) => {
      dispatch({ type: "input_failed", text, error: describeError(error) });
    });
    // `args` is compared by `key`.
  }, [nextInput, key, api.registerTurnStart, dispatch, send]);

  const running = state.taskRunning;
  const tickMs = options.tickMs ?? 1000;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => dispatch({ type: "tick", now: now() }), tickMs);
    return () => clearInterval(timer);
  }, [running, tickMs, dispatch, now]);

  const submit = useCallback((text: string) => dispatch({ type: "input_submitted", text }), [dispatch]);
  const clearQueue = useCallback(() => dispatch({ type: "queue_cleared" }), [dispatch]);
  const turnId = state.turnId;
  const interrupt = useCallback(async () => {
    if (args === "skip" || !api.interruptActiveTurn) return;
    await interruptMutation({ ...(args as object), ...(turnId ? { turnId } : {}) } as never);
  }, [key, turnId, api.interruptActiveTurn, interruptMutation]);

  return { state, submit, interrupt, clearQueue };
}

/**
 * The readable part of a failed send. The component's coded errors are ConvexErrors whose
 * `data` is `{code, message}`; their `message` is the serialized data (plus a request id on
 * a real deployment), so the data's own message is what a user should read.
 */
function describeError(error: unknown): string {
  const data = (error as { data?: unknown } | null)?.data;
  if (typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  return error instanceof Error ? error.message : String(error);
}

// useMutation needs a reference even when the app gave none; it is never called then.
const missingMutation = "codexLocal:missing" as unknown as RegisterTurnStartMutation;
