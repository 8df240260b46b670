// What codex reports, read back through the hooks on the real ConvexReactClient: a turn run by
// the REAL codex binary (scripted model on 127.0.0.1) through the host runtime, persisting into
// the same dev backend, makes a plan (`update_plan`), spends tokens and reports rate limits.
import { screen, waitFor } from "@testing-library/react";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { createConvexPersistence } from "../host/persistence/convexPersistence.js";
import { createCodexHostRuntime, type CodexHostRuntime } from "../host/runtime.js";
import { prepareScriptedCodexHome, startScriptedModelServer } from "../scripted-model/index.js";
import { createHarness } from "./testing/harness.js";
import { useCodexPlan } from "./useCodexPlan.js";
import { useCodexRateLimits } from "./useCodexRateLimits.js";
import { useCodexTokenUsage } from "./useCodexTokenUsage.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real codex on this machine, persisting as the harness's user into its backend. */
async function hostFor(h: ReturnType<typeof createHarness>): Promise<CodexHostRuntime> {
  const model = await startScriptedModelServer();
  const launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
  const cwd = mkdtempSync(join(tmpdir(), "codex-hooks-"));
  const runtime = createCodexHostRuntime({
    mode: "codex+replica",
    persistence: createConvexPersistence({ client: h.backend, deviceId: "laptop" }),
    bridge: { codexBin: launch.command, args: launch.args, env: { ...launch.env, HOME: cwd }, cwd },
    thread: { cwd, approvalPolicy: "never", sandbox: "workspace-write" },
    outbox: { flushIntervalMs: 50 },
    onError: () => undefined,
  });
  cleanups.push(async () => {
    await runtime.stop();
    await model.close();
    launch.cleanup();
    rmSync(cwd, { recursive: true, force: true });
  });
  await runtime.connect();
  return runtime;
}

function Reports({ threadId, turnId }: { threadId: string; turnId: string }) {
  const { plan } = useCodexPlan(api.codex.threadPlan, { threadId });
  const { usage } = useCodexTokenUsage(api.codex.tokenUsage, { threadId });
  const { usage: turnUsage } = useCodexTokenUsage(api.codex.turnTokenUsage, { threadId, turnId });
  const { limits } = useCodexRateLimits(api.codex.rateLimits);
  return (
    <div>
      <p data-testid="plan">{plan === undefined ? "loading" : plan === null ? "none" : `${plan.completed}/${plan.steps.length} ${plan.explanation ?? ""}`}</p>
      <ol>{plan?.steps.map((s) => <li key={s.step} data-testid="step">{`${s.status}: ${s.step}`}</li>)}</ol>
      <p data-testid="usage">{usage ? `${usage.totalTokens} of ${usage.modelContextWindow}, ${usage.contextLeftPercent}% left` : String(usage)}</p>
      <p data-testid="turn-usage">{turnUsage?.turn ? `turn ${turnUsage.turn.totalTokens} (${turnUsage.turn.inputTokens} in, ${turnUsage.turn.outputTokens} out)` : String(turnUsage)}</p>
      <p data-testid="limits">{limits === undefined ? "loading" : limits.map((l) => l.limitKey).join(",") || "none"}</p>
    </div>
  );
}

describe("codex's reports through the hooks, from a real codex turn", () => {
  test("the plan with its steps and explanation, the thread's and the turn's token usage, the rate limits", async () => {
    const h = createHarness();
    const runtime = await hostFor(h);
    const { threadId } = await runtime.openThread({ mode: "start" });
    const first = await runtime.sendTurn("hello");
    await waitFor(async () => expect((await h.backend.query(api.codex.turnTokenUsage, { threadId, turnId: first.turnId }))?.turn).toBeDefined(), { timeout: 20_000 });
    const { turnId } = await runtime.sendTurn("[plan] get it done");
    h.render(<Reports threadId={threadId} turnId={turnId} />);
    await waitFor(() => expect(screen.getByTestId("plan").textContent).toBe("1/3 Three steps to get there."), { timeout: 20_000 });
    expect(screen.getAllByTestId("step").map((s) => s.textContent)).toEqual([
      "completed: Read the failing test",
      "in_progress: Fix the parser",
      "pending: Run the suite",
    ]);
    await runtime.flush();
    await h.settle();
    // Every number as codex reported it: the thread's running total, and the second turn's share of it.
    const total = (await h.backend.query(api.codex.tokenUsage, { threadId }))!;
    const firstTurn = (await h.backend.query(api.codex.turnTokenUsage, { threadId, turnId: first.turnId }))!;
    const secondTurn = (await h.backend.query(api.codex.turnTokenUsage, { threadId, turnId }))!;
    expect(total.turnId).toBe(turnId);
    expect(secondTurn.turn!.totalTokens).toBe(total.totalTokens - firstTurn.totalTokens);
    expect(secondTurn.turn!.totalTokens).toBeGreaterThan(0);
    await waitFor(() => expect(screen.getByTestId("usage").textContent).toMatch(new RegExp(`^${total.totalTokens} of ${total.modelContextWindow}, \\d+% left$`)));
    expect(screen.getByTestId("turn-usage").textContent).toBe(`turn ${secondTurn.turn!.totalTokens} (${secondTurn.turn!.inputTokens} in, ${secondTurn.turn!.outputTokens} out)`);
    // codex reports its `codex` limit on every turn, even with no account (no windows then).
    await waitFor(() => expect(screen.getByTestId("limits").textContent).toBe("codex"));
  }, 60_000);
});
