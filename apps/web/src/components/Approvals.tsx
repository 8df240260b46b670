import { useCodexApprovals } from "codex-local-component/react";
import { useState } from "react";
import { chat } from "../api.js";

/** What codex waits for: one card per pending approval, answered from this device. */
export function Approvals({ threadId }: { threadId: string }) {
  const { approvals, respond } = useCodexApprovals(chat.pendingApprovals, { threadId }, chat.approvalRespond);
  const [error, setError] = useState<string>();
  if (approvals.length === 0 && !error) return null;

  return (
    <section className="approvals">
      {approvals.map((a) => (
        <article key={a._id} className="approval" data-testid="approval" data-kind={a.kind}>
          <div>
            <strong>codex asks to run</strong> {a.command ? <code data-testid="approval-command">{a.command}</code> : a.kind}
          </div>
          {a.reason && <p className="muted">{a.reason}</p>}
          <button type="button" data-testid="approval-accept" onClick={() => respond(a, "accepted").catch((e: unknown) => setError(String(e)))}>
            Accept
          </button>
          <button type="button" data-testid="approval-decline" onClick={() => respond(a, "declined").catch((e: unknown) => setError(String(e)))}>
            Decline
          </button>
        </article>
      ))}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
