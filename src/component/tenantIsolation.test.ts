/**
 * One tenant's data cannot stop background work for the others: an attacker's session that
 * claimed 20,000 commands goes stale next to another tenant's stale session, and the sweep
 * (with Convex's transaction limits on) retires both in one run and fails the other tenant's
 * claim in it; the attacker's claims take a chain of bounded runs of their own until none is
 * left.
 *
 * (The other half of issue #9's scenario, an attacker's 17 MB idle stream beside another
 * tenant's old deltas, belongs with stream cleanup's budget: issue #15.)
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api.js";
import type { Id } from "./_generated/dataModel.js";
import { alice, openSession, seedThread, setup, text, type T } from "./test.helpers.js";

const attacker = { tenantId: "evil", userId: "mallory" };
const CLAIMS = 20_000;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A session of the attacker holding CLAIMS claimed commands (seeded in chunks: one transaction writes at most 16,000). */
async function seedAttacker(t: T) {
  await t.mutation(api.sessions.open, { actor: attacker, sessionId: "evil-session" });
  for (let done = 0; done < CLAIMS; done += 5_000) {
    await t.run(async (ctx) => {
      for (let i = done; i < done + 5_000; i++) {
        await ctx.db.insert("commands", {
          ...attacker,
          threadId: "evil-thread",
          kind: "interruptTurn",
          status: "claimed",
          claimedBy: "evil-session",
          claimedAt: Date.now(),
          createdAt: Date.now(),
        });
      }
    });
  }
}

const statusOf = (t: T, id: Id<"commands">) => t.run(async (ctx) => (await ctx.db.get("commands", id))?.status);
const stillClaimed = (t: T) =>
  t.run(async (ctx) =>
    (await ctx.db.query("commands").withIndex("by_owner_claimer_status", (q) => q.eq("tenantId", "evil").eq("userId", "mallory").eq("claimedBy", "evil-session").eq("status", "claimed")).take(CLAIMS)).length,
  );

describe("tenant isolation of background work", () => {
  test("a 20,000-claim session does not hold up the sweep or another tenant's settling", async () => {
    const t = setup();
    await seedAttacker(t);
    // The attacker's session is the oldest deadline: the sweep meets it first.
    vi.advanceTimersByTime(1_000);
    const sessionId = await openSession(t, alice, "alice-session");
    const threadId = await seedThread(t, alice);
    const { commandId } = await t.mutation(api.turns.start, { actor: alice, threadId, idempotencyKey: "k", input: text("x") });
    await t.mutation(api.commands.claim, { actor: alice, sessionId, commandId });

    // Both go silent; one sweep run, within Convex's limits.
    vi.advanceTimersByTime(120_000);
    const run = await t.mutation(internal.sessions.sweep, {});
    expect(run.retired).toBe(2);
    expect(await statusOf(t, commandId)).toBe("failed");
    const left = await stillClaimed(t);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(CLAIMS);

    // The follow-ups settle the rest, a bounded share each, until nothing is claimed.
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await stillClaimed(t)).toBe(0);
  }, 60_000);

  test("more sessions than one run's budget: each still ends with nothing claimed", async () => {
    const t = setup();
    const owners = Array.from({ length: 6 }, (_, i) => ({ tenantId: `t${i}`, userId: "u" }));
    for (const owner of owners) {
      await t.mutation(api.sessions.open, { actor: owner, sessionId: "s" });
      await t.run(async (ctx) => {
        for (let i = 0; i < 300; i++) {
          await ctx.db.insert("commands", { ...owner, threadId: "th", kind: "interruptTurn", status: "claimed", claimedBy: "s", claimedAt: Date.now(), createdAt: Date.now() });
        }
      });
    }
    vi.advanceTimersByTime(120_000);
    expect((await t.mutation(internal.sessions.sweep, {})).retired).toBe(6);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const claimed = await t.run(async (ctx) => (await ctx.db.query("commands").take(5_000)).filter((c) => c.status === "claimed").length);
    expect(claimed).toBe(0);
  }, 60_000);
});
