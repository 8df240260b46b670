/**
 * `pnpm demo`: one conversation through the whole stack — the REAL codex binary, the host
 * runtime, the component — then the conversation printed as read back from the
 * component's queries.
 *
 * With nothing configured it needs no OpenAI account and no Convex deployment: codex talks
 * to the scripted model on 127.0.0.1, and the dev backend (apps/dev-backend: the example app +
 * component on convex-test) runs as its own process on 127.0.0.1. Either way the host runtime
 * talks to the backend as on a user's machine: `ConvexClient` over WebSocket, commands by
 * live subscription (on Node 20 too: convex's Node build carries its own WebSocket).
 *
 *   CONVEX_URL=https://….convex.cloud CONVEX_AUTH_TOKEN=<jwt> pnpm demo
 *       writes to that deployment instead; it must run the example app's `convex/codex.ts`
 *       wrappers (ensureThread, sessionOpen/Heartbeat/Close, ingestBatch, commandsPending,
 *       commandClaim/Complete, registerTurnStart, pendingApprovals, approvalRespond,
 *       threadMessages, threadItems, threadState) and accept the token's identity.
 *   pnpm demo -- --real-model
 *       uses your logged-in codex (its own CODEX_HOME and model) instead of the scripted one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConvexClient } from "convex/browser";
import type { FunctionReturnType } from "convex/server";
import { createCodexHostRuntime, createConvexPersistence, type ConvexCaller } from "codex-local-component/host";
import { prepareScriptedCodexHome, startScriptedModelServer } from "codex-local-component/scripted-model";
import type { CodexLocalBridgeConfig } from "codex-local-component/bridge";
import { spawnDevBackend } from "../dev-backend/src/index.js";
import { api } from "../example/convex/_generated/api.js";
import { commandsOf, printConversation, readConversation } from "./readBack.js";

const chat = api.codex;
const realModel = process.argv.includes("--real-model");
const DEADLINE_MS = realModel ? 180_000 : 30_000;

type Approval = FunctionReturnType<typeof chat.pendingApprovals>[number];

async function main() {
  const cleanups: Array<() => unknown> = [];
  try {
    // ---- codex: the scripted model on loopback, or the user's own setup ----
    const cwd = mkdtempSync(join(tmpdir(), "codex-demo-"));
    cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));
    let bridge: CodexLocalBridgeConfig = { cwd };
    if (!realModel) {
      const model = await startScriptedModelServer();
      cleanups.push(() => model.close());
      model.enqueue(
        { type: "text", text: "Hi! I am codex, running on this machine and talking to a scripted model on 127.0.0.1.", chunks: 6 },
        { type: "command", command: "echo hello from codex && uname -s", justification: "The demo asked to run it.", finalText: "The command ran and printed its greeting." },
      );
      const launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
      cleanups.push(() => launch.cleanup());
      bridge = { ...bridge, codexBin: launch.command, args: launch.args, env: launch.env };
    }

    // ---- the backend: a deployment, or the dev backend as its own process ----
    let url = process.env.CONVEX_URL;
    let token = process.env.CONVEX_AUTH_TOKEN;
    if (url) {
      console.log(`backend: ${url}`);
    } else {
      const dev = await spawnDevBackend({ user: "demo-user" });
      cleanups.push(() => dev.stop());
      ({ url, token } = dev);
      console.log(`backend: the dev backend at ${url} (example app + codexLocal component on convex-test, its own process)`);
    }
    const convex = new ConvexClient(url, { logger: false });
    if (token) convex.setAuth(async () => token);
    cleanups.push(() => convex.close());
    const client: ConvexCaller = convex;
    console.log(`model:   ${realModel ? "your codex setup (--real-model)" : "scripted, on 127.0.0.1"}\n`);

    // ---- the runtime ----
    const runtime = createCodexHostRuntime({
      mode: "codex+replica",
      persistence: createConvexPersistence({ client, deviceId: "laptop" }),
      deviceId: "laptop",
      bridge,
      thread: { cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" },
      onEvent: ({ event }) => {
        if (event.type === "stream_delta" && event.channel === "agentMessage") process.stdout.write(event.delta);
      },
      onError: (error, context) => console.error(`  ! ${context}: ${error instanceof Error ? error.message : String(error)}`),
    });
    cleanups.push(() => runtime.stop());
    const started = Date.now();
    await runtime.connect();
    const { threadId } = await runtime.openThread({ mode: "start" });
    console.log(`codex up in ${Date.now() - started} ms; thread ${threadId}\n`);

    // Turn 1, asked from "another device": the runtime claims the queued command and runs it.
    console.log("phone> Hello codex!");
    process.stdout.write("codex> ");
    await client.mutation(chat.registerTurnStart, {
      threadId,
      inputText: "Hello codex!",
      idempotencyKey: `demo-${threadId}-1`,
      deviceId: "phone",
    });
    await waitForTurns(client, threadId, 1);
    console.log("\n");

    // Turn 2, typed on this machine: codex wants to run a command; a device approves it.
    const ask = realModel
      ? "Run `echo hello from codex && uname -s` in the shell and tell me what it printed."
      : "[command] echo hello from codex && uname -s";
    console.log(`laptop> ${ask}`);
    process.stdout.write("codex> ");
    const { turnId } = await runtime.sendTurn(ask);
    // The phone answers every approval codex asks for in this turn (a real model may ask
    // more than once, or not at all for a command it deems safe).
    const answered: Array<{ approval: Approval; status: string }> = [];
    await waitFor(async () => {
      const pending: Approval[] = await client.query(chat.pendingApprovals, { threadId });
      for (const approval of pending.filter((a) => a.turnId === turnId)) {
        console.log(`\n  [approval asked] ${approval.kind}: ${approval.command ?? ""}${approval.reason ? ` — "${approval.reason}"` : ""}`);
        const answer = await client.mutation(chat.approvalRespond, {
          threadId,
          turnId,
          itemId: approval.itemId,
          decision: "accepted",
          deviceId: "phone",
        });
        answered.push({ approval, status: answer.status });
        console.log(`  [approval answered from the phone] ${answer.status}`);
        process.stdout.write("codex> ");
      }
      return (await turnsDone(client, threadId, 2)) ? true : undefined;
    }, "turn 2 to complete");
    await runtime.flush();
    console.log("\n");

    // ---- what any device now reads back ----
    const conversation = await readConversation(client, threadId);
    printConversation(conversation, answered);
    const command = commandsOf(conversation)[0];
    if (!command || command.details.exitCode !== 0) throw new Error("the command item with exit code 0 was not found in the backend");
    if (!realModel && answered.length !== 1) throw new Error(`expected one approval, saw ${answered.length}`);
    if (conversation.turns.some((t) => t.status !== "completed")) throw new Error("a turn did not complete");
    console.log(`\ndone in ${Date.now() - started} ms`);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // Best effort: the demo is exiting anyway.
      }
    }
  }
}

async function waitForTurns(client: ConvexCaller, threadId: string, count: number) {
  await waitFor(async () => ((await turnsDone(client, threadId, count)) ? true : undefined), `turn ${count} to complete`);
}

/** True once `count` turns completed and none is running; throws if one failed. */
async function turnsDone(client: ConvexCaller, threadId: string, count: number): Promise<boolean> {
  const state = await client.query(chat.threadState, { threadId });
  const failed = state.recentTurns.find((t) => t.status === "failed" || t.status === "interrupted");
  if (failed) throw new Error(`a turn ended ${failed.status}: ${failed.error?.message ?? "no error message"}`);
  return state.recentTurns.length >= count && state.activeTurn === null && state.recentTurns.every((t) => t.status === "completed");
}

async function waitFor<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
