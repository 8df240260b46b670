import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "./testing/app/_generated/api.js";
import { actor, createHarness } from "./testing/harness.js";
import { useCodexApprovals } from "./useCodexApprovals.js";

function Approvals({ threadId }: { threadId: string }) {
  const { approvals, isLoading, respond } = useCodexApprovals(api.chat.pendingApprovals, { actor, threadId }, api.chat.approvalRespond);
  if (isLoading) return <p>loading</p>;
  return (
    <ul>
      {approvals.map((a) => (
        <li key={a._id} data-testid="approval">
          {a.command}
          <button onClick={() => void respond(a, "accepted")}>approve {a.itemId}</button>
          <button onClick={() => void respond(a, "declined", "not now")}>decline {a.itemId}</button>
        </li>
      ))}
    </ul>
  );
}

const shown = () => screen.queryAllByTestId("approval").map((li) => li.firstChild?.textContent);

describe("useCodexApprovals", () => {
  test("an approval appears, is answered, and disappears; the answer is stored", async () => {
    const h = await createHarness();
    h.render(<Approvals threadId={h.threadId} />);
    await h.settle();
    expect(shown()).toEqual([]);
    await h.bridge("requestApproval", { turnId: "turn-1", itemId: "c1", kind: "commandExecution", command: "rm -rf build" });
    await h.bridge("requestApproval", { turnId: "turn-1", itemId: "c2", kind: "commandExecution", command: "git push" });
    expect(shown()).toEqual(["rm -rf build", "git push"]);

    await act(async () => screen.getByText("approve c1").click());
    // Gone at once (optimistic), before the server answered.
    expect(shown()).toEqual(["git push"]);
    await h.settle();
    expect(shown()).toEqual(["git push"]);

    await act(async () => screen.getByText("decline c2").click());
    await h.settle();
    expect(shown()).toEqual([]);

    const stored = await h.t.run(async (ctx) => await ctx.db.query("approvals").collect());
    expect(stored.map((a) => [a.itemId, a.status, a.reason, a.decidedBy])).toEqual([
      ["c1", "accepted", undefined, actor.userId],
      ["c2", "declined", "not now", actor.userId],
    ]);
  });

  test("a failed answer brings the approval back", async () => {
    const h = await createHarness();
    let failure: unknown;
    function Answer() {
      const { approvals, respond } = useCodexApprovals(api.chat.pendingApprovals, { actor, threadId: h.threadId }, api.chat.approvalRespond);
      return (
        <ul>
          {approvals.map((a) => (
            <li key={a._id} data-testid="approval">
              {a.command}
              <button onClick={() => respond({ ...a, itemId: "missing" }, "accepted").catch((e: unknown) => (failure = e))}>bad</button>
            </li>
          ))}
        </ul>
      );
    }
    h.render(<Answer />);
    await h.bridge("requestApproval", { turnId: "turn-1", itemId: "c1", kind: "commandExecution", command: "make" });
    await act(async () => screen.getByText("bad").click());
    await h.settle();
    expect(failure).toBeInstanceOf(Error);
    expect(shown()).toEqual(["make"]);
  });
});
