// The stdio transport's failure paths, with the real codex binary (or none at all).
import { describe, expect, test } from "vitest";
import { prepareScriptedCodexHome } from "../scripted-model/index.js";
import { buildThreadListRequest, connectAppServer, isJsonRpcClientError } from "./index.js";

const clientInfo = { name: "codex-local-component-test", title: null, version: "0.0.0" };
const refuse = () => {
  throw new Error("no server requests expected");
};

describe("stdio transport", () => {
  test("a missing executable rejects the handshake with kind closed", async () => {
    const error = await connectAppServer({
      command: "/nonexistent/codex",
      clientInfo,
      onServerRequest: refuse,
    }).catch((e: unknown) => e);
    expect(isJsonRpcClientError(error, "closed")).toBe(true);
  });

  test("codex dying mid-session closes the client: callbacks told, requests rejected", async () => {
    const launch = prepareScriptedCodexHome({ modelBaseUrl: "http://127.0.0.1:9/v1" });
    let closeReason: Error | undefined;
    let closed!: () => void;
    const closedSeen = new Promise<void>((resolve) => (closed = resolve));
    const connection = await connectAppServer({
      command: launch.command,
      args: launch.args,
      env: launch.env,
      clientInfo,
      onServerRequest: refuse,
      onClose: (reason) => {
        closeReason = reason;
        closed();
      },
    });
    try {
      connection.process.child.kill("SIGKILL");
      // "close" comes after "exit", once codex's stdio pipes have drained.
      await closedSeen;
      expect(connection.client.isClosed).toBe(true);
      expect(closeReason?.message).toContain("SIGKILL");
      const error = await connection.client.request(buildThreadListRequest()).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: "closed", method: "thread/list" });
    } finally {
      await connection.close();
      launch.cleanup();
    }
  }, 15_000);
});
