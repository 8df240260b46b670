// The `--poll` transport's token refresh, with the real ConvexHttpClient against the dev
// backend (the example app); a token lapses on cue through the backend's `revokeToken` hook.
import { ConvexHttpClient } from "convex/browser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isCodexLocalError } from "../contract/errors.js";
import { chat } from "../host/testing/harness.js";
import { refreshingHttpCaller, type RefreshingCallerOptions } from "../host/httpAuth.js";
import { startLocalDeployment, type LocalDeployment } from "./testing/localDeployment.js";

let deployment: LocalDeployment;
beforeAll(async () => {
  deployment = await startLocalDeployment();
});
afterAll(async () => {
  await deployment?.close();
});

/** A token for `subject`, unique (a dev token is otherwise the same within one second). */
let minted = 0;
const tokenFor = (subject: string, expiresInSeconds = 3600) =>
  deployment.backend.mintToken({ subject, expiresInSeconds, claims: { nonce: ++minted } });

function caller(options: RefreshingCallerOptions) {
  const seen = { lost: [] as string[], refreshed: [] as string[] };
  const client = refreshingHttpCaller(new ConvexHttpClient(deployment.url, { logger: false }), {
    ...options,
    onAuthLost: (why) => seen.lost.push(why),
    onRefreshed: (why) => seen.refreshed.push(why),
  });
  return { client, seen };
}

describe("refreshingHttpCaller (ConvexHttpClient)", () => {
  test("calls refused for auth are sent again with one fresh token, and what they wrote lands", async () => {
    const old = tokenFor("ann");
    const fresh = tokenFor("ann");
    let runs = 0;
    const { client, seen } = caller({ token: old, refresh: async () => (runs++, fresh) });
    expect(await client.query(chat.whoami, {})).toMatchObject({ userId: expect.stringContaining("ann") });
    deployment.backend.testing.revokeToken(old);

    // Concurrent calls refused alike share one run of the login command.
    const [me, , again] = await Promise.all([
      client.query(chat.whoami, {}),
      client.mutation(chat.ensureThread, { threadId: "th-refresh" }),
      client.query(chat.whoami, {}),
    ]);
    expect(me).toEqual(again);
    expect(runs).toBe(1);
    expect(seen).toEqual({ lost: [], refreshed: ["refused"] });
    const state = await client.query(chat.threadState, { threadId: "th-refresh" });
    expect(state.thread).toMatchObject({ threadId: "th-refresh" });
  });

  test("shortly before a JWT's exp a fresh token is fetched first: the call is never refused", async () => {
    const old = tokenFor("bea", 60);
    const fresh = tokenFor("bea");
    let clock = Date.now();
    const { client, seen } = caller({ token: old, refresh: async () => fresh, now: () => clock });
    await client.query(chat.whoami, {});
    expect(seen.refreshed).toEqual([]);
    // 55 s later (inside the 10 s leeway); the old token is revoked too, so only a refresh made beforehand gets through.
    clock += 55_000;
    deployment.backend.testing.revokeToken(old);
    await client.query(chat.whoami, {});
    expect(seen).toEqual({ lost: [], refreshed: ["before-expiry"] });
  });

  test("a login command that gives the same token near its expiry is not re-run on every call", async () => {
    const token = tokenFor("eve", 60);
    let runs = 0;
    // 55 s on: inside the leeway, not expired.
    const { client, seen } = caller({ token, refresh: async () => (runs++, token), now: () => Date.now() + 55_000 });
    for (let i = 0; i < 3; i++) await client.query(chat.whoami, {});
    expect(runs).toBe(1);
    expect(seen).toEqual({ lost: [], refreshed: [] });
  });

  test("a fixed token the deployment refuses: E_UNAUTHENTICATED, said once, and the caller keeps answering", async () => {
    const token = tokenFor("cid");
    const { client, seen } = caller({ token });
    deployment.backend.testing.revokeToken(token);
    for (let i = 0; i < 2; i++) {
      const error = await client.mutation(chat.ensureThread, { threadId: "th-fixed" }).catch((e: unknown) => e);
      expect(isCodexLocalError(error, "E_UNAUTHENTICATED")).toBe(true);
    }
    expect(seen.lost).toEqual([expect.stringMatching(/a fixed token cannot be refreshed/)]);
  });

  test("a login command that gives the refused token again is not re-run in a loop; a later refusal tries again", async () => {
    const old = tokenFor("dan");
    const fresh = tokenFor("dan");
    let clock = Date.now();
    let gives = old;
    let runs = 0;
    const { client, seen } = caller({ token: old, refresh: async () => (runs++, gives), now: () => clock });
    deployment.backend.testing.revokeToken(old);
    for (let i = 0; i < 3; i++) {
      const error = await client.query(chat.whoami, {}).catch((e: unknown) => e);
      expect(isCodexLocalError(error, "E_UNAUTHENTICATED")).toBe(true);
    }
    expect(runs).toBe(1);
    expect(seen.lost).toEqual([expect.stringMatching(/token command gave no other/)]);
    clock += 5_000;
    gives = fresh;
    expect(await client.query(chat.whoami, {})).toMatchObject({ userId: expect.stringContaining("dan") });
    expect(runs).toBe(2);
    expect(seen.refreshed).toEqual(["refused"]);
  });

  test("a login command that fails: the refusal says why, and the next one tries it again", async () => {
    const old = tokenFor("fay");
    let clock = Date.now();
    let fails = true;
    const { client, seen } = caller({
      token: old,
      refresh: async () => {
        if (fails) throw new Error("no session, run login first");
        return tokenFor("fay");
      },
      now: () => clock,
    });
    deployment.backend.testing.revokeToken(old);
    expect(isCodexLocalError(await client.query(chat.whoami, {}).catch((e: unknown) => e), "E_UNAUTHENTICATED")).toBe(true);
    expect(seen.lost).toEqual(["the deployment refused the token and the token command failed (no session, run login first)"]);
    clock += 5_000;
    fails = false;
    expect(await client.query(chat.whoami, {})).toMatchObject({ userId: expect.stringContaining("fay") });
  });
});
