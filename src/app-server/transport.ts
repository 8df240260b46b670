/**
 * The line transport the JSON-RPC client runs over: one JSON message per line, either way.
 * Kept abstract so the client works over a child's stdio, a socket, or an in-memory pair.
 */
export type LineTransport = {
  /** Sends one line (without its trailing newline). */
  send(line: string): void;
  /** Registers the receiver of every incoming line. */
  onLine(listener: (line: string) => void): void;
  /** Registers the listener told once when the peer goes away. */
  onClose(listener: (reason?: Error) => void): void;
  /** Closes our end; the peer sees `onClose`. */
  close(): void;
};

/**
 * Splits a character stream into lines. A line longer than `maxLineLength` is not buffered:
 * its first `maxLineLength + 1` characters are delivered (so the parser reports
 * `line_too_large`) and the rest, up to the next newline, is discarded.
 */
export class LineSplitter {
  private buffer = "";
  private discarding = false;
  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxLineLength: number,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf("\n", start);
      if (newline === -1) break;
      this.take(chunk.slice(start, newline), true);
      start = newline + 1;
    }
    if (start < chunk.length) this.take(chunk.slice(start), false);
  }

  /** Delivers a last line that had no newline (at end of stream). */
  flush(): void {
    if (!this.discarding && this.buffer.length > 0) this.emit(stripCr(this.buffer));
    this.buffer = "";
    this.discarding = false;
  }

  private take(piece: string, complete: boolean) {
    if (this.discarding) {
      if (complete) this.discarding = false;
      return;
    }
    this.buffer += piece;
    if (this.buffer.length > this.maxLineLength) {
      this.emit(this.buffer.slice(0, this.maxLineLength + 1));
      this.buffer = "";
      this.discarding = !complete;
      return;
    }
    if (complete) {
      const line = this.buffer;
      this.buffer = "";
      this.emit(stripCr(line));
    }
  }
}

const stripCr = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);

/** Two connected transports: what one sends, the other receives (asynchronously, in order). */
export function createInMemoryTransportPair(): [LineTransport, LineTransport] {
  const a = endpoint();
  const b = endpoint();
  a.peer = b;
  b.peer = a;
  return [a.transport, b.transport];
}

type Endpoint = {
  peer?: Endpoint;
  lineListener?: (line: string) => void;
  closeListeners: Array<(reason?: Error) => void>;
  closed: boolean;
  transport: LineTransport;
};

function endpoint(): Endpoint {
  const self: Endpoint = {
    closeListeners: [],
    closed: false,
    transport: {
      send(line) {
        if (self.closed) throw new Error("transport is closed");
        const peer = self.peer;
        queueMicrotask(() => {
          if (peer && !peer.closed) peer.lineListener?.(line);
        });
      },
      onLine(listener) {
        self.lineListener = listener;
      },
      onClose(listener) {
        self.closeListeners.push(listener);
      },
      close() {
        shutdown(self);
        if (self.peer) shutdown(self.peer);
      },
    },
  };
  return self;
}

function shutdown(e: Endpoint) {
  if (e.closed) return;
  e.closed = true;
  queueMicrotask(() => {
    for (const listener of e.closeListeners) listener();
  });
}
