/**
 * Sends whose user message is not stored yet. Convex drops an optimistic update as soon as
 * its mutation returns, but the durable user message only comes when the bridge has started
 * the turn. Until then the message lives here, one store per Convex client, and
 * `useCodexMessages` shows it; it leaves when the durable copy arrives or the send fails.
 */
import type { CodexMessageDoc } from "./types.js";

export type PendingSend = { idempotencyKey: string; message: CodexMessageDoc; sendArgs: Readonly<Record<string, unknown>> };

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
