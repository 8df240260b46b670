/**
 * Reads a thread-state result without trusting its exact shape: wrappers may return the
 * component's state as is (`activeTurn` + `recentTurns`), add fields, name a `lastTurn`, or
 * return null for a thread that does not exist yet.
 */
export type TurnSummary = {
  turnId: string;
  status: string;
  startedAt: number | undefined;
  completedAt: number | undefined;
  /** Why the turn failed, as codex said it (the stored `error.message`). */
  error?: string;
  /** codex is retrying the model request ("Reconnecting... 2/5", a stored `error` with `willRetry`). */
  retrying?: string;
  /** The turn's plan (`turn/plan/updated`), steps with codex's statuses. */
  plan?: { explanation?: string; steps: Array<{ step: string; status: string }>; updatedAt?: number };
};

export type ThreadStateView = {
  /** False while loading, or when the wrapper returned null. */
  exists: boolean;
  activeTurn: TurnSummary | null;
  lastTurn: TurnSummary | null;
  /** The turns the result lists (`recentTurns`), newest first. */
  recentTurns?: TurnSummary[];
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;
const num = (x: unknown) => (typeof x === "number" ? x : undefined);

function readPlan(x: unknown): TurnSummary["plan"] {
  if (!isRecord(x) || !Array.isArray(x.steps)) return undefined;
  const steps = x.steps.flatMap((s: unknown) => (isRecord(s) && typeof s.step === "string" ? [{ step: s.step, status: String(s.status) }] : []));
  return {
    ...(typeof x.explanation === "string" ? { explanation: x.explanation } : {}),
    steps,
    ...(typeof x.updatedAt === "number" ? { updatedAt: x.updatedAt } : {}),
  };
}

/** One turn document (or a bare turn id) read defensively. */
export function readTurn(x: unknown): TurnSummary | null {
  if (typeof x === "string") return { turnId: x, status: "inProgress", startedAt: undefined, completedAt: undefined };
  if (!isRecord(x) || typeof x.turnId !== "string") return null;
  const message = isRecord(x.error) && typeof x.error.message === "string" ? x.error.message : typeof x.error === "string" ? x.error : undefined;
  // A retry notice is no failure: the turn runs on.
  const retry = isRecord(x.error) && x.error.willRetry === true;
  const error = retry ? undefined : message;
  const plan = readPlan(x.plan);
  return {
    turnId: x.turnId,
    status: typeof x.status === "string" ? x.status : "inProgress",
    startedAt: num(x.startedAt),
    completedAt: num(x.completedAt),
    ...(error !== undefined ? { error } : {}),
    ...(retry && message !== undefined ? { retrying: message } : {}),
    ...(plan ? { plan } : {}),
  };
}

export function readThreadState(value: unknown): ThreadStateView {
  if (!isRecord(value)) return { exists: false, activeTurn: null, lastTurn: null };
  const thread = isRecord(value.thread) ? value.thread : undefined;
  const activeTurn = readTurn(value.activeTurn) ?? (thread ? readTurn(thread.activeTurnId) : null);
  // The component's `getThreadState` lists `recentTurns`, newest first; others may name a `lastTurn`.
  const recentTurns = Array.isArray(value.recentTurns) ? value.recentTurns.flatMap((t: unknown) => readTurn(t) ?? []) : undefined;
  const lastTurn = readTurn(value.lastTurn) ?? recentTurns?.[0] ?? activeTurn;
  return { exists: true, activeTurn, lastTurn, ...(recentTurns ? { recentTurns } : {}) };
}
