import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { SESSION_STALE_AFTER_MAX_MS, SESSION_STALE_AFTER_MIN_MS, SESSION_STALE_AFTER_MS } from "./lib/sessionLifecycle.js";
import { alice, bob, errorCode, openSession, seedApproval, seedThread, setup, text, type T } from "./test.helpers.js";

const ingestDelta = (t: T, sessionId: string, cursorStart: number) =>
  t.mutation(api.sync.ingest, {
    actor: alice,
    sessionId,
    threadId: "thr-1",
    events: [
      {
        type: "stream_delta",
        eventId: `st@${cursorStart}`,
        turnId: "turn-1",
        itemId: "item-1",
        streamId: "st",
        channel: "agentMessage",
        delta: "x",
        cursorStart,
        cursorEnd: cursorStart + 1,
        createdAt: Date.now(),
      },
    ],
  });

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Moves the clock and runs whatever sweep came due. */
async function elapse(t: T, ms: number) {
  vi.advanceTimersByTime(ms);
  await t.finishInProgressScheduledFunctions();
}

const pendingSweeps = (t: T) =>
  t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.state.kind === "pending"),
  );

const sessionStatus = (t: T, sessionId: string) =>
  t.run(async (ctx) => (await ctx.db.query("sessions").collect()).find((s) => s.sessionId === sessionId)?.status);

async function claimedStartTurn(t: T, sessionId: string) {
  const threadId = await seedThread(t, alice);
  const { commandId } = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: sessionId, input: text("x") });
  await t.mutation(api.commands.claim, { actor: alice, sessionId, commandId });
  return { threadId, commandId };
}

describe("sessions", () => {
  test("open reports the staleness window and keeps a single sweep pending", async () => {
    const t = setup();
    expect(await t.mutation(api.sessions.open, { actor: alice, sessionId: "s1" })).toEqual({
      sessionId: "s1",
      status: "active",
      staleAfterMs: SESSION_STALE_AFTER_MS,
    });
    await openSession(t, alice, "s2");
    await openSession(t, bob, "s3");
    await t.mutation(api.sessions.heartbeat, { actor: alice, sessionId: "s1" });
    expect(await pendingSweeps(t)).toHaveLength(1);
  });

  test("a silent session goes stale: its claimed command fails visibly, its requests expire", async () => {
    const t = setup();
    await openSession(t, alice, "s1");
    await openSession(t, alice, "s2");
    const { threadId, commandId } = await claimedStartTurn(t, "s1");
    const { approval, serverRequest } = await seedApproval(t, alice, { threadId, sessionId: "s1" });

    await elapse(t, SESSION_STALE_AFTER_MS / 2);
    await t.mutation(api.sessions.heartbeat, { actor: alice, sessionId: "s2" });
    await elapse(t, SESSION_STALE_AFTER_MS / 2 + 10);

    expect(await sessionStatus(t, "s1")).toBe("stale");
    expect(await sessionStatus(t, "s2")).toBe("active");
    const command = await t.query(api.commands.get, { actor: alice, commandId });
    expect(command?.status).toBe("failed");
    expect(command?.error).toMatch(/stopped sending heartbeats/);
    expect(await t.run(async (ctx) => [(await ctx.db.get(approval))?.status, (await ctx.db.get(serverRequest))?.status])).toEqual([
      "expired",
      "expired",
    ]);
    // Never handed out again, and the dead session can no longer act.
    expect(await t.query(api.commands.listPending, { actor: alice })).toEqual([]);
    expect(await errorCode(t.mutation(api.commands.complete, { actor: alice, sessionId: "s1", commandId, turnId: "x" }))).toBe(
      ErrorCode.commandNotClaimedBySession,
    );
    expect(await errorCode(t.mutation(api.sessions.heartbeat, { actor: alice, sessionId: "s1" }))).toBe(ErrorCode.sessionNotActive);
    expect(await pendingSweeps(t)).toHaveLength(1); // s2 is still watched

    await elapse(t, SESSION_STALE_AFTER_MS + 10);
    expect(await sessionStatus(t, "s2")).toBe("stale");
    expect(await pendingSweeps(t)).toHaveLength(0); // nothing left to watch
    await openSession(t, alice, "s3");
    expect(await pendingSweeps(t)).toHaveLength(1);
  });

  test("heartbeats keep a session alive across several sweep periods", async () => {
    const t = setup();
    await openSession(t, alice, "s1");
    const { commandId } = await claimedStartTurn(t, "s1");
    for (let i = 0; i < 4; i++) {
      await elapse(t, SESSION_STALE_AFTER_MS / 2);
      await t.mutation(api.sessions.heartbeat, { actor: alice, sessionId: "s1" });
    }
    expect(await sessionStatus(t, "s1")).toBe("active");
    expect((await t.query(api.commands.get, { actor: alice, commandId }))?.status).toBe("claimed");
  });

  test("close fails what the session held, answers addressed to it included", async () => {
    const t = setup();
    await openSession(t, alice, "s1");
    const { threadId, commandId } = await claimedStartTurn(t, "s1");
    await seedApproval(t, alice, { threadId, sessionId: "s1", itemId: "i1", requestId: 1 });
    await seedApproval(t, alice, { threadId, sessionId: "s1", itemId: "i2", requestId: 2 });
    const answer = await t.mutation(api.approvals.respond, { actor: alice, threadId, turnId: "turn-1", itemId: "i1", decision: "accepted" });

    expect(await t.mutation(api.sessions.close, { actor: alice, sessionId: "s1" })).toEqual({ failedCommands: 2, expiredRequests: 1 });
    expect((await t.query(api.commands.get, { actor: alice, commandId: answer.commandId }))?.status).toBe("failed");
    expect((await t.query(api.commands.get, { actor: alice, commandId }))?.error).toMatch(/closed/);
    expect(await t.query(api.approvals.listPending, { actor: alice, threadId })).toEqual([]);
    expect(await t.mutation(api.sessions.close, { actor: alice, sessionId: "s1" })).toEqual({ failedCommands: 0, expiredRequests: 0 });
    expect(await errorCode(t.mutation(api.commands.claim, { actor: alice, sessionId: "s1", commandId }))).toBe(
      ErrorCode.sessionNotActive,
    );
  });

  test("re-opening a stale session makes it active again without reviving failed commands", async () => {
    const t = setup();
    await openSession(t, alice, "s1");
    const { commandId } = await claimedStartTurn(t, "s1");
    await elapse(t, SESSION_STALE_AFTER_MS + 10);
    await openSession(t, alice, "s1");
    expect(await sessionStatus(t, "s1")).toBe("active");
    expect((await t.query(api.commands.get, { actor: alice, commandId }))?.status).toBe("failed");
  });

  test("sessions are per owner: bob cannot heartbeat or close alice's session", async () => {
    const t = setup();
    await openSession(t, alice, "s1");
    expect(await errorCode(t.mutation(api.sessions.heartbeat, { actor: bob, sessionId: "s1" }))).toBe(ErrorCode.sessionNotFound);
    expect(await errorCode(t.mutation(api.sessions.close, { actor: bob, sessionId: "s1" }))).toBe(ErrorCode.sessionNotFound);
    expect(await errorCode(t.mutation(api.sessions.open, { actor: alice, sessionId: "" }))).toBe(ErrorCode.invalidArgument);
    expect(await sessionStatus(t, "s1")).toBe("active");
  });

  test("a session's own window: a short one goes stale first, and the sweep is brought forward for it", async () => {
    const t = setup();
    await openSession(t, alice, "default");
    expect(await t.mutation(api.sessions.open, { actor: alice, sessionId: "short", staleAfterMs: 2_000 })).toMatchObject({
      staleAfterMs: 2_000,
    });
    const sweeps = await pendingSweeps(t);
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]!.scheduledTime).toBeLessThanOrEqual(Date.now() + 2_001);
    // A heartbeat reports the session's own window and moves its deadline.
    await elapse(t, 1_500);
    expect((await t.mutation(api.sessions.heartbeat, { actor: alice, sessionId: "short" })).staleAfterMs).toBe(2_000);
    await elapse(t, 1_500);
    expect(await sessionStatus(t, "short")).toBe("active");
    await elapse(t, 600);
    expect(await sessionStatus(t, "short")).toBe("stale");
    expect(await sessionStatus(t, "default")).toBe("active");
    // Re-opening keeps the window it had.
    expect((await t.mutation(api.sessions.open, { actor: alice, sessionId: "short" })).staleAfterMs).toBe(2_000);
    await elapse(t, 2_100);
    expect(await sessionStatus(t, "short")).toBe("stale");
    expect(await sessionStatus(t, "default")).toBe("active");
  });

  test.each([SESSION_STALE_AFTER_MIN_MS - 1, SESSION_STALE_AFTER_MAX_MS + 1, 1_500.5])(
    "a window of %s ms is refused with a typed error",
    async (staleAfterMs) => {
      const t = setup();
      expect(await errorCode(t.mutation(api.sessions.open, { actor: alice, sessionId: "s", staleAfterMs }))).toBe(
        ErrorCode.invalidArgument,
      );
      expect((await sessionStatus(t, "s")) ?? null).toBeNull(); // nothing was opened
    },
  );

  test("ingest keeps a live session alive but never revives a stale one", async () => {
    const t = setup();
    await seedThread(t, alice);
    await t.mutation(api.sessions.open, { actor: alice, sessionId: "s1", staleAfterMs: 4_000 });
    // Ingest alone (no heartbeats) keeps it active past its window.
    for (let i = 0; i < 4; i++) {
      await elapse(t, 1_500);
      await ingestDelta(t, "s1", i);
    }
    expect(await sessionStatus(t, "s1")).toBe("active");
    await elapse(t, 4_100);
    expect(await sessionStatus(t, "s1")).toBe("stale");
    // The batch is refused whole, so a re-send under a new session loses nothing.
    expect(await errorCode(ingestDelta(t, "s1", 4))).toBe(ErrorCode.sessionNotActive);
    expect(await sessionStatus(t, "s1")).toBe("stale");
    await openSession(t, alice, "s2");
    expect(await ingestDelta(t, "s2", 4)).toMatchObject({ accepted: 1, rejected: [] });
  });

  test("re-opening an active session that holds work settles it; a retried open of an idle one changes nothing", async () => {
    const t = setup();
    await openSession(t, alice, "s1");
    await openSession(t, alice, "s1"); // a retry after a lost reply: nothing held, nothing settled
    const { threadId, commandId } = await claimedStartTurn(t, "s1");
    const { approval, serverRequest } = await seedApproval(t, alice, { threadId, sessionId: "s1" });
    expect(await t.mutation(api.sessions.open, { actor: alice, sessionId: "s1" })).toMatchObject({ status: "active" });
    const command = await t.query(api.commands.get, { actor: alice, commandId });
    expect([command?.status, command?.error]).toEqual(["failed", expect.stringMatching(/re-opened before finishing/)]);
    expect(await t.run(async (ctx) => [(await ctx.db.get(approval))?.status, (await ctx.db.get(serverRequest))?.status])).toEqual([
      "expired",
      "expired",
    ]);
    expect(await sessionStatus(t, "s1")).toBe("active");
  });

  test("a session that ends takes its running turns to an end: interrupted, partial reply kept; other sessions' turns run on", async () => {
    const t = setup();
    await openSession(t, alice, "s1");
    await openSession(t, alice, "s2");
    const ingestAs = (sessionId: string, events: Parameters<typeof t.mutation<typeof api.sync.ingest>>[1]["events"]) =>
      t.mutation(api.sync.ingest, { actor: alice, sessionId, threadId: sessionId === "s1" ? "thr-a" : "thr-b", events });
    const turn = (turnId: string) => ({
      type: "lifecycle_event" as const,
      eventId: `${turnId}/turn/started`,
      turnId,
      kind: "turn/started",
      payloadJson: JSON.stringify({ threadId: "x", turn: { id: turnId, status: "inProgress", items: [] } }),
      createdAt: Date.now(),
    });
    const reply = (turnId: string) => ({
      type: "stream_delta" as const,
      eventId: `${turnId}/m/agentMessage@0`,
      turnId,
      itemId: "m",
      streamId: `${turnId}/m/agentMessage`,
      channel: "agentMessage" as const,
      delta: "half a repl",
      cursorStart: 0,
      cursorEnd: 11,
      createdAt: Date.now(),
    });
    await ingestAs("s1", [turn("ta"), reply("ta")]);
    await ingestAs("s2", [turn("tb")]);
    await t.mutation(api.sessions.close, { actor: alice, sessionId: "s1" });
    const state = async (threadId: string) => await t.query(api.threads.getState, { actor: alice, threadId });
    const a = await state("thr-a");
    expect([a.activeTurn, a.recentTurns[0]?.status, a.recentTurns[0]?.error?.message]).toEqual([
      null,
      "interrupted",
      expect.stringMatching(/session s1 closed while this turn ran/),
    ]);
    const messages = await t.query(api.messages.listTurnMessages, { actor: alice, threadId: "thr-a", turnId: "ta" });
    expect(messages.map((m) => [m.text, m.status])).toEqual([["half a repl", "interrupted"]]);
    expect((await state("thr-b")).activeTurn?.status).toBe("inProgress");
    // Swept stale, the same: no session outlives its window with a turn still "running".
    await elapse(t, SESSION_STALE_AFTER_MS + 10);
    expect((await state("thr-b")).recentTurns[0]?.status).toBe("interrupted");
  });
});
