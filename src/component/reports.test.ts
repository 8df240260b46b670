/**
 * What codex reports, read back: the current plan, what each turn cost in tokens, and the
 * account's rate limits merged from sparse updates. (From a real codex turn, through the
 * hooks: `src/react/reports.e2e.test.tsx`.)
 */
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { alice, bob, ingest, lifecycle, newTest, turnStarted } from "./testdata/harness.testonly.js";

const THREAD = "thr";
const usage = (turnId: string, total: number, input: number, last = total) =>
  lifecycle(
    "thread/tokenUsage/updated",
    {
      threadId: THREAD,
      turnId,
      tokenUsage: {
        total: { totalTokens: total, inputTokens: input, cachedInputTokens: 0, outputTokens: total - input, reasoningOutputTokens: 0 },
        last: { totalTokens: last, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0 },
        modelContextWindow: 1000,
      },
    },
    { turnId },
  );
const plan = (turnId: string, steps: Array<[string, string]>, explanation?: string) =>
  lifecycle("turn/plan/updated", { threadId: THREAD, turnId, explanation: explanation ?? null, plan: steps.map(([step, status]) => ({ step, status })) }, { turnId });

describe("what codex reports", () => {
  test("token usage: each turn's own cost beside the thread's running total, across updates within a turn", async () => {
    const t = newTest();
    await t.mutation(api.threads.create, { actor: alice, threadId: THREAD });
    await ingest(t, alice, THREAD, [turnStarted("t1"), usage("t1", 100, 80), usage("t1", 150, 120)]);
    await ingest(t, alice, THREAD, [turnStarted("t2"), usage("t2", 190, 150), usage("t2", 260, 200, 60)]);
    const turn = async (turnId: string) => (await t.query(api.tokenUsage.forTurn, { actor: alice, threadId: THREAD, turnId }))!;
    expect((await turn("t1")).turn).toMatchObject({ totalTokens: 150, inputTokens: 120 });
    expect((await turn("t2")).turn).toMatchObject({ totalTokens: 110, inputTokens: 80, outputTokens: 30 });
    expect(await t.query(api.tokenUsage.latest, { actor: alice, threadId: THREAD })).toMatchObject({ turnId: "t2", totalTokens: 260, contextTokens: 60, modelContextWindow: 1000 });
    const listed = await t.query(api.tokenUsage.listByThread, { actor: alice, threadId: THREAD, paginationOpts: { numItems: 10, cursor: null } });
    expect(listed.page.map((r) => [r.turnId, r.turn?.totalTokens])).toEqual([
      ["t2", 110],
      ["t1", 150],
    ]);
    expect(await t.query(api.tokenUsage.forTurn, { actor: bob, threadId: THREAD, turnId: "t1" })).toBeNull();
  });

  test("the current plan: the newest turn's that made one, replaced by each update", async () => {
    const t = newTest();
    await t.mutation(api.threads.create, { actor: alice, threadId: THREAD });
    expect(await t.query(api.turns.currentPlan, { actor: alice, threadId: THREAD })).toBeNull();
    await ingest(t, alice, THREAD, [turnStarted("t1"), plan("t1", [["old step", "completed"]])]);
    await ingest(t, alice, THREAD, [turnStarted("t2"), plan("t2", [["look", "inProgress"], ["fix", "pending"]], "two steps"), plan("t2", [["look", "completed"], ["fix", "inProgress"]], "two steps")]);
    // A newer turn without a plan does not hide the last one.
    await ingest(t, alice, THREAD, [turnStarted("t3")]);
    expect(await t.query(api.turns.currentPlan, { actor: alice, threadId: THREAD })).toMatchObject({
      turnId: "t2",
      turnStatus: "inProgress",
      plan: { explanation: "two steps", steps: [{ step: "look", status: "completed" }, { step: "fix", status: "inProgress" }] },
    });
  });

  test("rate limits: a sparse update keeps what it does not mention; one row per limit and owner", async () => {
    const t = newTest();
    const primary = { usedPercent: 40, windowDurationMins: 300, resetsAt: 1_900_000_000 };
    await t.mutation(api.rateLimits.record, { actor: alice, snapshot: { limitId: "codex", primary, planType: "pro" } });
    await t.mutation(api.rateLimits.record, { actor: alice, snapshot: { limitId: "codex", secondary: { usedPercent: 5 } } });
    await t.mutation(api.rateLimits.record, { actor: alice, snapshot: { limitId: "codex", primary: { usedPercent: 55 } } });
    await t.mutation(api.rateLimits.record, { actor: alice, snapshot: { limitId: "gpt-5.5" } });
    const rows = await t.query(api.rateLimits.get, { actor: alice });
    expect(rows.map((r) => [r.limitKey, r.snapshot])).toEqual([
      ["codex", { limitId: "codex", primary: { usedPercent: 55 }, secondary: { usedPercent: 5 }, planType: "pro" }],
      ["gpt-5.5", { limitId: "gpt-5.5" }],
    ]);
    expect(await t.query(api.rateLimits.get, { actor: bob })).toEqual([]);
  });
});
