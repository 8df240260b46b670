/**
 * Is this device connected to Convex? The client reconnects on its own and holds mutations
 * until it is back; this names the state so a UI can say so: `connecting` (never connected
 * yet), `online`, `reconnecting` (the socket dropped a moment ago), `offline` (down for
 * longer than `offlineAfterMs`, or the browser reports no network). `pendingWrites` counts
 * mutations sent and not answered yet — held while not online.
 */
import { useConvexConnectionState } from "convex/react";
import { useEffect, useState } from "react";

export type CodexConnectionStatus = "connecting" | "online" | "reconnecting" | "offline";

export type CodexConnection = {
  status: CodexConnectionStatus;
  isOnline: boolean;
  /** Mutations sent and not answered yet (held by the client while not online). */
  pendingWrites: number;
  /** When the socket was last seen down (ms since epoch), while it is. */
  downSince: number | undefined;
};

export type CodexConnectionOptions = {
  /** How long a dropped socket counts as `reconnecting` before it is `offline` (default 4 s). */
  offlineAfterMs?: number;
};

/** The status for a connection state, how long it has been down, and the browser's own network flag. */
export function connectionStatus(
  state: { isWebSocketConnected: boolean; hasEverConnected: boolean },
  downForMs: number,
  browserOffline: boolean,
  offlineAfterMs: number,
): CodexConnectionStatus {
  if (state.isWebSocketConnected) return "online";
  if (browserOffline || downForMs >= offlineAfterMs) return "offline";
  return state.hasEverConnected ? "reconnecting" : "connecting";
}

const browserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;

export function useCodexConnection(options: CodexConnectionOptions = {}): CodexConnection {
  const offlineAfterMs = options.offlineAfterMs ?? 4_000;
  const state = useConvexConnectionState();
  const connected = state.isWebSocketConnected;
  const [downSince, setDownSince] = useState<number | undefined>(() => (connected ? undefined : Date.now()));
  const [, setTick] = useState(0);
  const [noNetwork, setNoNetwork] = useState(browserOffline);

  useEffect(() => {
    setDownSince(connected ? undefined : (since) => since ?? Date.now());
  }, [connected]);

  // Re-render when `reconnecting` turns into `offline`.
  useEffect(() => {
    if (downSince === undefined) return;
    const left = downSince + offlineAfterMs - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => setTick((n) => n + 1), left);
    return () => clearTimeout(timer);
  }, [downSince, offlineAfterMs]);

  useEffect(() => {
    if (typeof window === "undefined") return;
    const update = () => setNoNetwork(browserOffline());
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);

  const downForMs = connected || downSince === undefined ? 0 : Date.now() - downSince;
  const status = connectionStatus(state, downForMs, noNetwork, offlineAfterMs);
  return { status, isOnline: status === "online", pendingWrites: state.inflightMutations, downSince: connected ? undefined : downSince };
}
