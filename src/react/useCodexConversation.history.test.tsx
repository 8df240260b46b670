// useCodexConversation with the generated host API's paged items (`threadItemsPage`) and
// pending approvals, on the real ConvexReactClient: older history pages in above what is
// shown, in true order and once each; a command waiting for approval says so.
import { act } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import type { InboundEvent } from "../contract/events.js";
import { codexTranscript, indexOf, isServerRequest, syntheticTurn } from "../protocol/testing/events.js";
import { commandStatusWord } from "./conversation/commandText.js";
import type { TranscriptCell } from "./conversation/reduceConversation.js";
import { createHarness } from "./testing/harness.js";
import { useCodexApprovals } from "./useCodexApprovals.js";
import { useCodexConversation, type CodexConversation } from "./useCodexConversation.js";

const { threadState, threadItemsPage, threadMessages, threadTurns, registerTurnStart, pendingApprovals } = api.codex;
const wrappers = { threadState, threadItemsPage, threadMessages, threadTurns, registerTurnStart, pendingApprovals };

let view: CodexConversation;
let approvals: ReturnType<typeof useCodexApprovals>;
function Conversation({ threadId }: { threadId: string }) {
  view = useCodexConversation(wrappers, { threadId }, { tickMs: 60_000 });
  approvals = useCodexApprovals(api.codex.pendingApprovals, { threadId }, api.codex.approvalRespond);
  return null;
}

// A long thread written as the bridge writes it: turns `T00`…, each a question and replies.
const TH = "thread-long";
const turnId = (t: number) => `T${String(t).padStart(2, "0")}`;
/** Turn `t`: question `q<t>`, `replies` answers `a<t>-<r>`; `end` = how it ended (none: still running). */
const turnEvents = (t: number, replies: number, end?: "completed" | "interrupted"): InboundEvent[] =>
  syntheticTurn({
    threadId: TH,
    turnId: turnId(t),
    startedAtMs: 1_800_000_000_000 + t * 1000,
    question: `q${t}`,
    replies: Array.from({ length: replies }, (_, r) => `a${t}-${r}`),
    ...(end ? { end } : {}),
  });
/** Ends turn `t` (still running) as completed. */
const completeTurn = (t: number) => turnEvents(t, 0, "completed").slice(-1);

/** What the transcript shows, one word per cell: `q3`, `a3-0`, `end:T03:interrupted`. */
function cells(transcript: readonly TranscriptCell[]): string[] {
  return transcript.map((c) => {
    if (c.kind === "user") return c.text;
    if (c.kind === "agent") return c.lines.join("\n");
    if (c.kind === "turn_end") return `end:${c.turnId}:${c.status}`;
    return c.kind;
  });
}

describe("useCodexConversation: older history and approvals", () => {
  test("older items page in above the latest 200, in true order, once each; a turn's marker lands with its items; the queue carries over", async () => {
    const h = createHarness();
    // 40 turns of 6 items (240): the first page (the newest 200) starts inside turn T06. T03
    // was interrupted; T39 is still running.
    const TURNS = 40;
    for (let t = 0; t < TURNS; t += 8) {
      const batch = Array.from({ length: Math.min(8, TURNS - t) }, (_, i) => {
        const n = t + i;
        return turnEvents(n, 5, n === TURNS - 1 ? undefined : n === 3 ? "interrupted" : "completed");
      }).flat();
      await h.ingest(TH, batch);
    }
    const expected = Array.from({ length: TURNS }, (_, t) => [`q${t}`, ...Array.from({ length: 5 }, (_, r) => `a${t}-${r}`), ...(t === 3 ? [`end:T03:interrupted`] : [])]).flat();

    h.render(<Conversation threadId={TH} />);
    await h.settle();
    expect(view.isLoaded).toBe(true);
    expect(view.state.taskRunning).toBe(true);
    // The newest 200 items: the last three items of T06 onwards. T03's marker waits for its
    // items instead of showing at the end.
    const newest = expected.filter((c) => !c.startsWith("end:")).slice(-200);
    expect(newest[0]).toBe("a6-3");
    expect(cells(view.state.transcript)).toEqual(newest);
    expect(view.olderStatus).toBe("CanLoadMore");

    // Typed while T39 runs: queued on this device.
    await act(async () => view.submit("after that"));
    expect(view.state.queuedInputs).toEqual(["after that"]);

    await h.act(() => view.loadOlder());
    await h.settle();
    expect(cells(view.state.transcript)).toEqual(expected);
    expect(view.state.queuedInputs).toEqual(["after that"]);
    expect(view.state.taskRunning).toBe(true);
    // The older messages (100 a page) are still coming; one more and everything is in.
    expect(view.olderStatus).toBe("CanLoadMore");
    await h.act(() => view.loadOlder());
    await h.settle();
    expect(view.olderStatus).toBe("Exhausted");
    expect(cells(view.state.transcript)).toEqual(expected);

    // New items keep arriving at the end while the older pages stay loaded (the first page's
    // end is pinned): shown once, below.
    await h.ingest(TH, completeTurn(39));
    await h.settle();
    await h.ingest(TH, turnEvents(40, 1, "completed"));
    expect(cells(view.state.transcript)).toEqual([...expected, "q40", "a40-0"]);
  }, 30_000);

  test("a command waiting for approval says so, until the approval is answered", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("command-accept");
    const request = indexOf(events, isServerRequest);
    h.render(<Conversation threadId={threadId} />);
    await h.ingest(threadId, events.slice(0, request));
    expect(view.state.activeExec).toMatchObject({ title: "Running", done: false });
    expect(commandStatusWord(view.state.activeExec!)).toBe("Running");

    await h.ingest(threadId, events.slice(request, request + 1));
    expect(view.state.activeExec).toMatchObject({ title: "Waiting for approval", awaitingApproval: true, done: false });
    expect(commandStatusWord(view.state.activeExec!)).toBe("Waiting for approval");

    // Answered here: it runs at once (the approval leaves the list optimistically).
    const release = h.client.pause(api.codex.approvalRespond);
    await act(async () => void approvals.respond(approvals.approvals[0]!, "accepted"));
    expect(view.state.activeExec).toMatchObject({ title: "Running", done: false });
    expect(view.state.activeExec?.awaitingApproval).toBeUndefined();
    release();
    await h.settle();
    await h.ingest(threadId, events.slice(request + 1));
    const exec = view.state.transcript.find((c) => c.kind === "exec");
    expect(exec?.kind === "exec" && commandStatusWord(exec.call)).toBe("Ran");
  });
});
