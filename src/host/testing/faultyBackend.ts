/**
 * A persistence port with faults on demand, wrapped around the real one (the harness's
 * `wrapPersistence`): the backend unreachable — calls refused at once, as `ConvexHttpClient`
 * fails them, or held until it is back, as `ConvexClient` holds mutations while disconnected
 * (its subscription falls silent too) —, every write slowed down, the next call of one kind
 * lost on the way, or its reply lost after the backend committed it.
 */
import type { CodexPersistence, PendingCommand } from "../persistence/port.js";

export type OutageMode = "refuse" | "hold";
type Method = Exclude<keyof CodexPersistence, "watchPendingCommands">;

export class FaultyBackend {
  private outage: { mode: OutageMode; over: Promise<void>; end: () => void } | undefined;
  private writeDelayMs = 0;
  private readonly loseReplies = new Map<Method, number>();
  private readonly failCalls = new Map<Method, number>();
  private readonly silenced = new Set<() => void>();
  /** Calls that failed or were held because of a fault, per method. */
  readonly faulted = new Map<string, number>();

  /** The backend stops answering, until `restore()`. */
  cut(mode: OutageMode): void {
    if (this.outage) return;
    let end!: () => void;
    const over = new Promise<void>((resolve) => (end = resolve));
    this.outage = { mode, over, end };
  }

  restore(): void {
    const outage = this.outage;
    this.outage = undefined;
    outage?.end();
    // A reconnecting client re-runs its subscriptions.
    for (const redeliver of [...this.silenced]) redeliver();
  }

  /** Every call but the subscription takes this long before it reaches the backend. */
  slowWrites(ms: number): void {
    this.writeDelayMs = ms;
  }

  /** The next `count` calls of `method` reach the backend, which commits them; their replies are lost. */
  loseReply(method: Method, count = 1): void {
    this.loseReplies.set(method, (this.loseReplies.get(method) ?? 0) + count);
  }

  /** The next `count` calls of `method` never reach the backend (the request is lost on the way). */
  failNext(method: Method, count = 1): void {
    this.failCalls.set(method, (this.failCalls.get(method) ?? 0) + count);
  }

  wrap(port: CodexPersistence): CodexPersistence {
    const call = <K extends Method>(method: K) =>
      (async (...args: Parameters<CodexPersistence[K]>) => {
        if (this.writeDelayMs > 0) await new Promise((r) => setTimeout(r, this.writeDelayMs));
        await this.gate(method);
        const fail = this.failCalls.get(method) ?? 0;
        if (fail > 0) {
          this.failCalls.set(method, fail - 1);
          this.count(method);
          throw new Error(`${method}: the request was lost on the way`);
        }
        const result = await (port[method] as (...a: unknown[]) => Promise<unknown>)(...args);
        const lose = this.loseReplies.get(method) ?? 0;
        if (lose > 0) {
          this.loseReplies.set(method, lose - 1);
          this.count(method);
          throw new Error(`${method}: the connection dropped before the reply`);
        }
        return result;
      }) as CodexPersistence[K];
    const methods = Object.keys(port).filter((k): k is Method => k !== "watchPendingCommands");
    const wrapped = Object.fromEntries(methods.map((m) => [m, call(m)])) as Omit<CodexPersistence, "watchPendingCommands">;
    return {
      ...wrapped,
      watchPendingCommands: (args, listener, onError) => {
        let latest: PendingCommand[] | undefined;
        const redeliver = () => latest && listener(latest);
        this.silenced.add(redeliver);
        const stop = port.watchPendingCommands(
          args,
          (commands) => {
            latest = commands;
            if (!this.outage) listener(commands);
          },
          onError,
        );
        return () => {
          this.silenced.delete(redeliver);
          stop();
        };
      },
    };
  }

  private async gate(method: string) {
    const outage = this.outage;
    if (!outage) return;
    this.count(method);
    if (outage.mode === "refuse") throw new Error("fetch failed (backend unreachable)");
    await outage.over;
  }

  private count(method: string) {
    this.faulted.set(method, (this.faulted.get(method) ?? 0) + 1);
  }
}
