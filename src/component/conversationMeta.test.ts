// What a conversation view reads besides items and messages: the turn's plan
// (turn/plan/updated), the thread's latest token usage and whether a host is online.
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { utf8Bytes } from "../contract/limits.js";
import { PLAN_MAX_STEPS } from "./ingest/turns.js";
import { alice, bob, ingest, lifecycle, newTest, turnCompleted, turnStarted } from "./testdata/harness.testonly.js";

const TH = "thread-1";
const usage = (turnId: string, total: number, last: number) =>
  lifecycle("thread/tokenUsage/updated", {
    threadId: TH,
    turnId,
    tokenUsage: {
      total: { totalTokens: total, inputTokens: total - 10, cachedInputTokens: 0, outputTokens: 10, reasoningOutputTokens: 0 },
      last: { totalTokens: last, inputTokens: last - 10, cachedInputTokens: 0, outputTokens: 10, reasoningOutputTokens: 0 },
      modelContextWindow: 200_000,
    },
  });

describe("turn plans", () => {
  test("each turn/plan/updated replaces the turn's plan; steps and texts are capped", async () => {
    const t = newTest();
    const plan = (steps: Array<[string, string]>, explanation: string | null = null) =>
      lifecycle("turn/plan/updated", { threadId: TH, turnId: "T1", explanation, plan: steps.map(([step, status]) => ({ step, status })) });
    await ingest(t, alice, TH, [turnStarted("T1"), plan([["Read the code", "inProgress"], ["Fix it", "pending"]], "Two steps")]);
    const turn = () => t.query(api.turns.get, { actor: alice, threadId: TH, turnId: "T1" });
    expect((await turn())?.plan).toEqual({
      explanation: "Two steps",
      updatedAt: expect.any(Number),
      steps: [
        { step: "Read the code", status: "inProgress" },
        { step: "Fix it", status: "pending" },
      ],
    });
    await ingest(t, alice, TH, [plan([["Read the code", "completed"], ["Fix it", "completed"]])]);
    expect((await turn())?.plan).toEqual({
      updatedAt: expect.any(Number),
      steps: [
        { step: "Read the code", status: "completed" },
        { step: "Fix it", status: "completed" },
      ],
    });
    const many = Array.from({ length: PLAN_MAX_STEPS + 20 }, (_, i): [string, string] => [`step ${i} ${"é".repeat(2_000)}`, "pending"]);
    await ingest(t, alice, TH, [plan(many, "x".repeat(10_000))]);
    const capped = (await turn())!.plan!;
    expect(capped.steps).toHaveLength(PLAN_MAX_STEPS);
    expect(utf8Bytes(capped.steps[0]!.step)).toBeLessThanOrEqual(1024);
    expect(utf8Bytes(capped.explanation!)).toBeLessThanOrEqual(4 * 1024);
  });

  test("a plan with an unknown step status is refused, and the rest of the batch lands", async () => {
    const t = newTest();
    const bad = lifecycle("turn/plan/updated", { threadId: TH, turnId: "T1", explanation: null, plan: [{ step: "x", status: "someday" }] });
    const result = await ingest(t, alice, TH, [turnStarted("T1"), bad, turnCompleted("T1", "completed")]);
    expect(result.rejected.map((r) => r.code)).toEqual(["E_MALFORMED_EVENT"]);
    expect(await t.query(api.turns.get, { actor: alice, threadId: TH, turnId: "T1" })).toMatchObject({ status: "completed" });
  });
});

describe("token usage", () => {
  test("latest: the newest turn that reported usage, with the context used at its last request", async () => {
    const t = newTest();
    const latest = () => t.query(api.tokenUsage.latest, { actor: alice, threadId: TH });
    await ingest(t, alice, TH, [turnStarted("T1")]);
    expect(await latest()).toBeNull();
    await ingest(t, alice, TH, [usage("T1", 1_000, 1_000), turnCompleted("T1", "completed")]);
    expect(await latest()).toMatchObject({ turnId: "T1", totalTokens: 1_000, contextTokens: 1_000, modelContextWindow: 200_000 });
    // A new turn with no usage yet still shows the thread's last figures.
    await ingest(t, alice, TH, [turnStarted("T2")]);
    expect(await latest()).toMatchObject({ turnId: "T1" });
    await ingest(t, alice, TH, [usage("T2", 3_500, 2_400)]);
    expect(await latest()).toMatchObject({ turnId: "T2", totalTokens: 3_500, contextTokens: 2_400 });
    // Another user's thread of the same id is not found.
    await expect(t.query(api.tokenUsage.latest, { actor: bob, threadId: TH })).rejects.toThrow(/not found/);
  });
});

describe("active sessions", () => {
  test("listActive: the owner's open sessions only; closed and other owners' are not listed", async () => {
    const t = newTest();
    await t.mutation(api.sessions.open, { actor: alice, sessionId: "laptop-1" });
    await t.mutation(api.sessions.open, { actor: alice, sessionId: "laptop-2" });
    await t.mutation(api.sessions.open, { actor: bob, sessionId: "bob-1" });
    const listed = async () => (await t.query(api.sessions.listActive, { actor: alice })).map((s) => s.sessionId).sort();
    expect(await listed()).toEqual(["laptop-1", "laptop-2"]);
    await t.mutation(api.sessions.close, { actor: alice, sessionId: "laptop-1" });
    expect(await listed()).toEqual(["laptop-2"]);
    const [row] = await t.query(api.sessions.listActive, { actor: alice });
    expect(row!.staleAt).toBeGreaterThan(Date.now());
  });
});
