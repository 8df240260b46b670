/**
 * Mutations by (session, request id): a client re-sends every mutation it has no result for
 * after a reconnect — including ones that already committed — and must get the first
 * result back, not a second commit. The last few thousand per session are kept.
 */
import type { Outcome } from "../outcome.js";

export type MutationRecord = { outcome: Outcome; ts: bigint };

const PER_SESSION = 2_000;

export class MutationLog {
  private readonly sessions = new Map<string, Map<number, Promise<MutationRecord>>>();

  /** Runs `commit` once per (session, request); a repeat gets the first run's record. */
  run(sessionId: string | null, requestId: number, commit: () => Promise<MutationRecord>): Promise<MutationRecord> {
    if (sessionId === null) return commit();
    const requests = this.sessions.get(sessionId) ?? new Map<number, Promise<MutationRecord>>();
    this.sessions.set(sessionId, requests);
    const known = requests.get(requestId);
    if (known) return known;
    const record = commit();
    requests.set(requestId, record);
    if (requests.size > PER_SESSION) requests.delete(requests.keys().next().value!);
    return record;
  }

  clear(): void {
    this.sessions.clear();
  }
}
