import { ESLint } from "eslint";
import { describe, expect, test } from "vitest";

// The layer rules are only worth something if they fire: lint real snippets at real paths.
// (Snippets at made-up paths are in no TypeScript project: lint them without type information.)
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});

async function ruleHits(filePath: string, code: string, ruleId: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result!.messages.find((m) => m.fatal);
  if (fatal) throw new Error(fatal.message);
  return result!.messages.filter((m) => m.ruleId === ruleId).length;
}

const restrictedImports = (filePath: string, code: string) => ruleHits(filePath, code, "no-restricted-imports");

describe("layer boundaries", () => {
  test.each([
    ["src/component/x.ts", 'import fs from "node:fs";\nexport const a = fs;'],
    ["src/component/x.ts", 'import { CodexLocalBridge } from "../bridge/index.js";\nexport const a = CodexLocalBridge;'],
    ["src/component/x.ts", 'import { useState } from "react";\nexport const a = useState;'],
    ["src/client/x.ts", 'import { spawn } from "child_process";\nexport const a = spawn;'],
    ["src/client/x.ts", 'import { createCodexHostRuntime } from "../host/index.js";\nexport const a = createCodexHostRuntime;'],
    ["src/protocol/x.ts", 'import { readFileSync } from "node:fs";\nexport const a = readFileSync;'],
    ["src/protocol/x.ts", 'import { x } from "../bridge/process.js";\nexport const a = x;'],
    ["src/protocol/x.ts", 'import { vInboundEvent } from "../component/validators.js";\nexport const a = vInboundEvent;'],
    ["src/host/x.ts", 'import { ErrorCode } from "../component/errors.js";\nexport const a = ErrorCode;'],
    ["src/bridge/x.ts", 'import schema from "../component/schema.js";\nexport const a = schema;'],
    ["src/contract/x.ts", 'import { vv } from "../component/schema.js";\nexport const a = vv;'],
    ["src/contract/x.ts", 'import { normalizeEvent } from "../protocol/index.js";\nexport const a = normalizeEvent;'],
    ["src/react/x.ts", 'import { CodexLocalBridge } from "../bridge/index.js";\nexport const a = CodexLocalBridge;'],
    ["src/react/x.tsx", 'import { x } from "../app-server/index.js";\nexport const a = x;'],
    ["apps/web/src/x.tsx", 'import { startHarness } from "../../../src/host/testing/harness.js";\nexport const a = startHarness;'],
    ["apps/web/src/x.ts", 'import { readFile } from "node:fs/promises";\nexport const a = readFile;'],
  ])("%s rejects: %s", async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toBe(1);
  });

  test.each([
    ["src/bridge/x.ts", 'import fs from "node:fs";\nexport const a = fs;'],
    ["src/component/x.ts", 'import { v } from "convex/values";\nexport const a = v;'],
    ["src/contract/x.ts", 'import { v } from "convex/values";\nexport const a = v;'],
    ["src/host/x.ts", 'import { vInboundEvent } from "../contract/events.js";\nexport const a = vInboundEvent;'],
    ["src/component/x.ts", 'import { ErrorCode } from "../contract/errors.js";\nexport const a = ErrorCode;'],
    ["src/react/x.ts", 'import { useQuery } from "convex/react";\nexport const a = useQuery;'],
    ["src/component/x.test.ts", 'import fs from "node:fs";\nexport const a = fs;'],
    ["apps/web/serve.ts", 'import fs from "node:fs";\nexport const a = fs;'],
  ])("%s allows: %s", async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toBe(0);
  });
});

describe("Convex's rules inside the component", () => {
  const builtin = "local/no-builtin-paginate";
  test.each([
    'export const f = (ctx) => ctx.db.query("messages").withIndex("by_x").order("desc").paginate(opts);',
    'export const f = (db) => db.query("threads").paginate(opts);',
    'export const f = async (batch) => await batch.ctx.db.query("turns").paginate(opts);',
  ])("the built-in .paginate() on ctx.db is an error: %s", async (code) => {
    expect(await ruleHits("src/component/x.ts", `const opts = {};\n${code}`, builtin)).toBe(1);
  });

  test.each([
    'export const f = (ctx) => paginator(ctx.db, schema).query("messages").withIndex("by_x").order("desc").paginate(opts);',
    'export const f = (ctx) => pageOf(paginator(ctx.db, schema).query("threads"), opts);',
  ])("convex-helpers' paginator is fine: %s", async (code) => {
    const header = "const opts = {}; const schema = {}; const paginator = (a, b) => a; const pageOf = (a, b) => [a, b];\n";
    expect(await ruleHits("src/component/x.ts", header + code, builtin)).toBe(0);
  });

  test("the rule is the component's: elsewhere (an app with the built-in pagination) it does not apply", async () => {
    expect(await ruleHits("src/host/x.ts", 'export const f = (ctx, o) => ctx.db.query("t").paginate(o);', builtin)).toBe(0);
  });

  test("functions register through lib/functions.ts (which checks every argument), not the raw builders", async () => {
    const raw = 'import { query } from "./_generated/server.js";\nexport const q = query;';
    expect(await ruleHits("src/component/x.ts", raw, "no-restricted-imports")).toBe(1);
    const types = 'import type { QueryCtx } from "./_generated/server.js";\nexport type C = QueryCtx;';
    expect(await ruleHits("src/component/x.ts", types, "no-restricted-imports")).toBe(0);
  });

  test("@convex-dev's rules run on the component: .collect() in a query, a db.get without its table", async () => {
    const collect = 'export const f = (ctx) => ctx.db.query("threads").collect();';
    expect(await ruleHits("src/component/x.ts", collect, "@convex-dev/no-collect-in-query")).toBe(1);
    const get = 'export const f = (ctx, id) => ctx.db.get(id);';
    expect(await ruleHits("apps/example/convex/x.ts", get, "@convex-dev/explicit-table-ids")).toBe(1);
  });
});
