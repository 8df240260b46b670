/**
 * The fault suite: the REAL codex binary on the scripted model, the host runtime, the example
 * app + component, and one fault per case. `pnpm test` asserts every figure is 0 (with short
 * durations, same code paths); `pnpm bench:faults` prints them with the real durations.
 *
 * What is counted, against what codex itself said (every event the runtimes read from codex,
 * as normalized) and what the devices asked (every command queued):
 * - lost: a turn, item or message codex reported that the backend lacks (or holds with other
 *   text), stream text codex sent that the backend's replay lacks, a command that failed;
 * - duplicated: a message stored twice, stream text beyond what codex sent, a command run twice
 *   (the model asked twice for one input);
 * - stuck: commands not final, turns still `inProgress`, approvals or requests still pending
 *   when codex no longer waits on them.
 * Time to recover: from the end of the fault until every figure is 0 (the work a case queued
 * during the fault included; the turn it sends afterwards to show all is well, not).
 */
import type { InboundEvent } from "../../contract/events.js";
import { resolveCodexBinary } from "../../bridge/codexBinary.js";
import type { Scenario } from "../../scripted-model/index.js";
import type { CodexHostRuntime, CodexHostRuntimeOptions } from "../runtime.js";
import { FaultyBackend, type OutageMode } from "./faultyBackend.js";
import { chat, startHarness, waitFor, type Harness, type HarnessOptions } from "./harness.js";

export type FaultFigures = { lost: number; duplicated: number; commands: number; turns: number; approvals: number };
const total = (f: FaultFigures) => f.lost + f.duplicated + f.commands + f.turns + f.approvals;
export type FaultResult = FaultFigures & { name: string; recoveryMs: number; detail: string[] };

/** Durations a case uses: the real ones for the benchmark, short ones (same code paths) for the tests. */
export type FaultScale = {
  shortOutageMs: number;
  longOutageMs: number;
  outageDuringCrashMs: number;
  writeDelayMs: number;
  /** How long a case may take to settle before its figures are taken as they are. */
  settleTimeoutMs: number;
  /** Runtime options over the harness's (the benchmark runs the runtime's own defaults). */
  runtime: Partial<CodexHostRuntimeOptions>;
  /** How often a hung codex is probed and how long it has to answer (the benchmark: the bridge's defaults). */
  liveness?: { intervalMs: number; timeoutMs: number };
};
export const BENCH_SCALE: FaultScale = {
  shortOutageMs: 10_000,
  longOutageMs: 30_000,
  outageDuringCrashMs: 20_000,
  writeDelayMs: 2_000,
  settleTimeoutMs: 90_000,
  // The default batch window (250 ms) and retry backoff (up to 5 s), as a user runs it.
  runtime: { outbox: undefined },
};
export const TEST_SCALE: FaultScale = { shortOutageMs: 1_000, longOutageMs: 2_500, outageDuringCrashMs: 2_000, writeDelayMs: 250, settleTimeoutMs: 30_000, runtime: {}, liveness: { intervalMs: 200, timeoutMs: 500 } };

/** A reply streamed over ~1.6 s, so a fault can strike mid-stream. */
const streamed = (words: string): Scenario => ({ type: "text", text: `${words}: ${"one two three four five six seven eight ".repeat(4).trim()}`, chunks: 32, chunkDelayMs: 50 });

type Sent = { commandId: string; threadId: string; input: string };

/** What one case drives: runtimes that record what codex said, devices that record what they asked. */
class FaultRun {
  constructor(private readonly scale: FaultScale) {}
  readonly backend = new FaultyBackend();
  readonly observed: Array<{ threadId: string; event: InboundEvent }> = [];
  readonly sent: Sent[] = [];
  readonly threads = new Set<string>();
  faultEndedAt = 0;
  /** When every figure first read 0 after the fault (before any follow-up work a case does). */
  recoveredAt: number | undefined;
  h!: Harness;

  async start(options: HarnessOptions = {}) {
    this.h = await startHarness({ ...options, wrapPersistence: (port) => this.backend.wrap(port) });
    return this;
  }

  runtime(overrides: Partial<CodexHostRuntimeOptions> = {}): CodexHostRuntime {
    return this.h.newRuntime({
      bridge: { ...this.h.bridgeConfig, restart: { baseDelayMs: 50 } },
      onEvent: (e) => void this.observed.push({ threadId: e.threadId, event: e.event }),
      ...this.scale.runtime,
      ...overrides,
    });
  }

  async thread(runtime: CodexHostRuntime) {
    const { threadId } = await runtime.openThread({ mode: "start" });
    this.threads.add(threadId);
    return threadId;
  }

  /** Where `midStream` starts looking: what codex said before the last turn was sent is not that turn. */
  private sentAt = 0;

  /** A device queues a turn. */
  async send(threadId: string, input: string) {
    this.sentAt = this.observed.length;
    const ticket = (await this.h.device.mutation(chat.registerTurnStart, { threadId, inputText: input, idempotencyKey: input, deviceId: "phone" })) as {
      commandId: string;
    };
    this.sent.push({ commandId: ticket.commandId, threadId, input });
    return ticket.commandId;
  }

  /** Waits until codex has streamed part of the reply to the turn sent last. */
  async midStream(threadId: string) {
    const since = this.sentAt;
    const streaming = () =>
      this.observed.slice(since).some((o) => o.threadId === threadId && o.event.type === "stream_delta" && o.event.channel === "agentMessage" && o.event.cursorStart > 0);
    await waitFor(async () => streaming(), Boolean, 20_000);
  }

  /** Waits until the thread has approvals pending (a device sees them). */
  async pendingApprovals(threadId: string) {
    return await waitFor(() => this.h.device.query(chat.pendingApprovals, { threadId }) as Promise<Array<{ turnId: string; itemId: string }>>, (a) => a.length > 0, 20_000);
  }

  /**
   * Waits until the thread has `count` turns, none running, and no command open. (A turn a
   * device sends while one runs is folded into it by codex: send the next once one is done.)
   */
  async turnsDone(threadId: string, count: number) {
    await waitFor(
      () => this.state(threadId),
      (s) => s.recentTurns.length >= count && s.recentTurns.every((t) => t.status !== "inProgress") && s.openCommands.length === 0,
      30_000,
    );
  }

  endFault() {
    this.faultEndedAt = Date.now();
  }

  /** Waits until every figure is 0: the system has recovered from the fault. */
  async recovered() {
    await waitFor(() => this.measure(), (f) => total(f) === 0, this.scale.settleTimeoutMs).catch(() => undefined);
    this.recoveredAt ??= Date.now();
  }

  state(threadId: string) {
    return this.h.device.query(chat.threadState, { threadId }) as Promise<{
      recentTurns: Array<{ turnId: string; status: string }>;
      activeTurn: unknown;
      openCommands: unknown[];
    }>;
  }

  /** Every figure, read through the app's queries. */
  async measure(): Promise<FaultFigures & { detail: string[] }> {
    const f = { lost: 0, duplicated: 0, commands: 0, turns: 0, approvals: 0, detail: [] as string[] };
    const note = (what: keyof FaultFigures, why: string) => {
      f[what]++;
      if (f.detail.length < 12) f.detail.push(`${what}: ${why}`);
    };
    for (const threadId of this.threads) await this.measureThread(threadId, note);
    for (const sent of this.sent) {
      const command = (await this.h.device.query(chat.commandStatus, { commandId: sent.commandId })) as { status: string; error?: string } | null;
      if (!command || command.status === "queued" || command.status === "claimed") note("commands", `${sent.input}: ${command?.status ?? "missing"}`);
      else if (command.status !== "done") note("lost", `${sent.input}: command ${command.status} (${command.error ?? ""})`);
      const asked = this.h.model.requests.filter((r) => r.answer !== "finalAnswer" && r.answer !== "notFound" && r.lastUserText === sent.input).length;
      if (asked > 1) note("duplicated", `${sent.input}: run ${asked} times`);
    }
    if (((await this.h.device.query(chat.pendingGlobalRequests, {})) as unknown[]).length > 0) note("approvals", "a request of no thread is still pending");
    return f;
  }

  private async measureThread(threadId: string, note: (what: keyof FaultFigures, why: string) => void) {
    const d = this.h.device;
    const state = await this.state(threadId);
    const messages = ((await d.query(chat.threadMessages, { threadId, paginationOpts: { numItems: 200, cursor: null } })) as {
      page: Array<{ turnId: string; itemId: string; text: string; status: string }>;
    }).page;
    const items = (await d.query(chat.threadItems, { threadId })) as Array<{ turnId: string; itemId: string; status: string }>;
    const events = this.observed.filter((o) => o.threadId === threadId).map((o) => o.event);
    const key = (turnId: string | undefined, itemId: string | undefined) => `${turnId}/${itemId}`;
    const messageRows = new Map<string, number>();
    for (const m of messages) messageRows.set(key(m.turnId, m.itemId), (messageRows.get(key(m.turnId, m.itemId)) ?? 0) + 1);
    for (const [k, n] of messageRows) if (n > 1) note("duplicated", `message ${k} stored ${n} times`);

    // Turns: each one codex started exists and ended.
    const turnIds = new Set(events.filter((e) => e.type === "lifecycle_event" && e.kind === "turn/started").map((e) => e.turnId!));
    for (const turnId of turnIds) {
      const turn = state.recentTurns.find((t) => t.turnId === turnId);
      if (!turn) note("lost", `turn ${turnId} missing`);
      else if (turn.status === "inProgress") note("turns", `turn ${turnId} still inProgress`);
    }
    if (state.activeTurn) note("turns", `thread ${threadId} still has an active turn`);
    if (state.openCommands.length > 0) note("commands", `${state.openCommands.length} open commands in ${threadId}`);

    // Items and messages: each one codex completed is stored as it finished.
    for (const e of events) {
      if (e.type !== "lifecycle_event" || e.kind !== "item/completed") continue;
      const item = (JSON.parse(e.payloadJson) as { item: { type: string; text?: string } }).item;
      if (!items.some((i) => i.turnId === e.turnId && i.itemId === e.itemId && i.status !== "inProgress")) note("lost", `item ${key(e.turnId, e.itemId)} (${item.type})`);
      if (item.type === "agentMessage") {
        const m = messages.find((row) => row.turnId === e.turnId && row.itemId === e.itemId);
        if (!m || m.text !== item.text || m.status !== "completed") note("lost", `message ${key(e.turnId, e.itemId)}: ${m ? `${m.status} ${JSON.stringify(m.text.slice(0, 40))}` : "missing"}`);
      }
    }

    // Streams: the backend's replay is exactly what codex streamed.
    const sentText = new Map<string, { turnId: string; text: string; deltas: number }>();
    for (const e of events) {
      if (e.type !== "stream_delta") continue;
      const s = sentText.get(e.streamId) ?? { turnId: e.turnId, text: "", deltas: 0 };
      if (e.cursorStart === s.text.length) s.text += e.delta;
      s.deltas++;
      sentText.set(e.streamId, s);
    }
    for (const turnId of new Set([...sentText.values()].map((s) => s.turnId))) {
      const replay = (await d.query(chat.streamResume, { threadId, turnId, fromCursor: 0 })) as { deltas: Array<{ streamId: string; cursorStart: number; text: string }> };
      for (const [streamId, expected] of sentText) {
        if (expected.turnId !== turnId) continue;
        const stored = replay.deltas
          .filter((x) => x.streamId === streamId)
          .sort((a, b) => a.cursorStart - b.cursorStart)
          .map((x) => x.text)
          .join("");
        if (stored === expected.text) continue;
        if (expected.text.startsWith(stored)) note("lost", `stream ${streamId}: ${expected.text.length - stored.length} of ${expected.text.length} characters missing`);
        else note("duplicated", `stream ${streamId}: stored text differs from what codex sent`);
      }
    }

    const pendingApprovals = (await d.query(chat.pendingApprovals, { threadId })) as unknown[];
    if (pendingApprovals.length > 0) note("approvals", `${pendingApprovals.length} approvals still pending in ${threadId}`);
    const pendingRequests = (await d.query(chat.pendingServerRequests, { threadId })) as unknown[];
    if (pendingRequests.length > 0) note("approvals", `${pendingRequests.length} requests still pending in ${threadId}`);
  }
}

/** A device answers every approval it is shown, as a person at a phone would. */
async function approveAll(run: FaultRun, threadId: string, stop: () => boolean) {
  while (!stop()) {
    try {
      const pending = (await run.h.device.query(chat.pendingApprovals, { threadId })) as Array<{ turnId: string; itemId: string }>;
      for (const a of pending) {
        await run.h.device.mutation(chat.approvalRespond, { threadId, turnId: a.turnId, itemId: a.itemId, decision: "accepted", deviceId: "phone" }).catch(() => undefined);
      }
    } catch {
      // The thread may not exist yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type FaultCase = { name: string; run: (run: FaultRun, scale: FaultScale) => Promise<void>; harness?: HarnessOptions };

async function outageMidStream(run: FaultRun, ms: number, mode: OutageMode) {
  const runtime = run.runtime();
  await runtime.connect();
  const threadId = await run.thread(runtime);
  run.h.model.enqueue(streamed("during the outage"));
  await run.send(threadId, "stream through an outage");
  await run.midStream(threadId);
  run.backend.cut(mode);
  await new Promise((r) => setTimeout(r, ms));
  run.backend.restore();
  run.endFault();
  await run.turnsDone(threadId, 1);
  await run.recovered();
  // Once the backend is back, the next turn a device sends runs as usual.
  await run.send(threadId, "after the outage");
  await run.turnsDone(threadId, 2);
}

async function killMidTurn(run: FaultRun, outageMs: number, fault: "kill" | "hang" = "kill", liveness?: FaultScale["liveness"]) {
  const runtime =
    fault === "kill"
      ? run.runtime()
      : // codex itself (not the npm launcher), so the process that stops answering is the one probed and killed.
        run.runtime({ bridge: { ...run.h.bridgeConfig, codexBin: resolveCodexBinary(), restart: { baseDelayMs: 50 }, ...(liveness ? { liveness } : {}) } });
  await runtime.connect();
  const threadId = await run.thread(runtime);
  await run.send(threadId, "before the crash");
  await run.turnsDone(threadId, 1);
  const first = runtime.sessionId;
  run.h.model.enqueue(streamed("cut off"));
  await run.send(threadId, "killed mid-turn");
  await run.midStream(threadId);
  if (outageMs > 0) run.backend.cut("refuse");
  // A hung codex: alive, holding its pipes, answering nothing.
  runtime.bridge.child!.kill(fault === "kill" ? "SIGKILL" : "SIGSTOP");
  if (outageMs > 0) {
    await new Promise((r) => setTimeout(r, outageMs));
    run.backend.restore();
  }
  run.endFault();
  // A hung codex is found out by the next probe that goes unanswered (up to 40 s with the defaults).
  await waitFor(async () => runtime.getLifecycleState(), (s) => s.phase === "running" && runtime.sessionId !== first, 60_000);
  await run.recovered();
  await run.send(threadId, "after the crash");
  await run.turnsDone(threadId, 3);
}

/** One device turn, with a fault armed just before it is sent. */
async function deviceTurnWith(run: FaultRun, input: string, arm: () => void) {
  const runtime = run.runtime();
  await runtime.connect();
  const threadId = await run.thread(runtime);
  arm();
  await run.send(threadId, input);
  run.endFault();
  await run.turnsDone(threadId, 1);
}

export const FAULT_CASES: FaultCase[] = [
  { name: "backend down (short) mid-stream, calls refused", run: (run, scale) => outageMidStream(run, scale.shortOutageMs, "refuse") },
  { name: "backend down (long) mid-stream, calls held", run: (run, scale) => outageMidStream(run, scale.longOutageMs, "hold") },
  {
    name: "every write slow",
    run: async (run, scale) => {
      run.backend.slowWrites(scale.writeDelayMs);
      const runtime = run.runtime();
      await runtime.connect();
      const threadId = await run.thread(runtime);
      let done = false;
      const approver = approveAll(run, threadId, () => done);
      run.endFault();
      try {
        await run.send(threadId, "a slow backend");
        await run.turnsDone(threadId, 1);
        await run.send(threadId, "[command] echo through a slow backend");
        await run.turnsDone(threadId, 2);
      } finally {
        done = true;
      }
      await approver;
    },
  },
  { name: "codex SIGKILLed mid-turn", run: (run) => killMidTurn(run, 0) },
  { name: "codex SIGKILLed during a backend outage", run: (run, scale) => killMidTurn(run, scale.outageDuringCrashMs) },
  { name: "codex hung mid-turn (alive, answering nothing)", run: (run, scale) => killMidTurn(run, 0, "hang", scale.liveness) },
  {
    name: "runtime stopped and restarted mid-turn",
    run: async (run) => {
      const first = run.runtime();
      await first.connect();
      const threadId = await run.thread(first);
      run.h.model.enqueue(streamed("stopped"));
      await run.send(threadId, "stopped mid-turn");
      await run.midStream(threadId);
      await first.stop();
      await run.send(threadId, "queued while stopped");
      const second = run.runtime();
      await second.connect();
      run.endFault();
      await run.turnsDone(threadId, 2);
    },
  },
  {
    name: "claim reply lost",
    // The claim lands, its reply does not: asking again must return the command, not lose it.
    run: (run) => deviceTurnWith(run, "claimed, reply lost", () => run.backend.loseReply("claimCommand")),
  },
  {
    name: "completion lost, then its reply lost",
    // The first report never arrives, the second lands but its reply is lost: retried until heard.
    run: (run) =>
      deviceTurnWith(run, "completed, reply lost", () => {
        run.backend.failNext("completeCommand");
        run.backend.loseReply("completeCommand");
      }),
  },
  {
    name: "two runtimes of one user racing for the same commands",
    run: async (run) => {
      // Threads of this machine that no runtime has loaded yet: either runtime can run their turns.
      const setup = run.runtime();
      await setup.connect();
      const threadIds = [await run.thread(setup), await run.thread(setup), await run.thread(setup)];
      for (const threadId of threadIds) await setup.sendTurn(`hello ${threadId}`, threadId);
      for (const threadId of threadIds) await run.turnsDone(threadId, 1);
      await setup.stop();
      const racers = [run.runtime(), run.runtime()];
      await Promise.all(racers.map((r) => r.connect()));
      for (const threadId of threadIds) await run.send(threadId, `raced for ${threadId}`);
      run.endFault();
      for (const threadId of threadIds) await run.turnsDone(threadId, 2);
    },
  },
  {
    name: "sockets dropped again and again mid-stream",
    run: async (run) => {
      const runtime = run.runtime();
      await runtime.connect();
      const threadId = await run.thread(runtime);
      run.h.model.enqueue({ type: "text", text: `long: ${"alpha beta gamma delta ".repeat(20).trim()}`, chunks: 60, chunkDelayMs: 50 });
      await run.send(threadId, "stream through dropped sockets");
      await run.midStream(threadId);
      // Every client's WebSocket closed (host and device), twelve times over 2.4 s: each reconnects.
      for (let i = 0; i < 12; i++) {
        run.h.dev!.dropConnections();
        await new Promise((r) => setTimeout(r, 200));
      }
      run.endFault();
      await run.turnsDone(threadId, 1);
      await run.send(threadId, "after the drops");
      await run.turnsDone(threadId, 2);
    },
  },
  {
    name: "backend down between an approval's answer and the host reading it",
    run: async (run) => {
      const runtime = run.runtime();
      await runtime.connect();
      const threadId = await run.thread(runtime);
      await run.send(threadId, "[command] echo approved during an outage");
      const [approval] = await run.pendingApprovals(threadId);
      run.backend.cut("refuse");
      await run.h.device.mutation(chat.approvalRespond, { threadId, turnId: approval!.turnId, itemId: approval!.itemId, decision: "accepted", deviceId: "phone" });
      await new Promise((r) => setTimeout(r, 1_500));
      run.backend.restore();
      run.endFault();
      await run.turnsDone(threadId, 1);
    },
  },
  {
    name: "runtime stopped during an approval",
    run: async (run) => {
      const first = run.runtime();
      await first.connect();
      const threadId = await run.thread(first);
      await run.send(threadId, "[command] echo never approved");
      await run.pendingApprovals(threadId);
      await first.stop();
      run.endFault();
      const second = run.runtime();
      await second.connect();
      await run.turnsDone(threadId, 1);
      await run.send(threadId, "after the stop");
      await run.turnsDone(threadId, 2);
    },
  },
  {
    name: "an approval answered from two devices at once",
    run: async (run) => {
      const runtime = run.runtime();
      await runtime.connect();
      const threadId = await run.thread(runtime);
      await run.send(threadId, "[command] echo two devices");
      const [a] = await run.pendingApprovals(threadId);
      const answer = (device: typeof run.h.device, decision: "accepted" | "declined", deviceId: string) =>
        device.mutation(chat.approvalRespond, { threadId, turnId: a!.turnId, itemId: a!.itemId, decision, deviceId });
      const results = await Promise.allSettled([answer(run.h.device, "accepted", "phone"), answer(run.h.connect(), "declined", "tablet")]);
      // One decision wins; the other device is told, with a code, that it came too late.
      const refused = results.filter((r) => r.status === "rejected").map((r) => String(r.reason));
      if (refused.length !== 1 || !refused[0]!.includes("E_APPROVAL_ALREADY_DECIDED")) throw new Error(`two answers: ${JSON.stringify(results)}`);
      run.endFault();
      await run.turnsDone(threadId, 1);
    },
  },
  {
    name: "item ids reused across turns",
    harness: { model: { itemIds: "perResponse" } },
    run: async (run) => {
      const runtime = run.runtime({ thread: { approvalPolicy: "never", sandbox: "workspace-write" } });
      await runtime.connect();
      const threadId = await run.thread(runtime);
      run.endFault();
      const turns: Array<[string, Scenario | undefined]> = [
        ["first, text", { type: "text", text: "First.", chunks: 3 }],
        ["[reasoning] second, reasoning", undefined],
        ["third, streamed", streamed("third")],
        ["fourth, a command", { type: "command", command: "echo fourth", escalated: false, preamble: "Running it.", finalText: "Ran it." }],
      ];
      for (const [i, [input, scenario]] of turns.entries()) {
        if (scenario) run.h.model.enqueue(scenario);
        await run.send(threadId, input);
        await run.turnsDone(threadId, i + 1);
      }
    },
  },
];

/** Runs one case on a fresh stack and measures it (polling until every figure is 0, or the timeout). */
export async function runFaultCase(fault: FaultCase, scale: FaultScale): Promise<FaultResult> {
  const run = await new FaultRun(scale).start(fault.harness);
  try {
    await fault.run(run, scale);
    let figures = await run.measure();
    const deadline = Date.now() + scale.settleTimeoutMs;
    while (total(figures) > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      figures = await run.measure();
    }
    return { name: fault.name, recoveryMs: (run.recoveredAt ?? Date.now()) - run.faultEndedAt, ...figures };
  } finally {
    await run.h.close();
  }
}

/** `faults: C cases, L lost, D duplicated, S stuck` (S: commands, turns and requests left non-final). */
export function summaryLine(results: FaultResult[]): string {
  const sum = (f: (r: FaultResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return `faults: ${results.length} cases, ${sum((r) => r.lost)} lost, ${sum((r) => r.duplicated)} duplicated, ${sum((r) => r.commands + r.turns + r.approvals)} stuck`;
}
