/**
 * The last N lines of codex's stderr, kept so an exit can be explained without letting a
 * chatty child grow our memory. Each line is cut at `maxLineLength`.
 */
export class RingLog {
  private readonly lines: string[] = [];
  private dropped = 0;

  constructor(
    private readonly capacity = 200,
    private readonly maxLineLength = 2_000,
  ) {}

  push(line: string): void {
    this.lines.push(line.length > this.maxLineLength ? `${line.slice(0, this.maxLineLength)}…` : line);
    if (this.lines.length > this.capacity) {
      this.lines.shift();
      this.dropped++;
    }
  }

  /** Oldest first. */
  tail(count = this.capacity): string[] {
    return this.lines.slice(-count);
  }

  /** Lines pushed out of the ring so far. */
  get droppedCount(): number {
    return this.dropped;
  }
}
