// End to end: a request codex sends that belongs to no thread. REAL codex, signed in with
// ChatGPT tokens the client supplied (`chatgptAuthTokens`), against the scripted model on
// 127.0.0.1 that requires them: a 401 makes codex ask the client for fresh tokens
// (`account/chatgptAuthTokens/refresh`) while the turn waits. It must reach every device, and
// never be held forever.
import { afterEach, describe, expect, test } from "vitest";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

type Request = { _id: string; sessionId: string; requestId: number | string; method: string; threadId?: string; status: string; paramsJson: string };
type Turn = { turnId: string; status: string; error?: { message: string } };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** An unsigned ChatGPT-style access token: codex reads its claims, the scripted model never checks it. */
const accessToken = (n: number) =>
  `${b64({ alg: "none" })}.${b64({
    n,
    sub: "user-1",
    email: "dev@example.test",
    exp: Math.floor(Date.now() / 1000) + 3600,
    // The same user and account before and after the refresh: codex keeps the session's settings.
    "https://api.openai.com/auth": { chatgpt_account_id: "acct-1", chatgpt_user_id: "user-1", chatgpt_plan_type: "plus" },
  })}.sig`;

async function signedIn(timeoutMs?: number) {
  const harness = await startHarness({ codexHome: { chatgptAuth: true }, runtime: timeoutMs === undefined ? {} : { globalRequestTimeoutMs: timeoutMs } });
  await harness.runtime.connect();
  await harness.runtime.bridge.call("account/login/start", { type: "chatgptAuthTokens", accessToken: accessToken(1), chatgptAccountId: "acct-1", chatgptPlanType: "plus" });
  const { threadId } = await harness.runtime.openThread({ mode: "start" });
  return { harness, threadId };
}

const pendingGlobal = async (harness: Harness) => (await harness.device.query(chat.pendingGlobalRequests, {})) as Request[];
const turnOf = async (harness: Harness, threadId: string, turnId: string) =>
  ((await harness.device.query(chat.threadState, { threadId })) as { recentTurns: Turn[] }).recentTurns.find((t) => t.turnId === turnId);

describe("a codex request of no thread", () => {
  test("is listed for every device; a device's answer reaches codex, and the turn goes on", async () => {
    const { harness, threadId } = await signedIn();
    h = harness;
    h.model.enqueue({ type: "error", status: 401, message: "token expired" }, { type: "text", text: "Answered with fresh tokens." });
    const { turnId } = await h.runtime.sendTurn("hello");

    const [request] = await waitFor(() => pendingGlobal(harness), (list) => list.length === 1);
    expect(request).toMatchObject({ method: "account/chatgptAuthTokens/refresh", sessionId: h.runtime.sessionId, status: "pending" });
    expect(request!.threadId).toBeUndefined();
    expect(JSON.parse(request!.paramsJson)).toMatchObject({ reason: "unauthorized" });
    expect(h.runtime.listPendingServerRequests().map((r) => r.method)).toEqual(["account/chatgptAuthTokens/refresh"]);

    const responseJson = JSON.stringify({ accessToken: accessToken(2), chatgptAccountId: "acct-1", chatgptPlanType: "plus" });
    await h.device.mutation(chat.resolveServerRequest, { sessionId: request!.sessionId, requestId: request!.requestId, responseJson, deviceId: "phone" });
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    const messages = (await h.device.query(chat.turnMessages, { threadId, turnId })) as Array<{ role: string; text: string }>;
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ["user", "hello"],
      ["assistant", "Answered with fresh tokens."],
    ]);
    expect(await pendingGlobal(harness)).toEqual([]);
    expect(h.runtime.listPendingServerRequests()).toEqual([]);
    // The thread's own view never showed it: it is nobody's thread event.
    expect(await h.device.query(chat.pendingServerRequests, { threadId })).toEqual([]);
  }, 40_000);

  test("answered by the runtime itself: codex gets the answer, and the listing leaves every device", async () => {
    const { harness, threadId } = await signedIn();
    h = harness;
    h.model.enqueue({ type: "error", status: 401, message: "token expired" }, { type: "text", text: "Answered with fresh tokens." });
    const { turnId } = await h.runtime.sendTurn("hello");
    await waitFor(() => pendingGlobal(harness), (list) => list.length === 1);
    const [held] = h.runtime.listPendingServerRequests();
    h.runtime.respondToServerRequest(held!.id, { accessToken: accessToken(2), chatgptAccountId: "acct-1", chatgptPlanType: "plus" });
    await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    await waitFor(() => pendingGlobal(harness), (list) => list.length === 0);
  }, 40_000);

  test("unanswered, codex gets a JSON-RPC error after the timeout and the listing expires: the turn ends", async () => {
    const { harness, threadId } = await signedIn(600);
    h = harness;
    h.model.enqueue({ type: "error", status: 401, message: "token expired" });
    const { turnId } = await h.runtime.sendTurn("hello");
    await waitFor(() => pendingGlobal(harness), (list) => list.length === 1);
    const turn = await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "failed", 15_000);
    expect(turn?.error?.message).toMatch(/auth refresh/);
    expect(await pendingGlobal(harness)).toEqual([]);
    expect(h.runtime.listPendingServerRequests()).toEqual([]);
  }, 40_000);
});
