/**
 * Test support: a real `ConvexReactClient` on a dev backend, signed in as a user, and a way to
 * know it has settled — every message it sent was handled, every answer reached it, nothing
 * is being computed. Its socket is the `ws` package's, tagged so the backend counts its
 * messages apart from other clients'.
 */
import { ConvexReactClient } from "convex/react";
import { NodeWebSocket } from "./nodeWs.js";
import type { DevBackend } from "./server.js";

let nextTag = 0;

export type TestReactClient = {
  client: ConvexReactClient;
  /** Resolves once the client and the backend have nothing left in flight between them. */
  settled(): Promise<void>;
  /** Messages this client has sent so far. */
  sent(): number;
  close(): Promise<void>;
};

export function connectReactClient(backend: DevBackend, options: { user?: string | null } = {}): TestReactClient {
  const tag = `react-${++nextTag}`;
  const counts = { sent: 0, received: 0 };
  class CountingWebSocket extends NodeWebSocket {
    constructor(url: string) {
      super(`${url}?tag=${tag}`);
      this.addEventListener("message", () => counts.received++);
    }
    override send(data: Parameters<InstanceType<typeof NodeWebSocket>["send"]>[0]) {
      counts.sent++;
      super.send(data);
    }
  }
  const client = new ConvexReactClient(backend.url, {
    webSocketConstructor: CountingWebSocket as unknown as typeof globalThis.WebSocket,
    logger: false,
  });
  const user = options.user === undefined ? "alice" : options.user;
  if (user !== null) client.setAuth(async () => backend.mintToken(user));
  const quiet = () => {
    const server = backend.testing.messageCounts(tag);
    return client.connectionState().isWebSocketConnected && server.received === counts.sent && server.sent === counts.received;
  };
  return {
    client,
    async settled() {
      // Three quiet looks in a row, a macrotask apart: what one answer made the hooks send
      // (a new subscription, the next mutation) is seen before this resolves.
      for (let stable = 0; stable < 3; ) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        await backend.testing.idle();
        stable = quiet() ? stable + 1 : 0;
      }
    },
    sent: () => counts.sent,
    close: () => client.close(),
  };
}
