/**
 * The whole conversation view of a thread (seed 004) from the app's wrappers: turn state,
 * items and live streams are folded by `reduceConversation` into transcript, status header,
 * elapsed time, plan, running command and input queue. Inputs typed while a turn runs are
 * queued and sent one by one, each when the previous turn is over (or steered into it).
 */
import { usePaginatedQuery } from "convex-helpers/react";
import { useMutation, useQuery } from "convex/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  eventsFromSnapshot,
  initialEmitCursor,
  type ConversationSnapshot,
  type DroppedRecord,
  type EmitCursor,
} from "./conversation/eventsFromSnapshot.js";
import type { ConversationEvent } from "./conversation/events.js";
import {
  initialConversationState,
  itemKey,
  nextInputToSend,
  reduceConversation,
  type ConversationState,
} from "./conversation/reduceConversation.js";
import { newIdempotencyKey } from "./idempotencyKey.js";
import type {
  CancelCommandMutation,
  CommandStatusQuery,
  DroppedEventsQuery,
  InterruptTurnMutation,
  PendingApprovalsQuery,
  RegisterTurnStartMutation,
  SteerTurnMutation,
  ThreadItemsPageQuery,
  ThreadItemsQuery,
  ThreadMessagesQuery,
  ThreadStateQuery,
  ThreadTurnsQuery,
} from "./references.js";
import { readThreadState, readTurn, type TurnSummary } from "./threadState.js";
import type { CodexItemDoc } from "./types.js";
import { useCodexComposer } from "./useCodexComposer.js";
import { useCodexInterruptTurn } from "./useCodexInterruptTurn.js";
import { useCodexMessages } from "./useCodexMessages.js";
import { useThreadQuery } from "./useThreadQuery.js";
import { useThreadStreams } from "./useThreadStreams.js";

/**
 * Where items come from: `threadItemsPage` (paginated: older history pages in with
 * `loadOlder`), else `threadItems` (the latest window only). The generated host API has both.
 */
type ConversationItemsApi =
  | { threadItems: ThreadItemsQuery; threadItemsPage?: ThreadItemsPageQuery }
  | { threadItems?: ThreadItemsQuery; threadItemsPage: ThreadItemsPageQuery };

export type CodexConversationApi = ConversationItemsApi & {
  threadState: ThreadStateQuery;
  /**
   * For live streams (agent text, reasoning, command output) and the full text of replies
   * whose item keeps only a preview; without it, only durable items show.
   */
  threadMessages?: ThreadMessagesQuery;
  registerTurnStart?: RegisterTurnStartMutation;
  interruptActiveTurn?: InterruptTurnMutation;
  /** With `threadMessages`: a sent input whose command fails or is cancelled is listed in `failedInputs`. */
  commandStatus?: CommandStatusQuery;
  /** For `steer`: a queued input sent into the running turn. */
  steerActiveTurn?: SteerTurnMutation;
  /** Turn statuses, errors and plans beyond the few the thread state lists (its first page, newest 50). */
  threadTurns?: ThreadTurnsQuery;
  /** For `cancelPending`: withdraws a sent input nobody has picked up. */
  cancelQueuedCommand?: CancelCommandMutation;
  /** What the backend refused to store (the example's `droppedEvents`): shown as markers where it happened. */
  droppedEvents?: DroppedEventsQuery;
  /** The thread's pending approvals: a command or edit waiting for one says so instead of "Running". */
  pendingApprovals?: PendingApprovalsQuery;
};

/** Pagination statuses, as Convex names them. */
export type CodexHistoryStatus = "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";

export type CodexConversation = {
  state: ConversationState;
  /** False until the thread state and its items arrived. */
  isLoaded: boolean;
  /**
   * Queues `text`; it is sent now if no turn runs, else when the running turn ends. Throws
   * without `api.registerTurnStart` (a read-only view): the text would wait forever.
   */
  submit: (text: string) => void;
  /** Sends queued input `index` (default the first) into the running turn instead of waiting; rejects without `api.steerActiveTurn`. */
  steer: (index?: number) => Promise<void>;
  /** Rejects without `api.interruptActiveTurn`. */
  interrupt: () => Promise<void>;
  clearQueue: () => void;
  removeQueued: (index: number) => void;
  /** Withdraws the sent input whose turn has not started (its command not claimed yet); rejects without `api.cancelQueuedCommand`. */
  cancelPending: () => Promise<void>;
  /** Queues a failed input again / drops it. */
  retryFailed: (index: number) => void;
  dismissFailed: (index: number) => void;
  /**
   * Whether older history can be loaded: `CanLoadMore` while older items (with
   * `threadItemsPage`), messages or turns are left; `Exhausted` once all are in.
   */
  olderStatus: CodexHistoryStatus;
  /** Loads the next page of older history: items, messages and turns, folded in in true order. */
  loadOlder: () => void;
};

export type CodexConversationOptions = {
  /** How often `elapsedMs` advances while a turn runs (default 1000 ms). */
  tickMs?: number;
  now?: () => number;
};

/** Turns per page: about as many as the first page of items spans (each turn has two items or more). */
const TURNS_PAGE = 100;
const MESSAGES_PAGE = 100;
/** Items per page: the first page is the window `threadItems` gives by default. */
const ITEMS_PAGE = 200;

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
  const paged = api.threadItemsPage !== undefined;
  const windowItems = useQuery(api.threadItems ?? (api.threadState as never), (paged ? "skip" : args) as never) as CodexItemDoc[] | undefined;
  const itemPages = usePaginatedQuery(api.threadItemsPage ?? (api.threadState as never), (paged ? args : "skip") as never, {
    initialNumItems: ITEMS_PAGE,
  });
  const items = useMemo(
    () => (paged ? chronological(itemPages.results as CodexItemDoc[], itemPages.status) : windowItems),
    [paged, itemPages.results, itemPages.status, windowItems],
  );
  const { streams } = useThreadStreams(api.threadMessages ?? (api.threadState as never), api.threadMessages ? (args as never) : "skip");
  const turnPages = usePaginatedQuery(api.threadTurns ?? (api.threadState as never), (api.threadTurns ? args : "skip") as never, {
    initialNumItems: TURNS_PAGE,
  });
  const messages = useCodexMessages(api.threadMessages ?? (api.threadState as never), api.threadMessages ? (args as never) : "skip", {
    initialNumItems: MESSAGES_PAGE,
  });
  const dropped = useQuery(
    api.droppedEvents ?? (api.threadState as never),
    (api.droppedEvents ? args : "skip") as never,
  ) as DroppedRecord[] | undefined;
  const approvals = useQuery(
    api.pendingApprovals ?? (api.threadState as never),
    (api.pendingApprovals ? args : "skip") as never,
  ) as { turnId: string; itemId: string }[] | undefined;
  const turnsLoaded = api.threadTurns !== undefined && turnPages.status !== "LoadingFirstPage";
  const turns = useMemo(
    () =>
      turnsLoaded
        ? turnPages.results.flatMap((t): TurnSummary[] => {
            const turn = readTurn(t);
            return turn ? [turn] : [];
          })
        : undefined,
    [turnsLoaded, turnPages.results],
  );
  // Older items not loaded yet: turns that started before the oldest loaded item wait for them.
  const olderItemsBefore = paged && itemPages.status !== "Exhausted" ? items?.[0]?.startedAt : undefined;
  // Stored replies by item: the full text of replies whose item keeps only a preview.
  const fullText = useMemo(() => {
    const texts = new Map<string, string>();
    for (const m of messages.results) {
      if (m.role === "assistant" && !m.optimistic && m.status !== "streaming") texts.set(itemKey(m.turnId, m.itemId), m.text);
    }
    return texts;
  }, [messages.results]);

  const key = args === "skip" ? "skip" : JSON.stringify(args);
  const held = useRef<Held>(freshHeld(key));
  if (held.current.key !== key) held.current = freshHeld(key);
  const h = held.current;
  // Fold new server snapshots in during render, once per change of any input (by identity).
  const inputs = [threadValue, items, streams, turns, fullText, dropped, approvals, olderItemsBefore];
  if (inputs.some((x, i) => x !== h.inputs[i])) {
    const snapshot: ConversationSnapshot = {
      thread: threadValue === undefined ? undefined : readThreadState(threadValue),
      items,
      streams,
      now: now(),
      ...(turns ? { turns } : {}),
      fullText,
      ...(dropped ? { dropped } : {}),
      ...(approvals ? { approvals } : {}),
      ...(olderItemsBefore !== undefined ? { olderItemsBefore } : {}),
    };
    const { events, cursor } = eventsFromSnapshot(h.cursor, snapshot);
    const live = events.reduce(reduceConversation, h.state);
    const oldest = items?.[0] ? itemKey(items[0].turnId, items[0].itemId) : undefined;
    if (h.oldest !== undefined && oldest !== undefined && oldest !== h.oldest && !h.cursor.items[oldest]) {
      // Older history came in: the transcript is folded again from the start so it lands
      // above what is shown, in order; what this device is doing carries over.
      const history = eventsFromSnapshot(initialEmitCursor, snapshot);
      h.state = withDeviceState(history.events.reduce(reduceConversation, initialConversationState), live);
      h.cursor = history.cursor;
    } else {
      h.state = live;
      h.cursor = cursor;
    }
    h.oldest = oldest ?? h.oldest;
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

  // With `commandStatus` each send's command is watched: its failure or cancel comes from the composer.
  const watchFailures = api.commandStatus ? { commandStatus: api.commandStatus, ...(api.threadMessages ? { optimistic: api.threadMessages } : {}) } : {};
  const composer = useCodexComposer(api.registerTurnStart ?? (missingMutation as never), watchFailures);
  const interruptMutation = useCodexInterruptTurn(api.interruptActiveTurn ?? (missingMutation as never));
  // Steers go through a composer of their own: with `commandStatus`, a steer whose command
  // fails (codex refused it, or its turn ended before a host took it up) is reported too.
  const steerer = useCodexComposer(
    (api.steerActiveTurn ?? missingMutation) as unknown as RegisterTurnStartMutation,
    api.commandStatus ? { commandStatus: api.commandStatus } : {},
  );
  const cancelMutation = useMutation(api.cancelQueuedCommand ?? (missingMutation as never));
  const state = h.state;

  // Send the next queued input when nothing runs. The live state is read (not the render's),
  // and `input_sent` lands before the call, so a re-run of this effect never sends twice.
  const nextInput = nextInputToSend(state);
  const send = composer.send;
  const sentKeys = useRef(new Set<string>());
  useEffect(() => {
    const text = nextInputToSend(held.current.state);
    if (text === undefined || args === "skip" || !api.registerTurnStart) return;
    dispatch({ type: "input_sent", text });
    const idempotencyKey = newIdempotencyKey();
    sentKeys.current.add(idempotencyKey);
    send({ ...(args as object), inputText: text, idempotencyKey } as never)
      .then((ticket) => dispatch({ type: "input_queued", text, commandId: String(ticket.commandId) }))
      .catch((error: unknown) => {
        sentKeys.current.delete(idempotencyKey);
        dispatch({ type: "input_failed", text, error: describeError(error) });
      });
    // `args` is compared by `key`.
  }, [nextInput, key, api.registerTurnStart, dispatch, send]);

  // A sent input whose command failed or was cancelled: its turn will never start.
  const { failed, dismiss } = composer;
  const { failed: failedSteers, dismiss: dismissSteer, send: sendSteer } = steerer;
  useEffect(() => {
    for (const [list, drop] of [[failed, dismiss], [failedSteers, dismissSteer]] as const) {
      for (const f of list) {
        if (!sentKeys.current.delete(f.idempotencyKey)) continue;
        dispatch({ type: "input_failed", text: f.inputText, error: f.error });
        drop(f.idempotencyKey);
      }
    }
  }, [failed, dismiss, failedSteers, dismissSteer, dispatch]);

  const running = state.taskRunning;
  const tickMs = options.tickMs ?? 1000;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => dispatch({ type: "tick", now: now() }), tickMs);
    return () => clearInterval(timer);
  }, [running, tickMs, dispatch, now]);

  const canSend = api.registerTurnStart !== undefined;
  const submit = useCallback(
    (text: string) => {
      if (!canSend) throw missingWrapper("submit", "registerTurnStart");
      dispatch({ type: "input_submitted", text });
    },
    [dispatch, canSend],
  );
  const clearQueue = useCallback(() => dispatch({ type: "queue_cleared" }), [dispatch]);
  const removeQueued = useCallback((index: number) => dispatch({ type: "queued_input_removed", index }), [dispatch]);
  const dismissFailed = useCallback((index: number) => dispatch({ type: "failed_input_removed", index }), [dispatch]);
  const retryFailed = useCallback(
    (index: number) => {
      const failedInput = held.current.state.failedInputs[index];
      if (!failedInput) return;
      dispatch({ type: "failed_input_removed", index });
      dispatch({ type: "input_submitted", text: failedInput.text });
    },
    [dispatch],
  );
  const turnId = state.turnId;
  const interrupt = useCallback(async () => {
    if (!api.interruptActiveTurn) throw missingWrapper("interrupt", "interruptActiveTurn");
    if (args === "skip") return;
    await interruptMutation({ ...(args as object), ...(turnId ? { turnId } : {}) } as never);
  }, [key, turnId, api.interruptActiveTurn, interruptMutation]);
  const steer = useCallback(
    async (index = 0) => {
      const text = held.current.state.queuedInputs[index];
      if (!api.steerActiveTurn) throw missingWrapper("steer", "steerActiveTurn");
      if (text === undefined || args === "skip") return;
      dispatch({ type: "input_steered", text });
      const idempotencyKey = newIdempotencyKey();
      sentKeys.current.add(idempotencyKey);
      try {
        await sendSteer({ ...(args as object), inputText: text, idempotencyKey } as never);
      } catch (error) {
        sentKeys.current.delete(idempotencyKey);
        dispatch({ type: "input_failed", text, error: describeError(error) });
      }
    },
    [key, api.steerActiveTurn, sendSteer, dispatch],
  );
  const cancelPending = useCallback(async () => {
    const { pendingCommandId, pendingInput } = held.current.state;
    if (!api.cancelQueuedCommand) throw missingWrapper("cancelPending", "cancelQueuedCommand");
    if (!pendingCommandId || pendingInput === undefined) return;
    await cancelMutation({ commandId: pendingCommandId } as never);
    // Watched commands report `cancelled` themselves; otherwise say it here.
    if (!api.commandStatus) dispatch({ type: "input_failed", text: pendingInput, error: "cancelled" });
  }, [api.cancelQueuedCommand, api.commandStatus, cancelMutation, dispatch]);

  const olderStatus = historyStatus(paged ? itemPages.status : "Exhausted", api.threadMessages ? messages.status : "Exhausted");
  const { loadMore: loadMoreItems, status: itemsStatus } = itemPages;
  const { loadMore: loadMoreMessages, status: messagesStatus } = messages;
  const { loadMore: loadMoreTurns, status: turnsStatus } = turnPages;
  const loadOlder = useCallback(() => {
    if (itemsStatus === "CanLoadMore") loadMoreItems(ITEMS_PAGE);
    if (messagesStatus === "CanLoadMore") loadMoreMessages(MESSAGES_PAGE);
    if (turnsStatus === "CanLoadMore") loadMoreTurns(TURNS_PAGE);
  }, [itemsStatus, messagesStatus, turnsStatus, loadMoreItems, loadMoreMessages, loadMoreTurns]);

  const isLoaded = threadValue !== undefined && (items !== undefined || args === "skip");
  return { state, isLoaded, submit, steer, interrupt, clearQueue, removeQueued, cancelPending, retryFailed, dismissFailed, olderStatus, loadOlder };
}

type Held = { key: string; cursor: EmitCursor; state: ConversationState; inputs: unknown[]; oldest?: string };

const freshHeld = (key: string): Held => ({ key, cursor: initialEmitCursor, state: initialConversationState, inputs: [] });

/**
 * Loaded item pages (newest first, as the paginated query returns them) in start order. A
 * row can sit in two pages for a moment while a page is split: each item is kept once.
 */
function chronological(newestFirst: readonly CodexItemDoc[], status: CodexHistoryStatus): CodexItemDoc[] | undefined {
  if (status === "LoadingFirstPage") return undefined;
  const seen = new Set<string>();
  const out: CodexItemDoc[] = [];
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const item = newestFirst[i]!;
    const k = itemKey(item.turnId, item.itemId);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}

/** One status for what `loadOlder` pages in (turns follow along and do not hold it up). */
function historyStatus(items: CodexHistoryStatus, messages: CodexHistoryStatus): CodexHistoryStatus {
  if (items === "LoadingFirstPage" || messages === "LoadingFirstPage") return "LoadingFirstPage";
  if (items === "LoadingMore" || messages === "LoadingMore") return "LoadingMore";
  if (items === "CanLoadMore" || messages === "CanLoadMore") return "CanLoadMore";
  return "Exhausted";
}

/**
 * A transcript folded again from history, with what only this device knows taken from the
 * live state: its input queue, the input on its way and inputs that failed.
 */
function withDeviceState(history: ConversationState, live: ConversationState): ConversationState {
  return {
    ...history,
    queuedInputs: live.queuedInputs,
    awaitingTurnStart: live.awaitingTurnStart,
    pendingInput: live.pendingInput,
    pendingCommandId: live.pendingCommandId,
    failedInputs: live.failedInputs,
    lastError: live.lastError,
  };
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
/** An action the page offers but the app gave no wrapper for: said at once, not left waiting. */
const missingWrapper = (action: string, wrapper: string) =>
  new Error(`useCodexConversation: ${action}() needs api.${wrapper} (the app's wrapper); none was given`);

const missingMutation = "codexLocal:missing" as unknown as RegisterTurnStartMutation;
