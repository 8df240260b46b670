import { afterEach, describe, expect, test, vi } from "vitest";
import { JsonRpcClient, JsonRpcResponseError, isJsonRpcClientError, type JsonRpcClientOptions } from "./jsonRpcClient.js";
import { createInMemoryTransportPair, type LineTransport } from "./transport.js";
import { buildThreadStartRequest, buildTurnInterruptRequest } from "./requests.js";

// The peer plays codex by hand: it sees exactly the lines the client wrote.
type Peer = { transport: LineTransport; received: Array<Record<string, unknown>>; next(): Promise<Record<string, unknown>>; send(m: object): void };

function setup(options: Partial<JsonRpcClientOptions> = {}) {
  const [clientSide, peerSide] = createInMemoryTransportPair();
  const received: Array<Record<string, unknown>> = [];
  const waiters: Array<(m: Record<string, unknown>) => void> = [];
  peerSide.onLine((line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else received.push(message);
  });
  const peer: Peer = {
    transport: peerSide,
    received,
    next: () => {
      const queued = received.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
    },
    send: (m) => peerSide.send(JSON.stringify(m)),
  };
  const client = new JsonRpcClient(clientSide, {
    onServerRequest: () => {
      throw new Error("unexpected server request");
    },
    ...options,
  });
  return { client, peer };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("request/response correlation", () => {
  test("the first request has id 0 and its response resolves it", async () => {
    const { client, peer } = setup();
    const result = client.request(buildThreadStartRequest({ cwd: "/w" }));
    const sent = await peer.next();
    expect(sent).toEqual({ id: 0, method: "thread/start", params: { cwd: "/w" } });
    peer.send({ id: 0, result: { thread: { id: "th_1" } } });
    await expect(result).resolves.toEqual({ thread: { id: "th_1" } });
  });

  test("responses arriving out of order reach their own requests", async () => {
    const { client, peer } = setup();
    const a = client.call("a", {});
    const b = client.call("b", {});
    const [ma, mb] = [await peer.next(), await peer.next()];
    peer.send({ id: mb.id, result: "B" });
    peer.send({ id: ma.id, result: "A" });
    await expect(a).resolves.toBe("A");
    await expect(b).resolves.toBe("B");
  });

  test("a JSON-RPC error rejects with kind rpc and the code", async () => {
    const { client, peer } = setup();
    const result = client.request(buildTurnInterruptRequest("th", "tu"));
    const sent = await peer.next();
    peer.send({ id: sent.id, error: { code: -32600, message: "Not initialized" } });
    const error = await result.catch((e: unknown) => e);
    expect(isJsonRpcClientError(error, "rpc")).toBe(true);
    expect(error).toMatchObject({ code: -32600, method: "turn/interrupt", message: "Not initialized" });
  });
});

describe("timeouts", () => {
  test("an unanswered request rejects with kind timeout, and a late answer is ignored", async () => {
    vi.useFakeTimers();
    const { client, peer } = setup({ requestTimeoutMs: 1_000 });
    const result = client.call("slow", {});
    const outcome = result.catch((e: unknown) => e);
    const sent = await peer.next();
    await vi.advanceTimersByTimeAsync(999);
    peer.send({ id: 999, result: "wrong id" });
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(isJsonRpcClientError(error, "timeout")).toBe(true);
    peer.send({ id: sent.id, result: "late" });
    await vi.advanceTimersByTimeAsync(0);
    // A following request still works: the late answer did not resolve anything else.
    const next = client.call("next", {});
    const nextSent = await peer.next();
    expect(nextSent.id).not.toBe(sent.id);
    peer.send({ id: nextSent.id, result: "ok" });
    await expect(next).resolves.toBe("ok");
  });
});

describe("retry on overloaded (-32001)", () => {
  test("retries with growing backoff and resolves when codex recovers", async () => {
    vi.useFakeTimers();
    const { client, peer } = setup({ retry: { baseDelayMs: 100, maxRetries: 3 }, random: () => 1 });
    const result = client.call("turn/start", { x: 1 });
    const first = await peer.next();
    peer.send({ id: first.id, error: { code: -32001, message: "overloaded" } });
    await vi.advanceTimersByTimeAsync(99);
    expect(peer.received).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const second = await peer.next();
    expect(second).toMatchObject({ method: "turn/start", params: { x: 1 } });
    expect(second.id).not.toBe(first.id);
    peer.send({ id: second.id, error: { code: -32001, message: "overloaded" } });
    await vi.advanceTimersByTimeAsync(199);
    expect(peer.received).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const third = await peer.next();
    peer.send({ id: third.id, result: "started" });
    await expect(result).resolves.toBe("started");
  });

  test("jitter keeps the delay between half and all of the ceiling", async () => {
    vi.useFakeTimers();
    const { client, peer } = setup({ retry: { baseDelayMs: 100 }, random: () => 0 });
    void client.call("m", {}).catch(() => undefined);
    const first = await peer.next();
    peer.send({ id: first.id, error: { code: -32001, message: "overloaded" } });
    await vi.advanceTimersByTimeAsync(49);
    expect(peer.received).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect((await peer.next()).method).toBe("m");
  });

  test("gives up after maxRetries with the overloaded error", async () => {
    vi.useFakeTimers();
    const { client, peer } = setup({ retry: { baseDelayMs: 10, maxRetries: 2 }, random: () => 0.5 });
    const outcome = client.call("m", {}).catch((e: unknown) => e);
    for (let i = 0; i < 3; i++) {
      const sent = await peer.next();
      peer.send({ id: sent.id, error: { code: -32001, message: "overloaded" } });
      await vi.advanceTimersByTimeAsync(1_000);
    }
    const error = await outcome;
    expect(error).toMatchObject({ kind: "rpc", code: -32001 });
    expect(peer.received).toHaveLength(0);
  });

  test("other errors are not retried", async () => {
    const { client, peer } = setup({ retry: { baseDelayMs: 1 } });
    const outcome = client.call("m", {}).catch((e: unknown) => e);
    const sent = await peer.next();
    peer.send({ id: sent.id, error: { code: -32602, message: "bad params" } });
    expect(await outcome).toMatchObject({ kind: "rpc", code: -32602 });
    await new Promise((r) => setTimeout(r, 10));
    expect(peer.received).toHaveLength(0);
  });
});

describe("server requests", () => {
  test("the handler's result is sent back under the request's id, including id 0", async () => {
    const seen: unknown[] = [];
    const { peer } = setup({
      onServerRequest: (request) => {
        seen.push(request);
        return { decision: "accept" };
      },
    });
    peer.send({ id: 0, method: "item/commandExecution/requestApproval", params: { threadId: "th", turnId: "tu", itemId: "i" } });
    expect(await peer.next()).toEqual({ id: 0, result: { decision: "accept" } });
    expect(seen[0]).toMatchObject({ kind: "server_request", known: true, scope: "thread", threadId: "th", id: 0 });
  });

  test("an async handler is awaited", async () => {
    const { peer } = setup({
      onServerRequest: async () => {
        await new Promise((r) => setTimeout(r, 5));
        return { decision: "decline" };
      },
    });
    peer.send({ id: "s1", method: "item/fileChange/requestApproval", params: { threadId: "th" } });
    expect(await peer.next()).toEqual({ id: "s1", result: { decision: "decline" } });
  });

  test("a throwing handler becomes an internal-error response", async () => {
    const { peer } = setup({
      onServerRequest: () => {
        throw new Error("no UI attached");
      },
    });
    peer.send({ id: 3, method: "item/tool/call", params: {} });
    expect(await peer.next()).toEqual({ id: 3, error: { code: -32603, message: "no UI attached" } });
  });

  test("a JsonRpcResponseError chooses the code", async () => {
    const { peer } = setup({
      onServerRequest: () => {
        throw new JsonRpcResponseError(-32601, "not supported", { why: "x" });
      },
    });
    peer.send({ id: 4, method: "attestation/generate", params: {} });
    expect(await peer.next()).toEqual({ id: 4, error: { code: -32601, message: "not supported", data: { why: "x" } } });
  });

  test("a handler that returns nothing still gets answered, with an error", async () => {
    const { peer } = setup({ onServerRequest: () => undefined });
    peer.send({ id: 5, method: "item/tool/requestUserInput", params: {} });
    expect(await peer.next()).toMatchObject({ id: 5, error: { code: -32603 } });
  });
});

describe("notifications and bad lines", () => {
  test("notifications reach the listener; bad lines are reported and do not stop reading", async () => {
    const notifications: string[] = [];
    const errors: string[] = [];
    const { peer } = setup({
      onNotification: (n) => void notifications.push(n.method),
      onProtocolError: (e) => void errors.push(e.code),
    });
    peer.transport.send('{"method":"turn/started","params":{"threadId":"t"');
    peer.transport.send("not json");
    peer.send({ method: "turn/started", params: { threadId: "t" } });
    peer.send({ method: "some/futureMethod", params: {} });
    await new Promise((r) => setTimeout(r, 5));
    expect(errors).toEqual(["invalid_json", "invalid_json"]);
    expect(notifications).toEqual(["turn/started", "some/futureMethod"]);
  });
});

describe("transport close", () => {
  test("every pending request is rejected with kind closed, later requests too", async () => {
    let closedSeen = false;
    const { client, peer } = setup({ onClose: () => void (closedSeen = true) });
    const a = client.call("a", {}).catch((e: unknown) => e);
    const b = client.call("b", {}).catch((e: unknown) => e);
    await peer.next();
    await peer.next();
    peer.transport.close();
    const [ea, eb] = await Promise.all([a, b]);
    expect(isJsonRpcClientError(ea, "closed")).toBe(true);
    expect(eb).toMatchObject({ kind: "closed", method: "b" });
    expect(closedSeen).toBe(true);
    expect(await client.call("c", {}).catch((e: unknown) => e)).toMatchObject({ kind: "closed" });
  });
});
