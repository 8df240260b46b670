/**
 * Sends whose user message is not stored yet. Convex drops an optimistic update as soon as
 * its mutation returns, but the durable user message only comes when the bridge has started
 * the turn. Until then the message lives here, one store per Convex client, and
 * `useCodexMessages` shows it; it leaves when the durable copy arrives or the send fails.
 *
 * Once the mutation returned, a send knows its command (`commandId`). Watched through the
 * app's `commandStatus` wrapper (`usePendingCommands.ts`), a command that ends `failed` or
 * `cancelled` turns its send into a failed one (`failure`): the message stays, marked, until
 * the user retries or dismisses it — otherwise it would wait forever for a turn that never runs.
 */
import type { CodexMessageDoc } from "./types.js";

export type SendFailure = { status: "failed" | "cancelled"; error: string };

export type PendingSend = {
  idempotencyKey: string;
  /** The optimistic message shown for it; absent when the composer only watches its command (no `optimistic`). */
  message?: CodexMessageDoc;
  sendArgs: Readonly<Record<string, unknown>>;
  /** The composer's mutation (function name) that sent it. */
  sentBy?: string;
  /** The queued command, once the mutation returned. */
  commandId?: string;
  /** The command finished `done`: nothing left to watch, the durable message is on its way. */
  commandDone?: boolean;
  /** The command ended without running the turn. */
  failure?: SendFailure;
};

export class PendingSends {
  private byKey = new Map<string, PendingSend>();
  private listeners = new Set<() => void>();
  private snapshot: readonly PendingSend[] = [];

  add(send: PendingSend): void {
    if (this.byKey.has(send.idempotencyKey)) return;
    this.byKey.set(send.idempotencyKey, send);
    this.emit();
  }

  remove(idempotencyKey: string): void {
    if (this.byKey.delete(idempotencyKey)) this.emit();
  }

  get(idempotencyKey: string): PendingSend | undefined {
    return this.byKey.get(idempotencyKey);
  }

  /** Records what happened to the send's command; no-op for an unknown key or no change. */
  update(idempotencyKey: string, patch: Pick<PendingSend, "commandId" | "commandDone" | "failure">): void {
    const send = this.byKey.get(idempotencyKey);
    if (!send) return;
    const changed = (Object.keys(patch) as Array<keyof typeof patch>).some((k) => send[k] !== patch[k]);
    if (!changed || send.failure) return;
    this.byKey.set(idempotencyKey, { ...send, ...patch });
    this.emit();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Stable between changes (for `useSyncExternalStore`). */
  getSnapshot = (): readonly PendingSend[] => this.snapshot;

  private emit(): void {
    this.snapshot = [...this.byKey.values()];
    for (const listener of [...this.listeners]) listener();
  }
}

const perClient = new WeakMap<object, PendingSends>();

export function pendingSendsOf(client: object): PendingSends {
  let store = perClient.get(client);
  if (!store) {
    store = new PendingSends();
    perClient.set(client, store);
  }
  return store;
}
