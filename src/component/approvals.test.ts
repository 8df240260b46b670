import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "./errors.js";
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
});
