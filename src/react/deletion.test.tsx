// Deletion controls on a device, on the real ConvexReactClient over the dev backend: a
// scheduled deletion's status, cancelled or forced with the optimistic presets — shown at once,
// before the server answered — then the server's own state.
import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { codexOptimisticPresets, useCodexDeletionStatus, useCodexOptimisticMutation } from "./deletion.js";
import { createHarness } from "./testing/harness.js";

const cancelPreset = codexOptimisticPresets.deletionStatus.cancel(api.codex.getDeletionStatus);
const forcePreset = codexOptimisticPresets.deletionStatus.forceRun(api.codex.getDeletionStatus);

function Deletion({ jobId }: { jobId: string }) {
  const { job } = useCodexDeletionStatus(api.codex.getDeletionStatus, { jobId });
  const cancel = useCodexOptimisticMutation(api.codex.cancelDeletion, cancelPreset);
  const force = useCodexOptimisticMutation(api.codex.forceRunDeletion, forcePreset);
  return (
    <div>
      <p data-testid="status">{job === undefined ? "loading" : job === null ? "none" : `${job.status}:${job.deleted.messages ?? 0}`}</p>
      <button onClick={() => void cancel({ jobId }).catch(() => undefined)}>cancel</button>
      <button onClick={() => void force({ jobId }).catch(() => undefined)}>force</button>
    </div>
  );
}

const status = () => screen.getByTestId("status").textContent;
const HOUR = 3_600_000;

describe("deletion status and its optimistic controls", () => {
  test("cancel shows at once, and the server agrees: nothing is deleted", async () => {
    const h = createHarness();
    await h.backend.mutation(api.codex.ensureThread, { threadId: "thr" });
    const { jobId } = await h.backend.mutation(api.codex.scheduleDeleteThread, { threadId: "thr", delayMs: HOUR });
    h.render(<Deletion jobId={jobId} />);
    await h.settle();
    expect(status()).toBe("scheduled:0");
    const release = h.client.pause(api.codex.cancelDeletion);
    await act(async () => screen.getByText("cancel").click());
    expect(status()).toBe("cancelled:0");
    release();
    await h.settle();
    expect(status()).toBe("cancelled:0");
    expect((await h.backend.query(api.codex.listThreads, { paginationOpts: { numItems: 5, cursor: null } })).page).toHaveLength(1);
  });

  test("force-run shows it running at once; the job then runs and completes", async () => {
    const h = createHarness();
    await h.backend.mutation(api.codex.ensureThread, { threadId: "thr" });
    await h.ingest("thr", [
      { type: "lifecycle_event", eventId: "t/started", turnId: "t", kind: "turn/started", payloadJson: JSON.stringify({ threadId: "thr", turn: { id: "t", status: "inProgress", items: [] } }), createdAt: 1 },
      {
        type: "lifecycle_event",
        eventId: "t/u/completed",
        turnId: "t",
        itemId: "u",
        kind: "item/completed",
        payloadJson: JSON.stringify({ threadId: "thr", turnId: "t", item: { type: "userMessage", id: "u", content: [{ type: "text", text: "bye" }] } }),
        createdAt: 2,
      },
    ]);
    const { jobId } = await h.backend.mutation(api.codex.scheduleDeleteThread, { threadId: "thr", delayMs: HOUR });
    h.render(<Deletion jobId={jobId} />);
    await h.settle();
    const release = h.client.pause(api.codex.forceRunDeletion);
    await act(async () => screen.getByText("force").click());
    expect(status()).toBe("running:0");
    release();
    await h.elapse(50);
    expect(status()).toBe("completed:1");
    // Once it ran, cancelling is refused and the optimistic guess does not apply: the status
    // stays, also while the refused call is in flight.
    const held = h.client.pause(api.codex.cancelDeletion);
    await act(async () => screen.getByText("cancel").click());
    expect(status()).toBe("completed:1");
    held();
    await h.settle();
    expect(status()).toBe("completed:1");
  });
});
