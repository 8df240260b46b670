import type { CodexConnection, CodexHostStatus } from "codex-local-component/react";
import type { ReactNode } from "react";

const connectionText = { connecting: "Connecting…", online: "Online", reconnecting: "Reconnecting…", offline: "Offline" } as const;

/** Where this device stands: its link to Convex and whether any host runtime is there to run codex. */
export function Pills({ connection, host }: { connection: CodexConnection; host: CodexHostStatus }) {
  const held = connection.status !== "online" && connection.pendingWrites > 0;
  return (
    <div className="pills">
      <span className={`pill conn-${connection.status}`} data-testid="connection" data-status={connection.status} title="Connection to Convex">
        {connectionText[connection.status]}
        {held && ` · ${connection.pendingWrites} held`}
      </span>
      <span
        className={`pill host-${host.online === undefined ? "unknown" : host.online ? "online" : "offline"}`}
        data-testid="host-status"
        data-online={host.online === undefined ? "unknown" : String(host.online)}
        title={host.hosts.map((h) => h.deviceId ?? h.sessionId).join(", ")}
      >
        {host.online === undefined ? "Host…" : host.online ? "Host online" : "No host online"}
        {host.online && host.hosts[0]?.deviceId && <span className="wide-only">{` (${host.hosts[0].deviceId})`}</span>}
      </span>
    </div>
  );
}

/** The bar over a thread: the thread list button (phones), the title and its actions, the pills. */
export function TopBar({ onMenu, children, pills }: { onMenu(): void; children: ReactNode; pills: ReactNode }) {
  return (
    <header className="topbar">
      <button type="button" className="icon menu" aria-label="Threads" data-testid="open-threads" onClick={onMenu}>
        ☰
      </button>
      <div className="topbar-title">{children}</div>
      {pills}
    </header>
  );
}
