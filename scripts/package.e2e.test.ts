// The published package as a new user gets it: `pnpm pack`, installed into a scratch app with
// its peers (from the local pnpm store where it can), the app written from the README's
// "Integrate in five steps" code blocks, then: every subpath imported from plain Node ESM, a
// typecheck under `nodenext` and `bundler` resolution, the `./test` export under the app's own
// vitest, and a turn run through the installed `codex-local bridge` against that app.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveCodexBinary } from "../src/bridge/index.js";
import { startLocalDeployment, type LocalDeployment } from "../src/cli/testing/localDeployment.js";
import { spawnCli } from "../src/cli/testing/spawnCli.js";
import { waitFor } from "../src/host/testing/harness.js";
import { prepareScriptedCodexHome, startScriptedModelServer } from "../src/scripted-model/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, unknown>;
  publishConfig: { exports: Record<string, unknown> };
};

let work: string;
let app: string;
let files: string[];

function run(command: string, args: string[], cwd: string, timeout = 240_000) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, CI: "true" } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The code blocks of the README's "Integrate in five steps" that open with `// <path>`, by path. */
function readmeFiles(): Record<string, string> {
  const readme = /## Integrate in five steps\n([\s\S]*?)\n## /.exec(readFileSync(join(root, "README.md"), "utf8"))![1]!;
  const out: Record<string, string> = {};
  for (const [, body] of readme.matchAll(/```tsx?\n(\/\/ (\S+)\n[\s\S]*?)```/g)) {
    const path = /^\/\/ (\S+)/.exec(body!)![1]!;
    out[path] = body!;
  }
  return out;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "codex-local-pack-"));
  run("pnpm", ["build"], root);
  run("pnpm", ["pack", "--pack-destination", work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"))!;
  files = run("tar", ["tzf", join(work, tarball)], work).trim().split("\n").map((f) => f.replace(/^package\//, ""));

  app = join(work, "app");
  mkdirSync(join(app, "convex"), { recursive: true });
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "scratch-app",
      private: true,
      type: "module",
      dependencies: {
        "codex-local-component": `file:${join(work, tarball)}`,
        convex: versionOf("convex"),
        react: versionOf("react"),
      },
      devDependencies: {
        "@types/node": versionOf("@types/node"),
        "@types/react": versionOf("@types/react"),
        "@edge-runtime/vm": versionOf("@edge-runtime/vm"),
        "convex-test": versionOf("convex-test"),
        vite: versionOf("vite"),
        vitest: versionOf("vitest"),
      },
    }),
  );
  for (const [path, body] of Object.entries(readmeFiles())) writeFileSync(join(app, path), body);
  // Codegen needs a deployment (step 3's `npx convex dev`); none runs here. The example app's
  // generated files are those of an app mounting the component without a schema: the same,
  // minus the example's own `chat` module.
  const generated = join(root, "apps/example/convex/_generated");
  cpSync(generated, join(app, "convex/_generated"), { recursive: true });
  const apiFile = join(app, "convex/_generated/api.ts");
  writeFileSync(apiFile, readFileSync(apiFile, "utf8").replace(/^.*\bchat\b.*\n/gm, ""));
  writeFixtures();
  run("pnpm", ["install", "--prefer-offline", "--ignore-scripts", "--config.strict-peer-dependencies=false"], app);
}, 400_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What the README does not cover: every subpath, the test export, two tsconfigs. */
function writeFixtures() {
  const subpaths = Object.keys(pkg.publishConfig.exports).filter((s) => s !== "./test" && s !== "./package.json");
  writeFileSync(
    join(app, "importAll.mjs"),
    `const names = ${JSON.stringify(subpaths)};\n` +
      `for (const s of names) { const m = await import("codex-local-component" + s.slice(1)); console.log(s, Object.keys(m).length); }\n`,
  );
  writeFileSync(
    join(app, "src/everySubpath.ts"),
    [
      `import type { ComponentApi } from "codex-local-component/_generated/component.js";`,
      `import { ErrorCode, defineCodexHostApi, vCodexResults, type CodexHostApi } from "codex-local-component/client";`,
      `import codexLocal from "codex-local-component/convex.config";`,
      `import { normalizeEvent, type ThreadItem } from "codex-local-component/protocol";`,
      `import { buildThreadStartRequest, type ThreadStartParams } from "codex-local-component/app-server";`,
      `import { CodexLocalBridge, resolveCodexBinary } from "codex-local-component/bridge";`,
      `import { createCodexHostRuntime, createConvexPersistence, type AskForApproval } from "codex-local-component/host";`,
      `import { startScriptedModelServer } from "codex-local-component/scripted-model";`,
      `import { useCodexConversation } from "codex-local-component/react";`,
      `export type Uses = [ComponentApi, CodexHostApi, ThreadItem, ThreadStartParams, AskForApproval];`,
      `export const values = [ErrorCode.forbidden, defineCodexHostApi, vCodexResults, codexLocal, normalizeEvent, buildThreadStartRequest, CodexLocalBridge, resolveCodexBinary, createCodexHostRuntime, createConvexPersistence, startScriptedModelServer, useCodexConversation];`,
      `const params: ThreadStartParams = { cwd: "/tmp" };`,
      `// @ts-expect-error an unknown approval policy`,
      `const policy: AskForApproval = "sometimes";`,
      `export { params, policy };`,
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(app, "convex/codex.test.ts"),
    [
      `/// <reference types="vite/client" />`,
      `import { convexTest } from "convex-test";`,
      `import { register } from "codex-local-component/test";`,
      `import { expect, test } from "vitest";`,
      `import { api } from "./_generated/api.js";`,
      `const modules = import.meta.glob("./**/*.ts");`,
      `test("the component registers from ./test and the host API runs on it", async () => {`,
      `  const t = convexTest({ modules, transactionLimits: true });`,
      `  register(t);`,
      `  const user = t.withIdentity({ subject: "u" });`,
      `  expect(await user.mutation(api.codex.ensureThread, { threadId: "th" })).toEqual({ threadId: "th", created: true });`,
      `  expect((await user.query(api.codex.threadState, { threadId: "th" })).activeTurn).toBeNull();`,
      `});`,
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(app, "vitest.config.ts"),
    `import { defineConfig } from "vitest/config";\n` +
      `export default defineConfig({ test: { environment: "edge-runtime", server: { deps: { inline: ["convex-test"] } } } });\n`,
  );
  const base = { target: "ES2022", lib: ["ES2023", "DOM"], jsx: "react-jsx", strict: true, noEmit: true, types: ["node"], skipLibCheck: false };
  const include = ["convex", "src"];
  writeFileSync(join(app, "tsconfig.nodenext.json"), JSON.stringify({ compilerOptions: { ...base, module: "nodenext", moduleResolution: "nodenext" }, include }));
  // The declarations themselves are checked once (nodenext); bundler checks how they resolve.
  writeFileSync(
    join(app, "tsconfig.bundler.json"),
    JSON.stringify({ compilerOptions: { ...base, module: "esnext", moduleResolution: "bundler", skipLibCheck: true }, include }),
  );
}

describe("the packed package", () => {
  test("ships LICENSE, docs and no test support, in a sensible number of files", () => {
    expect(files).toContain("LICENSE");
    expect(readFileSync(join(app, "node_modules/codex-local-component/LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0/);
    expect(files).toEqual(expect.arrayContaining(["README.md", "LLMS.md", "docs/API_REFERENCE.md", "src/test.ts"]));
    expect(files.filter((f) => /\.test\.tsx?$|\/testing\/|\/testdata\/|test\.helpers|\.testonly\./.test(f))).toEqual([]);
    expect(files.length).toBeLessThan(300);
    // Every relative link in the shipped docs points into the package.
    for (const doc of files.filter((f) => f.endsWith(".md"))) {
      const text = readFileSync(join(app, "node_modules/codex-local-component", doc), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const path = posix.normalize(posix.join(posix.dirname(doc), target!));
        expect(files.some((f) => f === path || f.startsWith(`${path.replace(/\/$/, "")}/`)), `${doc} → ${target}`).toBe(true);
      }
    }
  });

  test("every subpath imports from plain Node ESM", () => {
    const out = run("node", ["importAll.mjs"], app);
    for (const subpath of Object.keys(pkg.publishConfig.exports).filter((s) => s !== "./test" && s !== "./package.json")) {
      expect(out).toContain(`${subpath} `);
    }
  });

  test("the README's app typechecks under nodenext and bundler resolution", () => {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    for (const config of ["tsconfig.nodenext.json", "tsconfig.bundler.json"]) run("node", [tsc, "-p", config], app);
  }, 120_000);

  test("./test registers the component in the app's own vitest", () => {
    const out = run("node", [join(app, "node_modules/vitest/vitest.mjs"), "run"], app);
    expect(out).toMatch(/1 passed/);
  }, 120_000);

  test("a turn runs through the installed codex-local bridge against the app", async () => {
    const model = await startScriptedModelServer();
    const launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl });
    let deployment: LocalDeployment | undefined;
    const cwd = mkdtempSync(join(work, "cwd-"));
    try {
      deployment = await startLocalDeployment({
        convexDir: join(app, "convex"),
        componentDir: join(app, "node_modules/codex-local-component/dist/component"),
      });
      const bin = join(app, "node_modules/.bin/codex-local");
      expect(existsSync(bin)).toBe(true);
      const bridge = spawnCli(
        ["bridge", "--url", deployment.url, "--token", deployment.tokenFor("dana"), "--codex", resolveCodexBinary(), "--cwd", cwd],
        { CODEX_HOME: launch.codexHome, RUST_LOG: "warn", HOME: cwd },
        { command: bin, cwd: app },
      );
      try {
        const threadId = (await bridge.waitFor(/● thread (\S+) \(new\)/))[1]!;
        const device = deployment.as("dana");
        await device.mutation(makeRef<"mutation">("registerTurnStart"), { threadId, inputText: "Hello from the scratch app", idempotencyKey: "k" });
        await bridge.waitFor(/● turn \S+ completed/);
        const page = (await waitFor(
          () => device.query(makeRef<"query">("threadMessages"), { threadId, paginationOpts: { numItems: 5, cursor: null } }),
          (p) => (p as { page: Array<{ role: string; status: string }> }).page.some((m) => m.role === "assistant" && m.status === "completed"),
        )) as { page: Array<{ role: string; text: string }> };
        expect(page.page.find((m) => m.role === "assistant")?.text).toContain("Hello from the scratch app");
        bridge.child.kill("SIGINT");
        expect(await bridge.exited).toBe(0);
      } finally {
        bridge.child.kill("SIGKILL");
      }
    } finally {
      await deployment?.close();
      await model.close();
      launch.cleanup();
    }
  }, 90_000);
});

/** The scratch app's functions (its generated types live in the scratch app). */
function makeRef<Kind extends "query" | "mutation">(name: string) {
  return makeFunctionReference<Kind, Record<string, unknown>>(`codex:${name}`);
}
