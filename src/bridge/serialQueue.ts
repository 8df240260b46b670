/**
 * Runs tasks one after another in submission order: a task that returns a promise is
 * awaited before the next starts. codex's stdout lines go through one of these, so a slow
 * async handler can never let a later event overtake an earlier one. A failing task is
 * reported and the queue goes on.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly onError: (error: unknown) => void) {}

  push(task: () => unknown): Promise<void> {
    this.pending++;
    const run = this.tail.then(async () => {
      try {
        await task();
      } catch (error) {
        this.onError(error);
      } finally {
        this.pending--;
      }
    });
    this.tail = run;
    return run;
  }

  /** Resolves once everything submitted so far has run. */
  idle(): Promise<void> {
    return this.tail;
  }

  get size(): number {
    return this.pending;
  }
}
