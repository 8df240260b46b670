/**
 * A transaction's allowance for background work, in rows and bytes (Convex counts both):
 * work that reads and rewrites rows of any size stays well inside one transaction's limits
 * (16 MiB, 16,000 writes), whatever one owner has piled up.
 */
import { getDocumentSize, type Value } from "convex/values";

export type Budget = { rows: number; bytes: number };

/** One background transaction's share: a few thousand small rows, a few MiB of large ones. */
export const settleBudget = (): Budget => ({ rows: 1_000, bytes: 4 * 1024 * 1024 });

export function exhausted(budget: Budget): boolean {
  return budget.rows <= 0 || budget.bytes <= 0;
}

/** Counts a row that is read and rewritten. */
export function spend(budget: Budget, doc: Record<string, Value>): void {
  budget.rows -= 1;
  budget.bytes -= 2 * getDocumentSize(doc);
}

/** Counts a row that is only read. */
export function skip(budget: Budget, doc: Record<string, Value>): void {
  budget.rows -= 1;
  budget.bytes -= getDocumentSize(doc);
}
