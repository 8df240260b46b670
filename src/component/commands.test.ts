import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import type { Id } from "./_generated/dataModel.js";
import { ErrorCode } from "../contract/errors.js";
import { NOTE_MAX_BYTES, TRUNCATION_MARKER, utf8Bytes } from "../contract/limits.js";
import {
  alice,
  aliceElsewhere,
  bob,
  errorCode,
  openSession,
  seedApproval,
  seedThread,
  setup,
  text,
  type T,
} from "./test.helpers.js";

type Step =
  | { op: "claim"; session: string }
  | { op: "complete"; session: string; turnId?: string; error?: string }
  | { op: "cancel" };

async function run(t: T, commandId: Id<"commands">, step: Step) {
  switch (step.op) {
    case "claim":
      return await t.mutation(api.commands.claim, { actor: alice, sessionId: step.session, commandId });
    case "complete":
      return await t.mutation(api.commands.complete, {
        actor: alice,
        sessionId: step.session,
        commandId,
        turnId: step.turnId,
        error: step.error,
      });
    case "cancel":
      return await t.mutation(api.commands.cancel, { actor: alice, commandId });
  }
}

async function startTurnCommand(t: T) {
  const threadId = await seedThread(t, alice);
  await openSession(t, alice, "s1");
  await openSession(t, alice, "s2");
  const { commandId } = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("go") });
  return commandId;
}

describe("command lifecycle (startTurn)", () => {
  // Each row: steps that succeed, then one that must be rejected (or none), then the final status.
  const cases: Array<{ name: string; ok: Step[]; rejected?: [Step, string]; final: string }> = [
    { name: "queued → claimed → done", ok: [{ op: "claim", session: "s1" }, { op: "complete", session: "s1", turnId: "tu" }], final: "done" },
    { name: "queued → claimed → failed", ok: [{ op: "claim", session: "s1" }, { op: "complete", session: "s1", error: "boom" }], final: "failed" },
    { name: "queued → cancelled", ok: [{ op: "cancel" }], final: "cancelled" },
    { name: "a second claim loses", ok: [{ op: "claim", session: "s1" }], rejected: [{ op: "claim", session: "s2" }, ErrorCode.commandNotClaimable], final: "claimed" },
    // A lost claim reply is recovered by asking again: the claimer gets its command back.
    { name: "the same session claims again (idempotent)", ok: [{ op: "claim", session: "s1" }, { op: "claim", session: "s1" }], final: "claimed" },
    { name: "only the claimer completes", ok: [{ op: "claim", session: "s1" }], rejected: [{ op: "complete", session: "s2", turnId: "tu" }, ErrorCode.commandNotClaimedBySession], final: "claimed" },
    { name: "complete before claim", ok: [], rejected: [{ op: "complete", session: "s1", turnId: "tu" }, ErrorCode.commandNotClaimedBySession], final: "queued" },
    // A retried completion (its first reply lost) lands as a no-op.
    { name: "complete twice (idempotent)", ok: [{ op: "claim", session: "s1" }, { op: "complete", session: "s1", turnId: "tu" }, { op: "complete", session: "s1", turnId: "tu" }], final: "done" },
    { name: "failed, then completed again (idempotent)", ok: [{ op: "claim", session: "s1" }, { op: "complete", session: "s1", error: "boom" }, { op: "complete", session: "s1", error: "boom" }], final: "failed" },
    { name: "a different report on a finished command is refused", ok: [{ op: "claim", session: "s1" }, { op: "complete", session: "s1", turnId: "tu" }], rejected: [{ op: "complete", session: "s1", error: "late" }, ErrorCode.commandNotClaimedBySession], final: "done" },
    { name: "another session cannot complete a finished command", ok: [{ op: "claim", session: "s1" }, { op: "complete", session: "s1", turnId: "tu" }], rejected: [{ op: "complete", session: "s2", turnId: "tu" }, ErrorCode.commandNotClaimedBySession], final: "done" },
    { name: "claim after done", ok: [{ op: "claim", session: "s1" }, { op: "complete", session: "s1", turnId: "tu" }], rejected: [{ op: "claim", session: "s2" }, ErrorCode.commandNotClaimable], final: "done" },
    { name: "cancel after claim", ok: [{ op: "claim", session: "s1" }], rejected: [{ op: "cancel" }, ErrorCode.commandNotCancellable], final: "claimed" },
    { name: "claim after cancel", ok: [{ op: "cancel" }], rejected: [{ op: "claim", session: "s1" }, ErrorCode.commandNotClaimable], final: "cancelled" },
    { name: "startTurn done without a turnId", ok: [{ op: "claim", session: "s1" }], rejected: [{ op: "complete", session: "s1" }, ErrorCode.invalidArgument], final: "claimed" },
    { name: "claim by an unknown session", ok: [], rejected: [{ op: "claim", session: "ghost" }, ErrorCode.sessionNotFound], final: "queued" },
  ];

  test.each(cases)("$name", async ({ ok, rejected, final }) => {
    const t = setup();
    const commandId = await startTurnCommand(t);
    for (const step of ok) await run(t, commandId, step);
    if (rejected) expect(await errorCode(run(t, commandId, rejected[0]))).toBe(rejected[1]);
    expect((await t.query(api.commands.get, { actor: alice, commandId }))?.status).toBe(final);
  });
});

describe("commands", () => {
  test("listPending is oldest first, only queued, and scoped to the owner", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedThread(t, alice, "thr-2");
    const sessionId = await openSession(t, alice);
    const a = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "a", input: text("a") });
    const b = await t.mutation(api.turns.start, { actor: alice, threadId: "thr-2", idempotencyKey: "b", input: text("b") });
    const c = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "c", input: text("c") });
    await t.mutation(api.commands.claim, { actor: alice, sessionId, commandId: a.commandId });

    expect((await t.query(api.commands.listPending, { actor: alice })).map((x) => x._id)).toEqual([b.commandId, c.commandId]);
    expect((await t.query(api.commands.listPending, { actor: alice, threadId })).map((x) => x._id)).toEqual([c.commandId]);
    expect(await t.query(api.commands.listPending, { actor: bob })).toEqual([]);
    expect(await t.query(api.commands.listPending, { actor: aliceElsewhere })).toEqual([]);
  });

  test("another owner can neither see, claim, complete nor cancel a command", async () => {
    const t = setup();
    const commandId = await startTurnCommand(t);
    await openSession(t, bob, "s1"); // same session id, other owner
    expect(await t.query(api.commands.get, { actor: bob, commandId })).toBeNull();
    expect(await errorCode(t.mutation(api.commands.claim, { actor: bob, sessionId: "s1", commandId }))).toBe(ErrorCode.commandNotFound);
    expect(await errorCode(t.mutation(api.commands.cancel, { actor: bob, commandId }))).toBe(ErrorCode.commandNotFound);
    await t.mutation(api.commands.claim, { actor: alice, sessionId: "s1", commandId });
    expect(await errorCode(t.mutation(api.commands.complete, { actor: bob, sessionId: "s1", commandId, turnId: "x" }))).toBe(
      ErrorCode.commandNotFound,
    );
  });

  test("completing a startTurn creates the turn row and makes it the active turn", async () => {
    const t = setup();
    const commandId = await startTurnCommand(t);
    await t.mutation(api.commands.claim, { actor: alice, sessionId: "s1", commandId });
    await t.mutation(api.commands.complete, { actor: alice, sessionId: "s1", commandId, turnId: "codex-1" });
    const state = await t.query(api.threads.getState, { actor: alice, threadId: "thr-1" });
    expect(state.activeTurn).toMatchObject({ turnId: "codex-1", status: "inProgress", commandId });
    expect(state.thread).toMatchObject({ activeTurnId: "codex-1", turnCount: 1 });
    expect(state.openCommands).toEqual([]);
  });

  test("when ingest already recorded the turn, completing only links it (either order works)", async () => {
    const t = setup();
    const commandId = await startTurnCommand(t);
    await t.run(async (ctx) => {
      await ctx.db.insert("turns", { tenantId: "acme", userId: "alice", threadId: "thr-1", turnId: "codex-1", status: "completed", startedAt: 1 });
    });
    await t.mutation(api.commands.claim, { actor: alice, sessionId: "s1", commandId });
    await t.mutation(api.commands.complete, { actor: alice, sessionId: "s1", commandId, turnId: "codex-1" });
    const turns = await t.run(async (ctx) => await ctx.db.query("turns").collect());
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ status: "completed", commandId });
    expect((await t.query(api.commands.get, { actor: alice, commandId }))?.turnId).toBe("codex-1");
  });

  test("answers are claimable only by the session whose codex process asked", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await openSession(t, alice, "s1");
    await openSession(t, alice, "s2");
    await seedApproval(t, alice, { threadId, sessionId: "s1" });
    const { commandId } = await t.mutation(api.approvals.respond, {
      actor: alice,
      threadId,
      turnId: "turn-1",
      itemId: "item-1",
      decision: "accepted",
    });
    expect(await t.query(api.commands.listPending, { actor: alice, sessionId: "s2" })).toEqual([]);
    expect((await t.query(api.commands.listPending, { actor: alice, sessionId: "s1" })).map((c) => c._id)).toEqual([commandId]);
    expect(await errorCode(t.mutation(api.commands.claim, { actor: alice, sessionId: "s2", commandId }))).toBe(
      ErrorCode.commandNotClaimable,
    );
    expect(await errorCode(t.mutation(api.commands.cancel, { actor: alice, commandId }))).toBe(ErrorCode.commandNotCancellable);
    const claimed = await t.mutation(api.commands.claim, { actor: alice, sessionId: "s1", commandId });
    expect(claimed).toMatchObject({
      kind: "respondServerRequest",
      requestId: 0,
      responseJson: '{"decision":"accept"}',
      claimedBy: "s1",
    });
  });

  test("a long error is stored truncated", async () => {
    const t = setup();
    const commandId = await startTurnCommand(t);
    await t.mutation(api.commands.claim, { actor: alice, sessionId: "s1", commandId });
    // The host reports codex's words: over the cap they are cut (with the marker), never refused.
    const failed = await t.mutation(api.commands.complete, { actor: alice, sessionId: "s1", commandId, error: "界".repeat(10_000) });
    expect(utf8Bytes(failed.error!)).toBeLessThanOrEqual(NOTE_MAX_BYTES);
    expect(failed.error!.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  test("a malformed command id is rejected by the validator", async () => {
    const t = setup();
    await openSession(t, alice, "s1");
    await expect(
      t.mutation(api.commands.claim, { actor: alice, sessionId: "s1", commandId: "not-an-id" as Id<"commands"> }),
    ).rejects.toThrow();
  });
});

describe("commands.listPending for one bridge session", () => {
  test("answers addressed to other sessions do not crowd out this session's work", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await openSession(t, alice, "mine");
    for (let i = 0; i < 3; i++) {
      await seedApproval(t, alice, { threadId, sessionId: "other", itemId: `o${i}`, requestId: i });
      await t.mutation(api.approvals.respond, { actor: alice, threadId, turnId: "turn-1", itemId: `o${i}`, decision: "accepted" });
    }
    await seedApproval(t, alice, { threadId, sessionId: "mine", itemId: "m", requestId: 9 });
    const answer = await t.mutation(api.approvals.respond, { actor: alice, threadId, turnId: "turn-1", itemId: "m", decision: "declined" });
    const turn = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("x") });

    const mine = await t.query(api.commands.listPending, { actor: alice, sessionId: "mine", limit: 2 });
    expect(mine.map((c) => c._id)).toEqual([answer.commandId, turn.commandId]);
    const inThread = await t.query(api.commands.listPending, { actor: alice, sessionId: "mine", threadId });
    expect(inThread.map((c) => c._id)).toEqual([answer.commandId, turn.commandId]);
    expect(await t.query(api.commands.listPending, { actor: alice })).toHaveLength(5);
  });
});

describe("claim race", () => {
  test("of several bridges claiming at once, exactly one wins and the rest see E_COMMAND_NOT_CLAIMABLE", async () => {
    const t = setup();
    const commandId = await startTurnCommand(t);
    const sessions = ["s1", "s2", "s3", "s4"];
    for (const s of sessions.slice(2)) await openSession(t, alice, s);
    const outcomes = await Promise.allSettled(
      sessions.map((sessionId) => t.mutation(api.commands.claim, { actor: alice, sessionId, commandId })),
    );
    const winners = outcomes.filter((o) => o.status === "fulfilled");
    expect(winners).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === "rejected") expect((o.reason as { data: { code: string } }).data.code).toBe(ErrorCode.commandNotClaimable);
    }
    const claimedBy = (await t.query(api.commands.get, { actor: alice, commandId }))?.claimedBy;
    expect(claimedBy).toBe((winners[0] as PromiseFulfilledResult<{ claimedBy?: string }>).value.claimedBy);
  });

  test("commands.get answers null for an id it cannot parse (a stale link, a typo, another table's id)", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    expect(await t.query(api.commands.get, { actor: alice, commandId: "not-a-command-id" })).toBeNull();
    expect(await t.query(api.commands.get, { actor: alice, commandId: "" })).toBeNull();
    const thread = await t.run(async (ctx) => (await ctx.db.query("threads").first())!._id);
    expect(await t.query(api.commands.get, { actor: alice, commandId: thread })).toBeNull();
    const { commandId } = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("go") });
    expect((await t.query(api.commands.get, { actor: alice, commandId }))?._id).toBe(commandId);
  });

  test("a start codex folded into the running turn completes as steered into that turn", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await openSession(t, alice, "s1");
    const start = async (key: string) => {
      const { commandId } = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: key, input: text(key) });
      await t.mutation(api.commands.claim, { actor: alice, sessionId: "s1", commandId });
      return commandId;
    };
    const first = await start("first");
    await t.mutation(api.commands.complete, { actor: alice, sessionId: "s1", commandId: first, turnId: "tu-1" });
    const second = await start("second");
    await t.mutation(api.commands.complete, { actor: alice, sessionId: "s1", commandId: second, turnId: "tu-1", steered: true });
    const folded = await t.query(api.commands.get, { actor: alice, commandId: second });
    expect([folded?.status, folded?.turnId, folded?.steeredInto]).toEqual(["done", "tu-1", "tu-1"]);
    expect((await t.query(api.turns.get, { actor: alice, threadId, turnId: "tu-1" }))?.commandId).toBe(first);
    expect((await t.query(api.threads.getState, { actor: alice, threadId })).thread.turnCount).toBe(1);
  });
});

describe("a steer or interrupt nobody took up, when its turn ends", () => {
  const lifecycle = (kind: string, turnId: string, status: string) => ({
    type: "lifecycle_event" as const,
    eventId: `${kind}:${turnId}`,
    turnId,
    kind,
    payloadJson: JSON.stringify({ threadId: "thr-1", turn: { id: turnId, status, items: [], error: null } }),
    createdAt: Date.now(),
  });
  const ingest = (t: T, events: ReturnType<typeof lifecycle>[]) =>
    t.mutation(api.sync.ingest, { actor: alice, sessionId: "s1", threadId: "thr-1", events });

  test.each([
    ["codex reports the turn completed", (t: T) => ingest(t, [lifecycle("turn/completed", "tu-1", "completed")])],
    ["the session that ran it closes", (t: T) => t.mutation(api.sessions.close, { actor: alice, sessionId: "s1" })],
  ])("%s: the interrupt is done, the steer failed (it can never run); a claimed one is left to its host", async (_how, end) => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await openSession(t, alice, "s1");
    await openSession(t, alice, "s2");
    await ingest(t, [lifecycle("turn/started", "tu-1", "inProgress")]);
    const steer = (key: string) => t.mutation(api.turns.steer, { actor: alice, threadId, idempotencyKey: key, input: text(key) });
    const queuedSteer = (await steer("late")).commandId;
    const claimedSteer = (await steer("taken")).commandId;
    await t.mutation(api.commands.claim, { actor: alice, sessionId: "s2", commandId: claimedSteer });
    const interrupt = (await t.mutation(api.turns.interrupt, { actor: alice, threadId })).commandId;

    await end(t);
    const status = async (commandId: Id<"commands">) => {
      const c = await t.query(api.commands.get, { actor: alice, commandId });
      return [c?.status, c?.error];
    };
    expect(await status(interrupt)).toEqual(["done", undefined]);
    expect(await status(queuedSteer)).toEqual(["failed", "turn tu-1 ended before this input reached it"]);
    expect(await status(claimedSteer)).toEqual(["claimed", undefined]);
  });
});
