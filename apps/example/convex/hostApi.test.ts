/// <reference types="vite/client" />
/**
 * `defineCodexHostApi` as apps use it: the example's `codex.ts` exports every wrapper of the
 * table with its validators, and the options (`actor`, `authorize`, `omit`, `wrap`) change
 * what a call does. Modules defined here with other options sit next to the example's own.
 */
import { anyApi, type FunctionReference } from "convex/server";
import { describe, expect, test } from "vitest";
import { codexHostWrappers, defineCodexHostApi, type CodexHostOperation } from "codex-local-component/client";
import { ErrorCode } from "../../../src/contract/errors.js";
import { modules as componentModules, schema } from "../../../src/test.js";
import { createConvexTest } from "../../../src/testing/convexTest.js";
import { api, components } from "./_generated/api";
import { DELETE_GRACE_MS } from "./chat";
import * as exampleCodex from "./codex";

const modules = import.meta.glob("./**/*.ts");

function setup(extra: Record<string, () => Promise<unknown>> = {}) {
  const t = createConvexTest(undefined, { ...modules, ...extra });
  t.registerComponent("codexLocal", schema, componentModules);
  return t;
}

/** Functions of modules defined in the test (no generated types for them). */
const fns = anyApi as unknown as Record<string, Record<string, FunctionReference<"query" | "mutation", "public", Record<string, unknown>>>>;
const q = (module: string, name: string) => fns[module]![name]! as FunctionReference<"query", "public", Record<string, unknown>>;
const m = (module: string, name: string) => fns[module]![name]! as FunctionReference<"mutation", "public", Record<string, unknown>>;
const page = { numItems: 10, cursor: null };

describe("the generated host API", () => {
  test("the example exports every wrapper of the table, each with args and returns validators", () => {
    const exported = exampleCodex as unknown as Record<string, { exportArgs(): string; exportReturns(): string; isQuery?: boolean }>;
    expect(Object.keys(exported).sort()).toEqual(Object.keys(codexHostWrappers).sort());
    for (const [name, entry] of Object.entries(codexHostWrappers)) {
      const fn = exported[name]!;
      expect(Boolean(fn.isQuery), name).toBe(entry.kind === "query");
      expect(JSON.parse(fn.exportArgs()), name).toMatchObject({ type: "object" });
      expect(JSON.parse(fn.exportReturns()), name).not.toBeNull();
    }
  });

  test("whoami: the actor the server derives, with the device the call names", async () => {
    const t = setup();
    expect(await t.withIdentity({ subject: "u" }).query(api.codex.whoami, { deviceId: " laptop " })).toEqual({
      tenantId: "default",
      userId: "https://convex.test|u",
      deviceId: "laptop",
    });
  });

  test("actor: an app's own resolver (tenant from a claim, user from the subject) partitions the data", async () => {
    const t = setup({
      "./tenanted.ts": async () =>
        defineCodexHostApi(components.codexLocal, {
          actor: async (ctx) => {
            const identity = await ctx.auth.getUserIdentity();
            if (!identity) throw new Error("sign in");
            return { tenantId: String(identity.org), userId: identity.subject };
          },
        }),
    });
    const acme = t.withIdentity({ subject: "same-user", org: "acme" } as never);
    const other = t.withIdentity({ subject: "same-user", org: "other" } as never);
    expect(await acme.query(q("tenanted", "whoami"), { deviceId: "phone" })).toEqual({
      tenantId: "acme",
      userId: "same-user",
      deviceId: "phone",
    });
    await acme.mutation(m("tenanted", "ensureThread"), { threadId: "thr" });
    const list = (who: typeof acme) => who.query(q("tenanted", "listThreads"), { paginationOpts: page }) as Promise<{ page: unknown[] }>;
    expect((await list(acme)).page).toHaveLength(1);
    expect((await list(other)).page).toEqual([]);
  });

  test("authorize: sees each operation with its role; false refuses with E_FORBIDDEN, a throw with the app's error", async () => {
    const seen: CodexHostOperation[] = [];
    const t = setup({
      "./guarded.ts": async () =>
        defineCodexHostApi(components.codexLocal, {
          authorize: (_ctx, operation) => {
            seen.push(operation);
            if (operation.role === "bridge" && operation.actor.deviceId !== "laptop") return false;
            if (operation.wrapper === "approvalRespond") throw new Error("approvals are answered on the laptop only");
          },
        }),
    });
    const user = t.withIdentity({ subject: "u" });
    await expect(user.mutation(m("guarded", "sessionOpen"), { sessionId: "s", deviceId: "phone" })).rejects.toThrow(/E_FORBIDDEN/);
    expect(await user.mutation(m("guarded", "sessionOpen"), { sessionId: "s", deviceId: "laptop" })).toMatchObject({ sessionId: "s" });
    const answer = { threadId: "thr", turnId: "t", itemId: "i", decision: "accepted" };
    await expect(user.mutation(m("guarded", "approvalRespond"), answer)).rejects.toThrow(/laptop only/);
    expect(seen.map((o) => [o.wrapper, o.kind, o.role, o.actor.deviceId])).toEqual([
      ["sessionOpen", "mutation", "bridge", "phone"],
      ["sessionOpen", "mutation", "bridge", "laptop"],
      ["approvalRespond", "mutation", "device", undefined],
    ]);
    expect(seen[2]!.args).toEqual(answer);
  });

  test("omit leaves wrappers out; wrap runs around one (changed args in, the result seen on the way out)", async () => {
    const results: unknown[] = [];
    const api2 = defineCodexHostApi(components.codexLocal, {
      omit: ["ingestEvent", "approvalHistory"],
      wrap: {
        registerTurnStart: async (_ctx, args, next, actor) => {
          const ticket = await next({ ...args, inputText: `[from ${actor.deviceId ?? "?"}] ${args.inputText}` });
          results.push(ticket);
          return ticket;
        },
      },
    });
    expect("ingestEvent" in api2 || "approvalHistory" in api2).toBe(false);
    expect(Object.keys(api2)).toHaveLength(Object.keys(codexHostWrappers).length - 2);

    const t = setup({ "./wrapped.ts": async () => api2 });
    const user = t.withIdentity({ subject: "u" });
    await user.mutation(m("wrapped", "sessionOpen"), { sessionId: "s" });
    await user.mutation(m("wrapped", "ensureThread"), { threadId: "thr" });
    const ticket = (await user.mutation(m("wrapped", "registerTurnStart"), {
      threadId: "thr",
      inputText: "hi",
      idempotencyKey: "k",
      deviceId: "phone",
    })) as { status: string };
    expect(results).toEqual([ticket]);
    expect(ticket.status).toBe("queued");
    const commands = (await user.query(q("wrapped", "commandsPending"), { sessionId: "s" })) as Array<{ input: unknown }>;
    expect(commands.map((c) => c.input)).toEqual([[{ type: "text", text: "[from phone] hi" }]]);
    await expect(user.mutation(m("wrapped", "ingestEvent"), {})).rejects.toThrow(/Could not find|Expected a Convex function/);
  });

  test("archiving from a device: the thread leaves the list at once and a host is asked to archive it in codex", async () => {
    const t = setup();
    const user = t.withIdentity({ subject: "u" });
    await user.mutation(api.codex.ensureThread, { threadId: "thr" });
    await user.mutation(api.codex.archiveThread, { threadId: "thr" });
    expect((await user.query(api.codex.listThreads, { paginationOpts: page })).page).toEqual([]);
    await user.mutation(api.codex.unarchiveThread, { threadId: "thr" });
    expect((await user.query(api.codex.listThreads, { paginationOpts: page })).page).toHaveLength(1);
    // The unarchive withdrew the archive no host had run: codex never archived it, so nothing is queued.
    const pending = await user.query(api.codex.commandsPending, {});
    expect(pending.map((c) => c.kind)).toEqual([]);
    await user.mutation(api.codex.archiveThread, { threadId: "thr" });
    expect((await user.query(api.codex.commandsPending, {})).map((c) => c.kind)).toEqual(["archiveThread"]);
    await expect(t.mutation(api.codex.archiveThread, { threadId: "thr" })).rejects.toThrow(new RegExp(ErrorCode.unauthenticated));
  });

  test("the example's own chat.ts sits beside it: deleting a thread waits a week and can be undone", async () => {
    const t = setup();
    const user = t.withIdentity({ subject: "u" });
    await user.mutation(api.codex.ensureThread, { threadId: "thr" });
    const ticket = await user.mutation(api.chat.deleteThreadLater, { threadId: "thr" });
    expect(ticket.runAt - Date.now()).toBeGreaterThan(DELETE_GRACE_MS - 60_000);
    expect(await user.query(api.codex.getDeletionStatus, { jobId: ticket.jobId })).toMatchObject({ status: "scheduled", kind: "thread" });
    expect(await user.mutation(api.codex.cancelDeletion, { jobId: ticket.jobId })).toMatchObject({ status: "cancelled" });
    expect((await user.query(api.codex.listThreads, { paginationOpts: page })).page).toHaveLength(1);
    // Another user cannot see or cancel it.
    const other = t.withIdentity({ subject: "someone-else" });
    expect(await other.query(api.codex.getDeletionStatus, { jobId: ticket.jobId })).toBeNull();
  });
});
