import { ESLint } from "eslint";
import { describe, expect, test } from "vitest";

// The layer rules are only worth something if they fire: lint real snippets at real paths.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").length;
}

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
