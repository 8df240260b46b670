/**
 * The `ws` package, loaded through Node's own resolution: under a DOM test environment the
 * bundler's "browser" condition would give its browser stub, which has no server or client.
 */
import { createRequire } from "node:module";

type Ws = typeof import("ws");
const ws = createRequire(import.meta.url)("ws") as Ws;

export const WebSocketServer: Ws["WebSocketServer"] = ws.WebSocketServer;
export const NodeWebSocket: Ws["WebSocket"] = ws.WebSocket;
export type { WebSocket } from "ws";
