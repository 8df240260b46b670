// A thread started from a device: a `startThread` command any of the owner's hosts may run;
// the host completes it with codex's thread id, which the device reads back from the command.
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { alice, bob, newTest } from "./testdata/harness.testonly.js";
import { errorCode } from "./test.helpers.js";

describe("threads.requestNew", () => {
  test("queued for any host of the owner, claimed once, completed with the thread codex started", async () => {
    const t = newTest();
    await t.mutation(api.sessions.open, { actor: alice, sessionId: "laptop" });
    const ticket = await t.mutation(api.threads.requestNew, { actor: alice, idempotencyKey: "k1" });
    expect(ticket).toMatchObject({ status: "queued", deduplicated: false });
    // The same key again is the same request.
    expect(await t.mutation(api.threads.requestNew, { actor: alice, idempotencyKey: "k1" })).toMatchObject({ commandId: ticket.commandId, deduplicated: true });
    const pending = await t.query(api.commands.listPending, { actor: alice, sessionId: "laptop" });
    expect(pending.map((c) => [c._id, c.kind])).toEqual([[ticket.commandId, "startThread"]]);
    expect(await t.query(api.commands.listPending, { actor: bob, sessionId: "laptop" })).toEqual([]);

    await t.mutation(api.commands.claim, { actor: alice, sessionId: "laptop", commandId: ticket.commandId });
    // The host must name the thread, and it must exist (the host ensures it before completing).
    const complete = (threadId?: string) =>
      t.mutation(api.commands.complete, { actor: alice, sessionId: "laptop", commandId: ticket.commandId, ...(threadId ? { threadId } : {}) });
    expect(await errorCode(complete())).toBe(ErrorCode.invalidArgument);
    expect(await errorCode(complete("thr-new"))).toBe(ErrorCode.threadNotFound);
    await t.mutation(api.threads.create, { actor: alice, threadId: "thr-new" });
    await complete("thr-new");
    expect(await t.query(api.commands.get, { actor: alice, commandId: ticket.commandId })).toMatchObject({ status: "done", createdThreadId: "thr-new" });
    // No thread row stands for the request itself.
    const threads = await t.query(api.threads.list, { actor: alice, paginationOpts: { numItems: 10, cursor: null } });
    expect(threads.page.map((th) => th.threadId)).toEqual(["thr-new"]);
  });

  test("with no host it waits queued and can be cancelled", async () => {
    const t = newTest();
    const ticket = await t.mutation(api.threads.requestNew, { actor: alice, idempotencyKey: "k2" });
    await t.mutation(api.commands.cancel, { actor: alice, commandId: ticket.commandId });
    expect(await t.query(api.commands.get, { actor: alice, commandId: ticket.commandId })).toMatchObject({ status: "cancelled" });
  });
});
