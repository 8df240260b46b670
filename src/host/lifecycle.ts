/**
 * The runtime's lifecycle as push + snapshot: listeners get every change, and
 * `getLifecycleState()` answers at any time with the same object.
 *
 *   idle ─connect─► starting ─ready─► running ─stop─► stopping ─► stopped
 *                      │                 │
 *                      └──fail──► error ◄┘ codex exited on its own (running again after a restart)
 */
export type LifecyclePhase = "idle" | "starting" | "running" | "stopping" | "stopped" | "error";
export type LifecycleSource = "runtime" | "bridge_event" | "protocol_error" | "process_exit";

export type LifecycleState = {
  running: boolean;
  phase: LifecyclePhase;
  /** What caused the last change. */
  source: LifecycleSource;
  updatedAtMs: number;
  /** The thread the runtime has open (codex's id), if any. */
  threadId: string | undefined;
  /** The turn running in that thread, if any. */
  turnId: string | undefined;
  /** Why the phase is `error`, or the last problem reported. */
  lastError?: string;
};

export type LifecycleListener = (state: LifecycleState) => void;

export class LifecycleStore {
  private state: LifecycleState = {
    running: false,
    phase: "idle",
    source: "runtime",
    updatedAtMs: Date.now(),
    threadId: undefined,
    turnId: undefined,
  };
  private readonly listeners = new Set<LifecycleListener>();

  get(): LifecycleState {
    return this.state;
  }

  update(source: LifecycleSource, patch: Partial<Omit<LifecycleState, "source" | "updatedAtMs" | "running">>): void {
    const next = { ...this.state, ...patch, source, updatedAtMs: Date.now() };
    next.running = next.phase === "running";
    const changed = (Object.keys(patch) as Array<keyof typeof patch>).some((k) => patch[k] !== this.state[k]);
    if (!changed) return;
    this.state = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next);
      } catch {
        // A listener's failure is its own; others still hear about the change.
      }
    }
  }

  subscribe(listener: LifecycleListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
