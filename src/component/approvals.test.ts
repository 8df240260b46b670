import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { alice, aliceElsewhere, bob, errorCode, seedApproval, seedThread, setup } from "./test.helpers.js";

const target = { turnId: "turn-1", itemId: "item-1" };

describe("approvals", () => {
  test("first answer wins: one decision, one request answered, exactly one command", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const { serverRequest } = await seedApproval(t, alice, { threadId });
    expect(await t.query(api.approvals.listPending, { actor: alice, threadId })).toHaveLength(1);

    const first = await t.mutation(api.approvals.respond, { actor: alice, threadId, ...target, decision: "declined", reason: "too risky" });
    const code = await errorCode(
      t.mutation(api.approvals.respond, { actor: { ...alice, deviceId: "alice-laptop" }, threadId, ...target, decision: "accepted" }),
    );

    expect(code).toBe(ErrorCode.approvalAlreadyDecided);
    expect(await t.query(api.approvals.listPending, { actor: alice, threadId })).toEqual([]);
    const rows = await t.run(async (ctx) => ({
      approval: await ctx.db.get(first.approvalId),
      request: await ctx.db.get(serverRequest),
      commands: await ctx.db.query("commands").collect(),
    }));
    expect(rows.approval).toMatchObject({
      status: "declined",
      decidedBy: "alice",
      decidedByDeviceId: "alice-phone",
      decisionReason: "too risky",
    });
    expect(rows.request).toMatchObject({ status: "answered", responseJson: '{"decision":"decline"}' });
    expect(rows.commands).toHaveLength(1);
    expect(rows.commands[0]).toMatchObject({
      _id: first.commandId,
      kind: "respondServerRequest",
      status: "queued",
      serverRequest,
      targetSessionId: "sess-1",
      turnId: "turn-1",
    });
  });

  test.each([
    ["accepted", '{"decision":"accept"}'],
    ["acceptedForSession", '{"decision":"acceptForSession"}'],
    ["cancelled", '{"decision":"cancel"}'],
  ] as const)("a file-change %s is sent to codex as %s", async (decision, responseJson) => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedApproval(t, alice, { threadId, kind: "fileChange", method: "item/fileChange/requestApproval" });
    const { commandId } = await t.mutation(api.approvals.respond, { actor: alice, threadId, ...target, decision });
    expect((await t.query(api.commands.get, { actor: alice, commandId }))?.responseJson).toBe(responseJson);
  });

  test("a permissions approval grants what was requested, for the session when asked", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedApproval(t, alice, {
      threadId,
      kind: "permissions",
      method: "item/permissions/requestApproval",
      params: { permissions: { network: { enabled: true }, fileSystem: null } },
    });
    const { commandId } = await t.mutation(api.approvals.respond, { actor: alice, threadId, ...target, decision: "acceptedForSession" });
    const command = await t.query(api.commands.get, { actor: alice, commandId });
    expect(JSON.parse(command!.responseJson!)).toEqual({ permissions: { network: { enabled: true } }, scope: "session" });
  });

  test("tenant isolation: bob (or alice in another tenant) can neither list nor answer", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedApproval(t, alice, { threadId });
    for (const other of [bob, aliceElsewhere]) {
      expect(await t.query(api.approvals.listPending, { actor: other, threadId })).toEqual([]);
      expect(await errorCode(t.mutation(api.approvals.respond, { actor: other, threadId, ...target, decision: "accepted" }))).toBe(
        ErrorCode.threadNotFound,
      );
    }
    // bob with his own thread of the same id still finds no approval there
    await seedThread(t, bob, threadId);
    expect(await errorCode(t.mutation(api.approvals.respond, { actor: bob, threadId, ...target, decision: "accepted" }))).toBe(
      ErrorCode.approvalNotFound,
    );
    expect(await t.query(api.approvals.listPending, { actor: alice, threadId })).toHaveLength(1);
  });

  test("an approval whose request expired cannot be answered", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    const { serverRequest } = await seedApproval(t, alice, { threadId });
    await t.run(async (ctx) => await ctx.db.patch(serverRequest, { status: "expired" }));
    expect(await errorCode(t.mutation(api.approvals.respond, { actor: alice, threadId, ...target, decision: "accepted" }))).toBe(
      ErrorCode.approvalAlreadyDecided,
    );
    expect(await t.run(async (ctx) => await ctx.db.query("commands").collect())).toEqual([]);
  });

  test.each([
    ["an unknown item", { ...target, itemId: "item-9" }, ErrorCode.approvalNotFound],
    ["the right item in another turn", { ...target, turnId: "turn-2" }, ErrorCode.approvalNotFound],
    ["an empty item id", { ...target, itemId: "" }, ErrorCode.invalidArgument],
    ["an empty turn id", { ...target, turnId: "" }, ErrorCode.invalidArgument],
  ])("answering %s is rejected with a code", async (_name, ids, code) => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedApproval(t, alice, { threadId });
    expect(await errorCode(t.mutation(api.approvals.respond, { actor: alice, threadId, ...ids, decision: "accepted" }))).toBe(code);
  });

  test("the validator rejects a decision codex does not know", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedApproval(t, alice, { threadId });
    await expect(
      t.mutation(api.approvals.respond, { actor: alice, threadId, ...target, decision: "maybe" as "accepted" }),
    ).rejects.toThrow(/Validator error/);
  });

  test("history lists answered and pending approvals, newest first, with who decided and from where", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedApproval(t, alice, { threadId, itemId: "item-1", requestId: 0 });
    await new Promise((r) => setTimeout(r, 2));
    await seedApproval(t, alice, { threadId, itemId: "item-2", requestId: 1 });
    await new Promise((r) => setTimeout(r, 2));
    await seedApproval(t, alice, { threadId, turnId: "turn-2", itemId: "item-3", requestId: 2 });
    await t.mutation(api.approvals.respond, { actor: alice, threadId, turnId: "turn-1", itemId: "item-1", decision: "accepted" });
    await t.mutation(api.approvals.respond, {
      actor: { ...alice, deviceId: "alice-laptop" },
      threadId,
      turnId: "turn-1",
      itemId: "item-2",
      decision: "declined",
    });
    const paginationOpts = { numItems: 10, cursor: null };

    const all = await t.query(api.approvals.listByThread, { actor: alice, threadId, paginationOpts });
    expect(all.isDone).toBe(true);
    expect(all.page.map((a) => [a.itemId, a.status, a.decidedBy, a.decidedByDeviceId])).toEqual([
      ["item-3", "pending", undefined, undefined],
      ["item-2", "declined", "alice", "alice-laptop"],
      ["item-1", "accepted", "alice", "alice-phone"],
    ]);
    expect(all.page[1]!.decidedAt).toEqual(expect.any(Number));
    // Pending ones stay answerable from here too.
    expect((await t.query(api.approvals.listPending, { actor: alice, threadId })).map((a) => a.itemId)).toEqual(["item-3"]);

    const turn1 = await t.query(api.approvals.listByThread, { actor: alice, threadId, turnId: "turn-1", paginationOpts });
    expect(turn1.page.map((a) => a.itemId)).toEqual(["item-2", "item-1"]);

    const first = await t.query(api.approvals.listByThread, { actor: alice, threadId, paginationOpts: { numItems: 2, cursor: null } });
    const rest = await t.query(api.approvals.listByThread, {
      actor: alice,
      threadId,
      paginationOpts: { numItems: 2, cursor: first.continueCursor },
    });
    expect([...first.page, ...rest.page].map((a) => a.itemId)).toEqual(["item-3", "item-2", "item-1"]);
    expect(rest.isDone).toBe(true);
  });

  test("history is per owner: another user or tenant sees none of it", async () => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await seedApproval(t, alice, { threadId });
    await t.mutation(api.approvals.respond, { actor: alice, threadId, ...target, decision: "accepted" });
    const paginationOpts = { numItems: 10, cursor: null };
    expect((await t.query(api.approvals.listByThread, { actor: alice, threadId, paginationOpts })).page).toHaveLength(1);
    for (const other of [bob, aliceElsewhere]) {
      const seen = await t.query(api.approvals.listByThread, { actor: other, threadId, paginationOpts });
      expect(seen.page).toEqual([]);
      const ofTurn = await t.query(api.approvals.listByThread, { actor: other, threadId, turnId: "turn-1", paginationOpts });
      expect(ofTurn.page).toEqual([]);
    }
    expect(await errorCode(t.query(api.approvals.listByThread, { actor: alice, threadId, turnId: "", paginationOpts }))).toBe(
      ErrorCode.invalidArgument,
    );
  });

  test.each([
    ["its session ends before the runtime takes the answer", "close"],
    ["the runtime cannot hand it to codex (codex stopped waiting)", "fail"],
  ] as const)("an answer that never reached codex reads undelivered, not accepted: %s", async (_why, how) => {
    const t = setup();
    const threadId = await seedThread(t, alice);
    await t.mutation(api.sessions.open, { actor: alice, sessionId: "sess-1" });
    const { approval, serverRequest } = await seedApproval(t, alice, { threadId });
    const { commandId } = await t.mutation(api.approvals.respond, { actor: alice, threadId, ...target, decision: "accepted" });
    if (how === "close") await t.mutation(api.sessions.close, { actor: alice, sessionId: "sess-1" });
    else {
      await t.mutation(api.commands.claim, { actor: alice, sessionId: "sess-1", commandId });
      await t.mutation(api.commands.complete, { actor: alice, sessionId: "sess-1", commandId, error: "codex is not waiting for request 0" });
    }
    const rows = await t.run(async (ctx) => ({ approval: await ctx.db.get(approval), request: await ctx.db.get(serverRequest) }));
    expect(rows.approval).toMatchObject({ status: "undelivered", decidedBy: "alice" });
    expect(rows.request?.status).toBe("expired");
    expect((await t.query(api.commands.get, { actor: alice, commandId }))?.status).toBe("failed");
    // It is not answerable again either: codex no longer waits on that request.
    expect(await errorCode(t.mutation(api.approvals.respond, { actor: alice, threadId, ...target, decision: "accepted" }))).toBe(
      ErrorCode.approvalAlreadyDecided,
    );
  });
});
