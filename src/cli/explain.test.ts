// What the bridge says for each way a deployment or codex can refuse to start, on errors
// shaped as Convex's HTTP API, the generated host API and Node's spawn produce them.
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { explainCodexError, explainDeploymentError } from "./explain.js";

const context = { url: "https://x.convex.cloud", module: "codex", hasToken: true };

describe("explainDeploymentError", () => {
  test("refused tokens (Convex answers 401 with a coded body)", () => {
    for (const body of [
      '{"code":"Unauthenticated","message":"Could not verify OIDC token claim. Check that the token signature is valid and the token hasn\'t expired."}',
      '{"code":"NoAuthProvider","message":"No auth provider found matching the given token"}',
      '{"code":"InvalidAuthHeader","message":"Could not parse as OIDC ID token"}',
    ]) {
      const explained = explainDeploymentError(new Error(body), context);
      expect(explained.message).toMatch(/^the deployment refused the token: \{"code":/);
      expect(explained.hint).toMatch(/fresh token/);
    }
  });

  test("no identity at all, with and without a token", () => {
    const error = new ConvexError({ code: "E_UNAUTHENTICATED", message: "sign in to use codex threads" });
    expect(explainDeploymentError(error, { ...context, hasToken: false }).hint).toMatch(/--token/);
    expect(explainDeploymentError(error, context).message).toMatch(/sees no user/);
  });

  test("the host API missing, the app refusing, the network", () => {
    const missing = new Error("Could not find public function for 'codex:whoami'. Did you forget to run `npx convex dev`?");
    expect(explainDeploymentError(missing, context).message).toBe("the deployment has no codex host API (codex:whoami not found)");
    const forbidden = new ConvexError({ code: "E_FORBIDDEN", message: "not allowed to call whoami" });
    expect(explainDeploymentError(forbidden, context).message).toBe("the app refused this bridge: not allowed to call whoami");
    const offline = new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND x.convex.cloud"), { code: "ENOTFOUND" }) });
    expect(explainDeploymentError(offline, context).message).toBe("cannot reach the deployment at https://x.convex.cloud (ENOTFOUND)");
  });
});

test("explainCodexError: a missing binary names what to install", () => {
  const spawnError = new Error("could not start codex app-server: spawn /nope ENOENT");
  expect(explainCodexError(spawnError, "/nope").message).toBe("codex was not found at /nope");
  expect(explainCodexError(new Error("exited with code 1"), undefined).message).toMatch(/did not start: exited/);
});
