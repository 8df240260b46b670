// End to end, when the backend gives up on a session: heartbeats stop getting through for
// longer than the session's window, the component sweeps the session `stale` (failing what
// it held), and the runtime must notice and go on under a NEW session without losing,
// doubling or re-running anything. REAL codex, scripted model on 127.0.0.1, component in
// process with a 1.5 s window (`staleAfterMs`) so the sweep comes within the test.
import { afterEach, describe, expect, test } from "vitest";
import type { CodexPersistence } from "./persistence/port.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 50, cursor: null };
type Msg = { role: string; text: string; status: string; turnId: string };
type Turn = { turnId: string; status: string; commandId?: string };
type Approval = { itemId: string; turnId: string; status: string; decidedBy?: string; decidedByDeviceId?: string };
type Reported = { context: string; code: unknown; message: string };

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const codeOf = (error: unknown) => (error as { data?: { code?: unknown } } | null)?.data?.code;

/**
 * A harness whose session calls (heartbeat, open) can be made to vanish on the way, as when
 * this machine cannot reach the backend; it records what the runtime reports.
 */
async function harness() {
  const control = { lost: new Set<"heartbeat" | "open">(), opened: [] as string[], reported: [] as Reported[] };
  const wrap = (port: CodexPersistence): CodexPersistence => ({
    ...port,
    async openSession(args) {
      if (control.lost.has("open")) throw new Error("open lost on the way");
      await port.openSession(args);
      control.opened.push(args.sessionId);
    },
    async heartbeatSession(args) {
      if (control.lost.has("heartbeat")) throw new Error("heartbeat lost on the way");
      await port.heartbeatSession(args);
    },
  });
  const h = await startHarness({
    wrapPersistence: wrap,
    runtime: {
      staleAfterMs: 1_500,
      heartbeatMs: 150,
      onError: (error, context) => control.reported.push({ context, code: codeOf(error), message: (error as Error).message }),
    },
  });
  open.push(h);
  return { h, control };
}

const messages = async (h: Harness, threadId: string) =>
  [...((await h.device.query(chat.threadMessages, { threadId, paginationOpts: page })) as { page: Msg[] }).page]
    .reverse()
    .map((m) => [m.role, m.text, m.status]);
const turns = async (h: Harness, threadId: string) =>
  ((await h.device.query(chat.threadState, { threadId })) as { recentTurns: Turn[]; openCommands: unknown[] });
const approvals = async (h: Harness, threadId: string) =>
  ((await h.device.query(chat.approvalHistory, { threadId, paginationOpts: page })) as { page: Approval[] }).page;

/** A device starts a turn; resolves once it ran and its command is finished. */
async function deviceTurn(h: Harness, threadId: string, inputText: string) {
  const ticket = (await h.device.mutation(chat.registerTurnStart, {
    threadId,
    inputText,
    idempotencyKey: inputText,
    deviceId: "phone",
  })) as { commandId: string };
  const state = await waitFor(
    () => turns(h, threadId),
    (s) => s.recentTurns[0]?.commandId === ticket.commandId && s.recentTurns[0].status === "completed" && s.openCommands.length === 0,
  );
  return { commandId: ticket.commandId, turnId: state.recentTurns[0]!.turnId };
}

/**
 * Waits until the backend has swept `sessionId` stale, without touching it: claiming a
 * finished command checks the session first and writes nothing either way.
 */
async function sweptStale(h: Harness, sessionId: string, finishedCommandId: string) {
  await waitFor(
    () => h.device.mutation(chat.commandClaim, { sessionId, commandId: finishedCommandId }).then(() => "claimed", codeOf),
    (code) => code === "E_SESSION_NOT_ACTIVE",
  );
}

describe("a session the backend retired as stale", () => {
  test("the heartbeat's error makes the runtime open a new session; a device's turn then runs exactly once", async () => {
    const { h, control } = await harness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const before = await deviceTurn(h, threadId, "before the outage");
    const first = h.runtime.sessionId!;

    control.lost = new Set(["heartbeat", "open"]);
    await sweptStale(h, first, before.commandId);
    // Nothing told the runtime yet: lost heartbeats are not a verdict.
    expect(h.runtime.sessionId).toBe(first);
    expect(control.reported.filter((r) => r.context === "heartbeat").map((r) => r.message)).toContain("heartbeat lost on the way");

    control.lost.clear();
    await waitFor(async () => h.runtime.sessionId, (id) => id !== first);
    const second = h.runtime.sessionId!;
    expect(control.reported).toContainEqual(expect.objectContaining({ context: "heartbeat", code: "E_SESSION_NOT_ACTIVE" }));
    expect(control.reported).toContainEqual(expect.objectContaining({ context: "session renewed" }));
    expect(control.opened).toEqual([first, second]);

    // The retired session cannot act any more; its successor takes the next command.
    const after = await deviceTurn(h, threadId, "after the outage");
    expect(h.model.requests.filter((r) => r.lastUserText === "after the outage")).toHaveLength(1);
    expect(h.runtime.sessionId).toBe(second);
    expect(await messages(h, threadId)).toEqual([
      ["user", "before the outage", "completed"],
      ["assistant", "You said: before the outage", "completed"],
      ["user", "after the outage", "completed"],
      ["assistant", "You said: after the outage", "completed"],
    ]);
    expect((await turns(h, threadId)).recentTurns.map((t) => [t.turnId, t.status])).toEqual([
      [after.turnId, "completed"],
      [before.turnId, "completed"],
    ]);
  }, 40_000);

  test("events codex sends after the session went stale are refused, then land once under the new session", async () => {
    const { h, control } = await harness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const before = await deviceTurn(h, threadId, "before the outage");
    const first = h.runtime.sessionId!;
    control.lost = new Set(["heartbeat", "open"]);
    await sweptStale(h, first, before.commandId);
    control.lost.delete("open"); // heartbeats stay lost: only ingest can tell the runtime

    const reply = "Streamed after the session was retired: one, two, three, four.";
    h.model.enqueue({ type: "text", text: reply, chunks: 8 });
    const { turnId } = await h.runtime.sendTurn("during the outage");
    await waitFor(() => turns(h, threadId), (s) => s.recentTurns.find((t) => t.turnId === turnId)?.status === "completed");
    await h.runtime.flush();

    expect(control.reported).toContainEqual(expect.objectContaining({ code: "E_SESSION_NOT_ACTIVE" }));
    expect(control.reported.find((r) => r.code === "E_SESSION_NOT_ACTIVE")?.context).toMatch(/^ingest/);
    expect(h.runtime.sessionId).not.toBe(first);
    expect(control.opened).toEqual([first, h.runtime.sessionId]);
    expect(await messages(h, threadId)).toEqual([
      ["user", "before the outage", "completed"],
      ["assistant", "You said: before the outage", "completed"],
      ["user", "during the outage", "completed"],
      ["assistant", reply, "completed"],
    ]);
    // The streamed deltas too: every piece once, in order.
    const replay = (await h.device.query(chat.streamResume, { threadId, turnId, fromCursor: 0 })) as {
      deltas: Array<{ cursorStart: number; text: string }>;
    };
    expect(replay.deltas.map((d) => d.text).join("")).toBe(reply);
  }, 40_000);

  test("an approval codex is still waiting on expires with the session, is announced again, and an answer reaches codex", async () => {
    const { h, control } = await harness();
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const first = h.runtime.sessionId!;
    const { turnId } = await h.runtime.sendTurn("[command] echo answered-after-renewal");
    const pending = await waitFor(() => approvals(h, threadId), (list) => list.length === 1);
    expect(pending[0]).toMatchObject({ turnId, status: "pending" });

    control.lost = new Set(["heartbeat", "open"]);
    // The sweep expires what the session held: the approval can no longer be answered.
    await waitFor(() => approvals(h, threadId), (list) => list[0]?.status === "expired");
    control.lost.clear();

    // The runtime renews the session and announces the request codex still waits on.
    const renewed = await waitFor(() => approvals(h, threadId), (list) => list.length === 2);
    expect(h.runtime.sessionId).not.toBe(first);
    expect(renewed.map((a) => [a.itemId, a.status])).toEqual([
      [pending[0]!.itemId, "pending"],
      [pending[0]!.itemId, "expired"],
    ]);
    await h.device.mutation(chat.approvalRespond, { threadId, turnId, itemId: pending[0]!.itemId, decision: "accepted", deviceId: "phone" });
    await waitFor(() => turns(h, threadId), (s) => s.recentTurns.find((t) => t.turnId === turnId)?.status === "completed");
    const command = ((await h.device.query(chat.threadItems, { threadId, turnId })) as Array<{ details: Record<string, unknown> }>).find(
      (i) => i.details.type === "commandExecution",
    );
    expect(command?.details).toMatchObject({ aggregatedOutput: "answered-after-renewal\n", exitCode: 0 });
    // The history shows what happened to the request, newest first.
    expect((await approvals(h, threadId)).map((a) => [a.status, a.decidedBy, a.decidedByDeviceId])).toEqual([
      ["accepted", expect.stringMatching(/dev-user$/), "phone"],
      ["expired", undefined, undefined],
    ]);
  }, 40_000);
});
