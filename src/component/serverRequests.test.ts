import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { alice, bob, errorCode, seedApproval, seedThread, setup, type T } from "./test.helpers.js";

async function seedUserInputRequest(t: T, threadId: string, requestId: number | string = 3) {
  return await t.run(async (ctx) =>
    ctx.db.insert("server_requests", {
      tenantId: "acme",
      userId: "alice",
      threadId,
      sessionId: "sess-1",
      requestId,
      method: "item/tool/requestUserInput",
      turnId: "turn-1",
      status: "pending",
      paramsJson: "{}",
      createdAt: Date.now(),
    }),
  );
}

const answer = JSON.stringify({ answers: { q1: { answers: ["yes"] } } });

describe("serverRequests", () => {
  test("resolve answers once, enqueues one command for the asking session", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const id = await seedUserInputRequest(t, threadId);
    expect((await t.query(api.serverRequests.listPending, { actor: alice, threadId })).map((r) => r._id)).toEqual([id]);

    const { commandId } = await t.mutation(api.serverRequests.resolve, {
      actor: alice,
      threadId,
      sessionId: "sess-1",
      requestId: 3,
      responseJson: answer,
    });
    const again = t.mutation(api.serverRequests.resolve, { actor: alice, threadId, sessionId: "sess-1", requestId: 3, responseJson: answer });
    expect(await errorCode(again)).toBe(ErrorCode.serverRequestAlreadyAnswered);

    expect(await t.query(api.serverRequests.listPending, { actor: alice, threadId })).toEqual([]);
    expect(await t.query(api.serverRequests.get, { actor: alice, sessionId: "sess-1", requestId: 3 })).toMatchObject({
      status: "answered",
      responseJson: answer,
    });
    const commands = await t.run(async (ctx) => await ctx.db.query("commands").collect());
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ _id: commandId, targetSessionId: "sess-1", responseJson: answer, serverRequest: id });
  });

  test("request ids are compared with their type: 3 and \"3\" are different requests", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedUserInputRequest(t, threadId, 3);
    const code = await errorCode(
      t.mutation(api.serverRequests.resolve, { actor: alice, threadId, sessionId: "sess-1", requestId: "3", responseJson: answer }),
    );
    expect(code).toBe(ErrorCode.serverRequestNotFound);
  });

  test("resolving an approval request decides the approval too", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const { approval } = await seedApproval(t, alice, { threadId, requestId: 0 });
    await t.mutation(api.serverRequests.resolve, {
      actor: alice,
      threadId,
      sessionId: "sess-1",
      requestId: 0,
      responseJson: '{"decision":"acceptForSession"}',
    });
    expect((await t.run(async (ctx) => ctx.db.get(approval)))?.status).toBe("acceptedForSession");
    const code = await errorCode(
      t.mutation(api.approvals.respond, { actor: alice, threadId, turnId: "turn-1", itemId: "item-1", decision: "declined" }),
    );
    expect(code).toBe(ErrorCode.approvalAlreadyDecided);
  });

  test("an answer an approval cannot mean anything by is rejected and nothing changes", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedApproval(t, alice, { threadId, requestId: 0 });
    const code = await errorCode(
      t.mutation(api.serverRequests.resolve, { actor: alice, threadId, sessionId: "sess-1", requestId: 0, responseJson: '{"ok":1}' }),
    );
    expect(code).toBe(ErrorCode.invalidArgument);
    expect(await t.query(api.serverRequests.listPending, { actor: alice, threadId })).toHaveLength(1);
  });

  test.each([
    ["not JSON", "{nope", ErrorCode.invalidArgument],
    ["a JSON array", "[1]", ErrorCode.invalidArgument],
    ["JSON null", "null", ErrorCode.invalidArgument],
    // 22k characters, 66 KB: over the cap in bytes.
    ["too large", JSON.stringify({ x: "界".repeat(22_000) }), ErrorCode.tooLarge],
  ])("responseJson that is %s is rejected", async (_name, responseJson, expected) => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedUserInputRequest(t, threadId);
    const code = await errorCode(
      t.mutation(api.serverRequests.resolve, { actor: alice, threadId, sessionId: "sess-1", requestId: 3, responseJson }),
    );
    expect(code).toBe(expected);
  });

  test("bob can neither see nor answer alice's requests", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedUserInputRequest(t, threadId);
    expect(await t.query(api.serverRequests.listPending, { actor: bob, threadId })).toEqual([]);
    expect(await t.query(api.serverRequests.get, { actor: bob, sessionId: "sess-1", requestId: 3 })).toBeNull();
    const resolve = () =>
      t.mutation(api.serverRequests.resolve, { actor: bob, threadId, sessionId: "sess-1", requestId: 3, responseJson: answer });
    expect(await errorCode(resolve())).toBe(ErrorCode.threadNotFound);
    await seedThread(t, bob, threadId);
    expect(await errorCode(resolve())).toBe(ErrorCode.serverRequestNotFound);
  });

  test("a request of no thread: announced by its session, listed for its owner only, answered without a thread, settled", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const announce = (requestId: number, sessionId = "sess-1") =>
      t.mutation(api.serverRequests.announce, {
        actor: alice,
        sessionId,
        requestId,
        method: "account/chatgptAuthTokens/refresh",
        paramsJson: JSON.stringify({ reason: "unauthorized" }),
        createdAt: 5,
      });
    expect(await errorCode(announce(0))).toBe(ErrorCode.sessionNotFound);
    await t.mutation(api.sessions.open, { actor: alice, sessionId: "sess-1" });
    await announce(0);
    await announce(0); // a re-sent announcement is a no-op
    await announce(1);
    const listed = await t.query(api.serverRequests.listPendingGlobal, { actor: alice });
    expect(listed.map((r) => [r.requestId, r.threadId, r.status])).toEqual([
      [0, undefined, "pending"],
      [1, undefined, "pending"],
    ]);
    expect(await t.query(api.serverRequests.listPendingGlobal, { actor: bob })).toEqual([]);
    // Not in any thread's list, and not answerable as a thread's request.
    expect(await t.query(api.serverRequests.listPending, { actor: alice, threadId })).toEqual([]);
    const tokens = JSON.stringify({ accessToken: "a", chatgptAccountId: "b", chatgptPlanType: null });
    expect(await errorCode(t.mutation(api.serverRequests.resolve, { actor: alice, threadId, sessionId: "sess-1", requestId: 0, responseJson: tokens }))).toBe(
      ErrorCode.serverRequestNotFound,
    );
    const { commandId } = await t.mutation(api.serverRequests.resolve, { actor: alice, sessionId: "sess-1", requestId: 0, responseJson: tokens });
    const command = await t.query(api.commands.get, { actor: alice, commandId });
    expect(command).toMatchObject({ kind: "respondServerRequest", targetSessionId: "sess-1", requestId: 0, responseJson: tokens });
    expect(command?.threadId).toBeUndefined();
    expect((await t.query(api.commands.listPending, { actor: alice, sessionId: "sess-1" })).map((c) => c._id)).toEqual([commandId]);
    // The runtime gave codex an error for the other one (nobody answered in time).
    await t.mutation(api.serverRequests.settle, { actor: alice, sessionId: "sess-1", requestId: 1, status: "expired" });
    expect(await t.query(api.serverRequests.listPendingGlobal, { actor: alice })).toEqual([]);
    // A closing session expires what is still pending.
    await announce(2);
    await t.mutation(api.sessions.close, { actor: alice, sessionId: "sess-1" });
    expect(await t.query(api.serverRequests.listPendingGlobal, { actor: alice })).toEqual([]);
  });
});
