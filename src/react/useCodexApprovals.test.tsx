import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { codexTranscript, indexOf, isServerRequest } from "../protocol/testing/events.js";
import { createHarness, sessionId, type Harness } from "./testing/harness.js";
import { useCodexApprovals } from "./useCodexApprovals.js";

function Approvals({ threadId, onError }: { threadId: string; onError?: (e: unknown) => void }) {
  const { approvals, isLoading, respond } = useCodexApprovals(api.codex.pendingApprovals, { threadId }, api.codex.approvalRespond);
  if (isLoading) return <p>loading</p>;
  return (
    <ul>
      {approvals.map((a) => (
        <li key={a._id} data-testid="approval">
          {`${a.kind}:${a.command ?? "-"}`}
          <button onClick={() => void respond(a, "accepted")}>approve</button>
          <button onClick={() => void respond(a, "declined", "not now")}>decline</button>
          <button onClick={() => respond({ ...a, itemId: "no-such-item" }, "accepted").catch(onError)}>bad</button>
        </li>
      ))}
    </ul>
  );
}

const shown = () => screen.queryAllByTestId("approval").map((li) => li.firstChild?.textContent);

/** A recorded conversation up to (and with) codex's approval request; the rest comes after the answer. */
async function upToRequest(h: Harness, name: string, session = sessionId) {
  const { threadId, events } = codexTranscript(name);
  const request = indexOf(events, isServerRequest);
  await h.ingest(threadId, events.slice(0, request + 1), session);
  return { threadId, rest: events.slice(request + 1), requestId: (events[request] as { requestId: number }).requestId };
}

/** What the bridge will send back to codex for each answered request. */
async function answersForBridge(h: Harness, threadId: string) {
  const pending = await h.backend.query(api.codex.commandsPending, { threadId });
  return pending.map((c) => ({ kind: c.kind, requestId: c.requestId, targetSessionId: c.targetSessionId, response: JSON.parse(c.responseJson!) }));
}

describe("useCodexApprovals (real component, recorded codex approval requests)", () => {
  test("a command approval appears, leaves at once when approved, and the answer is queued for codex", async () => {
    const h = createHarness();
    const { threadId, rest, requestId } = await upToRequest(h, "command-accept");
    h.render(<Approvals threadId={threadId} />);
    await h.settle();
    expect(shown()).toEqual(["commandExecution:/bin/bash -lc 'echo approved-run'"]);

    const release = h.client.pause(api.codex.approvalRespond);
    await act(async () => screen.getByText("approve").click());
    // Gone at once (optimistic), before the server answered.
    expect(shown()).toEqual([]);
    release();
    await h.settle();
    expect(shown()).toEqual([]);
    expect(await answersForBridge(h, threadId)).toEqual([
      { kind: "respondServerRequest", requestId, targetSessionId: sessionId, response: { decision: "accept" } },
    ]);

    // Codex resolves the request and runs the command: the approval stays answered.
    await h.ingest(threadId, rest);
    expect(shown()).toEqual([]);
  });

  test("a file-change approval is declined (with a reason for the record)", async () => {
    const h = createHarness();
    const { threadId } = await upToRequest(h, "file-change");
    h.render(<Approvals threadId={threadId} />);
    await h.settle();
    expect(shown()).toEqual(["fileChange:-"]);
    await h.act(() => screen.getByText("decline").click());
    await h.settle();
    expect(shown()).toEqual([]);
    expect((await answersForBridge(h, threadId)).map((a) => a.response)).toEqual([{ decision: "decline" }]);
  });

  test("a failed answer brings the approval back", async () => {
    const h = createHarness();
    const { threadId } = await upToRequest(h, "command-decline");
    let failure: unknown;
    h.render(<Approvals threadId={threadId} onError={(e) => (failure = e)} />);
    await h.settle();
    await h.act(() => screen.getByText("bad").click());
    await h.settle();
    expect(failure).toBeInstanceOf(Error);
    expect(shown()).toEqual(["commandExecution:/bin/bash -lc 'echo declined-run'"]);
    expect(await answersForBridge(h, threadId)).toEqual([]);
  });

  test("approvals are per thread: another thread's request does not show", async () => {
    const h = createHarness();
    const accept = await upToRequest(h, "command-accept");
    // Recorded by two codex processes (both numbered their request 0): two bridge sessions.
    const file = await upToRequest(h, "file-change", "bridge-2");
    h.render(
      <>
        <Approvals threadId={accept.threadId} />
        <Approvals threadId={file.threadId} />
      </>,
    );
    await h.settle();
    expect(shown()).toEqual(["commandExecution:/bin/bash -lc 'echo approved-run'", "fileChange:-"]);
    await h.act(() => screen.getAllByText("approve")[1]!.click());
    await h.settle();
    expect(shown()).toEqual(["commandExecution:/bin/bash -lc 'echo approved-run'"]);
  });
});
