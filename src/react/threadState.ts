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
};

export type ThreadStateView = {
  /** False while loading, or when the wrapper returned null. */
  exists: boolean;
  activeTurn: TurnSummary | null;
  lastTurn: TurnSummary | null;
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;
const num = (x: unknown) => (typeof x === "number" ? x : undefined);

function readTurn(x: unknown): TurnSummary | null {
  if (typeof x === "string") return { turnId: x, status: "inProgress", startedAt: undefined, completedAt: undefined };
  if (!isRecord(x) || typeof x.turnId !== "string") return null;
  return {
    turnId: x.turnId,
    status: typeof x.status === "string" ? x.status : "inProgress",
    startedAt: num(x.startedAt),
    completedAt: num(x.completedAt),
  };
}

export function readThreadState(value: unknown): ThreadStateView {
  if (!isRecord(value)) return { exists: false, activeTurn: null, lastTurn: null };
  const thread = isRecord(value.thread) ? value.thread : undefined;
  const activeTurn = readTurn(value.activeTurn) ?? (thread ? readTurn(thread.activeTurnId) : null);
  // The component's `getThreadState` lists `recentTurns`, newest first; others may name a `lastTurn`.
  const newestRecent = Array.isArray(value.recentTurns) ? readTurn(value.recentTurns[0]) : null;
  const lastTurn = readTurn(value.lastTurn) ?? newestRecent ?? activeTurn;
  return { exists: true, activeTurn, lastTurn };
}
