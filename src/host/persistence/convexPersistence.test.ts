// The Convex adapter over the example app's wrappers, on the dev backend: in process for the
// polling path, and through the real ConvexHttpClient and ConvexClient (the deployment path).
import { getFunctionName, makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { ConvexError } from "convex/values";
import { startDevBackend, type DevBackend } from "../../../apps/dev-backend/src/index.js";
import { chat, inProcessCaller } from "../testing/harness.js";
import { createConvexPersistence, hostFunctionReferences } from "./convexPersistence.js";
import type { ConvexCaller } from "./convexCaller.js";
import type { PendingCommand } from "./port.js";

let backend: DevBackend;
beforeAll(async () => {
  backend = await startDevBackend();
});
afterAll(() => backend.stop());

describe("createConvexPersistence", () => {
  test("defaults to the generated `codex` wrappers, by name; another module can be named", () => {
    expect(getFunctionName(hostFunctionReferences().ingestBatch)).toBe("codex:ingestBatch");
    expect(getFunctionName(hostFunctionReferences("chat").commandsPending)).toBe("chat:commandsPending");
  });

  test("without live queries it polls; a command is claimed by one session only", async () => {
    const user = inProcessCaller(backend, "alice");
    // A client like ConvexHttpClient: query and mutation, no onUpdate.
    const httpLike = { query: user.query, mutation: user.mutation };
    const a = createConvexPersistence({ client: httpLike, pollMs: 10 });
    const b = createConvexPersistence({ client: user });
    await a.openSession({ sessionId: "sa" });
    await b.openSession({ sessionId: "sb" });
    await a.ensureThread({ threadId: "th", cwd: "/work" });

    const seen: PendingCommand[][] = [];
    const stop = a.watchPendingCommands({ sessionId: "sa" }, (list) => void seen.push(list));
    const ticket = (await user.mutation(chat.registerTurnStart, {
      threadId: "th",
      inputText: "hi",
      idempotencyKey: "k",
    })) as { commandId: string };
    const started = Date.now();
    while (!seen.some((l) => l.some((c) => c._id === ticket.commandId)) && Date.now() - started < 5_000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    stop();
    const command = seen.flat().find((c) => c._id === ticket.commandId);
    expect(command).toMatchObject({ kind: "startTurn", threadId: "th", input: [{ type: "text", text: "hi" }] });

    const claims = await Promise.allSettled([
      a.claimCommand({ sessionId: "sa", commandId: ticket.commandId }),
      b.claimCommand({ sessionId: "sb", commandId: ticket.commandId }),
    ]);
    expect(claims.filter((c) => c.status === "fulfilled")).toHaveLength(1);
    const loser = claims.find((c) => c.status === "rejected") as PromiseRejectedResult;
    expect((loser.reason as { data?: { code?: string } }).data?.code).toBe("E_COMMAND_NOT_CLAIMABLE");
    const winner = claims[0]!.status === "fulfilled" ? { p: a, s: "sa" } : { p: b, s: "sb" };
    await winner.p.completeCommand({ sessionId: winner.s, commandId: ticket.commandId, turnId: "codex-turn" });
    const state = (await user.query(chat.threadState, { threadId: "th" })) as { activeTurn: { turnId: string } | null };
    expect(state.activeTurn?.turnId).toBe("codex-turn");
  });

  test("through the real ConvexHttpClient (the deployment path): calls by name, coded errors keep their code", async () => {
    {
      const http = new ConvexHttpClient(backend.url);
      http.setAuth(backend.mintToken("bob"));
      const port = createConvexPersistence({ client: http, deviceId: "laptop", pollMs: 10 });
      await port.openSession({ sessionId: "s1" });
      await port.ensureThread({ threadId: "th" });
      const result = await port.ingest({
        sessionId: "s1",
        threadId: "th",
        events: [
          {
            type: "lifecycle_event",
            eventId: "t1/turn/started",
            turnId: "t1",
            kind: "turn/started",
            payloadJson: JSON.stringify({ threadId: "th", turn: { id: "t1", status: "inProgress", items: [] } }),
            createdAt: 1,
          },
        ],
      });
      expect(result).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
      // Bob's write is Bob's: the same call as another user sees no turn.
      const bobState = (await inProcessCaller(backend, "bob").query(chat.threadState, { threadId: "th" })) as { activeTurn: unknown };
      expect(bobState.activeTurn).toMatchObject({ turnId: "t1" });
      const ticket = (await http.mutation(makeFunctionReference<"mutation">("codex:registerTurnStart"), {
        threadId: "th",
        inputText: "hello",
        idempotencyKey: "k1",
      })) as { commandId: string };
      await port.claimCommand({ sessionId: "s1", commandId: ticket.commandId });
      await port.claimCommand({ sessionId: "s1", commandId: ticket.commandId }); // asking again is answered again
      await port.openSession({ sessionId: "s2" });
      const again = await port.claimCommand({ sessionId: "s2", commandId: ticket.commandId }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(ConvexError);
      expect((again as ConvexError<{ code: string }>).data.code).toBe("E_COMMAND_NOT_CLAIMABLE");
    }
  });

  test("through the real ConvexClient: pending commands arrive by subscription, not by polling", async () => {
    const convex = new ConvexClient(backend.url, { logger: false });
    convex.setAuth(async () => backend.mintToken("carol"));
    try {
      let polls = 0;
      const counting: ConvexCaller = {
        query: (ref, args) => (polls++, convex.query(ref, args)),
        mutation: (ref, args) => convex.mutation(ref, args),
        onUpdate: (ref, args, callback, onError) => convex.onUpdate(ref, args, callback, onError),
      };
      const port = createConvexPersistence({ client: counting, pollMs: 10 });
      await port.openSession({ sessionId: "live" });
      await port.ensureThread({ threadId: "th-live" });
      const seen: PendingCommand[][] = [];
      const stop = port.watchPendingCommands({ sessionId: "live" }, (list) => void seen.push(list));
      const ticket = (await convex.mutation(chat.registerTurnStart, { threadId: "th-live", inputText: "hi", idempotencyKey: "k" })) as {
        commandId: string;
      };
      const started = Date.now();
      while (!seen.some((l) => l.some((c) => c._id === ticket.commandId)) && Date.now() - started < 5_000) {
        await new Promise((r) => setTimeout(r, 5));
      }
      stop();
      expect(seen.flat().some((c) => c._id === ticket.commandId)).toBe(true);
      expect(polls).toBe(0);
    } finally {
      await convex.close();
    }
  });
});
