// What a device shows around the conversation, on the real ConvexReactClient: whether a
// host runtime is online, the connection to Convex, token usage, and codex's questions.
import { act, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { codexTranscript, indexOf, isServerRequest, payloadOf } from "../protocol/testing/events.js";
import { createHarness, sessionId } from "./testing/harness.js";
import { connectionStatus, useCodexConnection } from "./useCodexConnection.js";
import { liveHosts, useCodexHostStatus } from "./useCodexHostStatus.js";
import { contextLeftPercent, useCodexTokenUsage } from "./useCodexTokenUsage.js";
import { readQuestions, useCodexUserInput } from "./useCodexUserInput.js";

const text = (id: string) => screen.getByTestId(id).textContent;
const sleep = (ms: number) => act(async () => void (await new Promise((r) => setTimeout(r, ms))));

let hostRenders = 0;
function Host() {
  hostRenders++;
  const { online, hosts } = useCodexHostStatus(api.codex.hostSessions);
  return <p data-testid="host">{online === undefined ? "loading" : online ? `online:${hosts.map((h) => h.sessionId).join(",")}` : "offline"}</p>;
}

describe("useCodexHostStatus", () => {
  test("online while a host holds a session; closed → offline at once", async () => {
    const h = createHarness();
    h.render(<Host />);
    await h.settle();
    expect(text("host")).toBe("offline");
    await h.call(api.codex.sessionOpen, { sessionId: "laptop-1" });
    expect(text("host")).toBe("online:laptop-1");
    // Settled: waiting for the session's deadline renders nothing meanwhile (no render loop).
    const renders = hostRenders;
    await sleep(100);
    expect(hostRenders).toBe(renders);
    await h.call(api.codex.sessionClose, { sessionId: "laptop-1" });
    expect(text("host")).toBe("offline");
  });

  test("a host that stops heartbeating reads offline once its deadline passes, before any sweep", async () => {
    const h = createHarness();
    h.render(<Host />);
    await h.call(api.codex.sessionOpen, { sessionId: "silent", staleAfterMs: 1_000 });
    expect(text("host")).toBe("online:silent");
    // No heartbeat, no backend write: the hook's own clock notices.
    await sleep(1_200);
    expect(text("host")).toBe("offline");
  });

  test("liveHosts: only sessions whose deadline is ahead, the latest heard from first", () => {
    const s = (sessionId: string, lastHeartbeatAt: number, staleAt: number) => ({ sessionId, lastHeartbeatAt, staleAt });
    expect(liveHosts([s("a", 10, 100), s("b", 20, 50), s("c", 30, 200)], 60).map((x) => x.sessionId)).toEqual(["c", "a"]);
  });
});

const rendered: string[] = [];
function Connection() {
  const { status } = useCodexConnection({ offlineAfterMs: 10_000 });
  if (rendered.at(-1) !== status) rendered.push(status);
  return <p data-testid="connection">{status}</p>;
}

describe("useCodexConnection", () => {
  test("online; a dropped socket reads reconnecting, then online again", async () => {
    const h = createHarness();
    h.render(<Connection />);
    await h.settle();
    expect(text("connection")).toBe("online");
    rendered.length = 0;
    await act(async () => {
      h.client.dropConnection();
      await new Promise((r) => setTimeout(r, 50));
    });
    await h.settle();
    expect(rendered).toEqual(["reconnecting", "online"]);
    expect(text("connection")).toBe("online");
  });

  test.each([
    [{ isWebSocketConnected: true, hasEverConnected: true }, 99_999, true, "online"],
    [{ isWebSocketConnected: false, hasEverConnected: false }, 0, false, "connecting"],
    [{ isWebSocketConnected: false, hasEverConnected: true }, 1_000, false, "reconnecting"],
    [{ isWebSocketConnected: false, hasEverConnected: true }, 4_000, false, "offline"],
    [{ isWebSocketConnected: false, hasEverConnected: false }, 4_000, false, "offline"],
    [{ isWebSocketConnected: false, hasEverConnected: true }, 0, true, "offline"],
  ])("connectionStatus %j down %i ms, browser offline %s → %s", (state, downFor, browserOffline, status) => {
    expect(connectionStatus(state, downFor, browserOffline, 4_000)).toBe(status);
  });
});

function Usage({ threadId }: { threadId: string }) {
  const { usage } = useCodexTokenUsage(api.codex.tokenUsage, { threadId });
  return <p data-testid="usage">{usage === undefined ? "loading" : usage === null ? "none" : `${usage.totalTokens}/${usage.contextTokens}/${usage.modelContextWindow}/${usage.contextLeftPercent}`}</p>;
}

describe("useCodexTokenUsage", () => {
  test("the recorded turn's usage and the context left", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("streamed-text");
    const usageEvent = events.findLast((e) => e.type === "lifecycle_event" && e.kind === "thread/tokenUsage/updated")!;
    const { total, last, modelContextWindow } = payloadOf(usageEvent).tokenUsage as { total: { totalTokens: number }; last: { totalTokens: number }; modelContextWindow: number };
    await h.ingest(threadId, events.slice(0, events.indexOf(usageEvent)));
    h.render(<Usage threadId={threadId} />);
    await h.settle();
    expect(text("usage")).toBe("none");
    await h.ingest(threadId, events.slice(events.indexOf(usageEvent)));
    expect(text("usage")).toBe(`${total.totalTokens}/${last.totalTokens}/${modelContextWindow}/${contextLeftPercent(last.totalTokens, modelContextWindow)}`);
  });

  test("a thread that is not there (never synced, or deleted) reads as no usage, not an error", async () => {
    const h = createHarness();
    h.render(<Usage threadId="no-such-thread" />);
    await h.settle();
    expect(text("usage")).toBe("none");
  });

  test.each([
    [0, 200_000, 100],
    [12_000, 200_000, 100],
    [106_000, 200_000, 50],
    [212_000, 200_000, 0],
    [5_000, 10_000, 0],
  ])("contextLeftPercent(%i, %i) = %i", (used, window, left) => {
    expect(contextLeftPercent(used, window)).toBe(left);
  });
});

function Questions({ threadId }: { threadId: string }) {
  const { requests, answer } = useCodexUserInput(api.codex.pendingServerRequests, { threadId }, api.codex.resolveServerRequest);
  return (
    <ul>
      {requests.map((r) => (
        <li key={r._id} data-testid="question">
          {r.questions.map((q) => `${q.header}: ${q.question} [${q.options.map((o) => o.label).join("|")}]`).join(";")}
          <button onClick={() => void answer(r, { [r.questions[0]!.id]: ["staging"] })}>answer</button>
        </li>
      ))}
    </ul>
  );
}

describe("useCodexUserInput (recorded: codex asks in plan mode)", () => {
  test("the question shows with its options; answered, it leaves at once and the answer is queued for codex", async () => {
    const h = createHarness();
    const { threadId, events } = codexTranscript("user-input");
    const asked = indexOf(events, isServerRequest);
    await h.ingest(threadId, events.slice(0, asked + 1));
    h.render(<Questions threadId={threadId} />);
    await h.settle();
    expect(screen.getAllByTestId("question").map((li) => li.firstChild?.textContent)).toEqual([
      "Target: Which branch should I deploy? [main|staging]",
    ]);
    const release = h.client.pause(api.codex.resolveServerRequest);
    await act(async () => screen.getByText("answer").click());
    expect(screen.queryAllByTestId("question")).toEqual([]);
    release();
    await h.settle();
    const [command] = await h.backend.query(api.codex.commandsPending, { threadId });
    expect(command).toMatchObject({ kind: "respondServerRequest", targetSessionId: sessionId });
    expect(JSON.parse(command!.responseJson!)).toEqual({ answers: { target: { answers: ["staging"] } } });
    // codex resolves it: still gone.
    await h.ingest(threadId, events.slice(asked + 1));
    expect(screen.queryAllByTestId("question")).toEqual([]);
  });

  test("readQuestions reads what it can of malformed params", () => {
    expect(readQuestions("not json")).toEqual([]);
    expect(readQuestions(JSON.stringify({ questions: [{ id: "q", options: [{ label: "a" }, { nope: 1 }] }, { header: "no id" }] }))).toEqual([
      { id: "q", header: "", question: "", isOther: false, isSecret: false, options: [{ label: "a", description: "" }] },
    ]);
  });
});
