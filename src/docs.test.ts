// The docs an app copies from must name what the package has: the wrapper lists (README,
// LLMS.md, docs/host-api.md) every wrapper `defineCodexHostApi` returns, and the migration
// guide's "here" column only names that exist (exports, wrappers, component functions,
// runtime methods, tables, literals, scripts, files).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { codexHostWrappers } from "./client/hostApi/define.js";
import { ErrorCode } from "./contract/errors.js";
import { createCodexHostRuntime } from "./host/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const wrapperNames = Object.keys(codexHostWrappers).sort();

/** The names destructured in a doc's `export const { … } = defineCodexHostApi(` block. */
function exportedWrappers(doc: string): string[] {
  const block = /export const \{([\s\S]*?)\} = defineCodexHostApi\(/.exec(read(doc));
  if (!block) throw new Error(`${doc}: no \`export const { … } = defineCodexHostApi(\` block`);
  const names = block[1]!.replace(/\/\/.*$/gm, "").split(",").map((n) => n.trim()).filter(Boolean);
  return names.sort();
}

/** Backticked names in the first cell of the table rows whose second column is `kind`. */
function wrapperTableNames(doc: string): Set<string> {
  const names = new Set<string>();
  for (const line of read(doc).split("\n")) {
    const cells = line.split(" | ");
    if (!line.startsWith("| `") || !/^(query|mutation)$/.test(cells[1]?.trim() ?? "")) continue;
    for (const [, name] of cells[0]!.matchAll(/`(\w+)`/g)) names.add(name!);
  }
  return names;
}

describe("wrapper lists", () => {
  test.each(["README.md", "LLMS.md"])("%s exports every wrapper defineCodexHostApi returns, and nothing else", (doc) => {
    expect(exportedWrappers(doc)).toEqual(wrapperNames);
  });

  test.each(["LLMS.md", "docs/host-api.md"])("%s has a row for every wrapper", (doc) => {
    const rows = wrapperTableNames(doc);
    expect(wrapperNames.filter((n) => !rows.has(n))).toEqual([]);
    expect([...rows].filter((n) => !(n in codexHostWrappers))).toEqual([]);
  });
});

// ---- the migration guide ----

const subpaths = ["client", "react", "protocol", "app-server", "scripted-model", "bridge", "host"] as const;
const pkg = JSON.parse(read("package.json")) as { name: string; exports: Record<string, unknown>; scripts: Record<string, string>; publishConfig: { bin: Record<string, string> } };

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    // Our own code only: codex's generated types name what codex has, not what we do.
    if (statSync(join(root, path)).isDirectory()) return ["testing", "testdata", "generated", "_generated"].includes(name) ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}
const corpus = sourceFiles("src").map(read).join("\n");
const schemaTables = new Set([...read("src/component/schema.ts").matchAll(/^ {2}(\w+): defineTable\(/gm)].map((m) => m[1]!));

/** Names a subpath's entry file exports, types included (from its `export … from` lines and the files it re-exports whole). */
function typeExports(entry: string, seen = new Set<string>()): string {
  if (seen.has(entry)) return "";
  seen.add(entry);
  const text = read(entry);
  let out = [...text.matchAll(/export (?:type )?\{[^}]*\}/g)].map((m) => m[0]).join("\n");
  out += [...text.matchAll(/^export (?:type|interface|const|function|class) \w+/gm)].map((m) => m[0]).join("\n");
  for (const [, from] of text.matchAll(/export \* from "(\.[^"]+)\.js"/g)) out += typeExports(join(dirname(entry), `${from!}.ts`), seen);
  return out;
}

const componentModules = import.meta.glob("./component/*.ts");

type Resolver = {
  exports: Record<string, unknown>;
  typeText: string;
  runtime: Record<string, unknown>;
};

async function resolver(): Promise<Resolver> {
  const modules = (await Promise.all([
    import("./client/index.js"),
    import("./react/index.js"),
    import("./protocol/index.js"),
    import("./app-server/index.js"),
    import("./scripted-model/index.js"),
    import("./bridge/index.js"),
    import("./host/index.js"),
  ])) as Array<Record<string, unknown>>;
  const testEntry = read("src/test.ts");
  const exports = Object.assign({}, ...modules) as Record<string, unknown>;
  for (const name of ["register", "schema"]) if (new RegExp(`export (?:function|\\{)[^\\n]*\\b${name}\\b`).test(testEntry)) exports[name] = true;
  const typeText = subpaths.map((s) => typeExports(`src/${s}/index.ts`)).join("\n");
  const runtime = createCodexHostRuntime({ mode: "codex-only" }) as unknown as Record<string, unknown>;
  return { exports, typeText, runtime };
}

/** Field names of a call-shaped token's last `{ … }`: `fn({ a, b? })` → [["a", false], ["b", true]]. */
function fieldsOf(token: string): Array<[string, boolean]> {
  const object = /\{([^{}]*)\}\s*\)$/.exec(token);
  if (!object) return [];
  return object[1]!
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => [f.replace(/\?$/, ""), f.endsWith("?")]);
}

function argsFieldsOf(validatorJson: string): Map<string, boolean> {
  const parsed = JSON.parse(validatorJson) as { value: Record<string, { optional: boolean }> };
  return new Map(Object.entries(parsed.value).map(([k, v]) => [k, v.optional]));
}

function missingFields(token: string, args: Map<string, boolean>): string[] {
  return fieldsOf(token)
    .filter(([name, optional]) => args.get(name) !== optional)
    .map(([name, optional]) => `${name}${optional ? "?" : ""}`);
}

/** Why `token` does not name something we have (`null`: it does). */
async function problem(token: string, r: Resolver): Promise<string | null> {
  if (/^E_[A-Z_]+$/.test(token)) return Object.values(ErrorCode).includes(token as never) ? null : "no such error code";
  if (/^"[^"]+"$/.test(token)) return corpus.includes(token) ? null : "no such literal in src";
  if (token.startsWith("pnpm ")) return token.slice(5) in pkg.scripts ? null : "no such script";
  if (token.startsWith("codex-local ")) return "codex-local" in pkg.publishConfig.bin ? null : "no such bin";
  if (token === pkg.name) return null;
  if (token.startsWith(`${pkg.name}/`)) return `./${token.slice(pkg.name.length + 1)}` in pkg.exports ? null : "no such subpath";
  if (/^[\w.-]+\/[\w./-]+$/.test(token) || /^[\w-]+\.(md|ts)$/.test(token)) return existsSync(join(root, token)) ? null : "no such file";

  const name = token.replace(/\(.*\)$/s, "");
  const path = name.split(".");
  if (path[0] === "runtime") return typeof r.runtime[path[1]!] === "function" && path.length === 2 ? null : "no such runtime method";
  if (path.length === 2 && existsSync(join(root, `src/component/${path[0]}.ts`))) {
    const module = (await componentModules[`./component/${path[0]}.ts`]!()) as Record<string, { exportArgs?: () => string }>;
    const fn = module[path[1]!];
    if (!fn?.exportArgs) return "no such component function";
    const missing = missingFields(token, argsFieldsOf(fn.exportArgs()));
    return missing.length ? `args ${missing.join(", ")} not in the function's` : null;
  }
  if (name in codexHostWrappers) {
    const wrapper = codexHostWrappers[name as keyof typeof codexHostWrappers] as { args: Record<string, { isOptional: string }> };
    const args = new Map(Object.entries(wrapper.args).map(([k, v]) => [k, v.isOptional === "optional"]));
    const missing = missingFields(token, args);
    return missing.length ? `args ${missing.join(", ")} not in the wrapper's` : null;
  }
  if (path[0]! in r.exports) {
    let value: unknown = r.exports[path[0]!];
    for (const key of path.slice(1)) value = (value as Record<string, unknown> | undefined)?.[key];
    return value === undefined ? "no such property" : null;
  }
  if (path.length > 1) return "not an export";
  if (new RegExp(`\\b${name}\\b`).test(r.typeText)) return null;
  if (schemaTables.has(name)) return null;
  // A field or handler name (`threadId`, `onEvent`): declared somewhere in the package's code.
  return new RegExp(`\\b${name}\\??:`).test(corpus) ? null : "not an export, wrapper, table or field";
}

/** The backticked tokens of every table row's middle column ("here"). */
function guideTokens(): string[] {
  const tokens: string[] = [];
  for (const line of read("docs/MIGRATING.md").split("\n")) {
    if (!line.startsWith("| ") || line.startsWith("|---") || line.startsWith("| earlier library |")) continue;
    const here = line.split(" | ")[1] ?? "";
    for (const [, token] of here.matchAll(/`([^`]+)`/g)) tokens.push(token!);
  }
  return tokens;
}

describe("docs/MIGRATING.md", () => {
  test("every name in the \"here\" column exists in the package", async () => {
    const tokens = guideTokens();
    expect(tokens.length).toBeGreaterThan(150);
    const r = await resolver();
    const problems: string[] = [];
    for (const token of tokens) {
      const why = await problem(token, r);
      if (why) problems.push(`${token}: ${why}`);
    }
    expect(problems).toEqual([]);
  });

  test("the resolver refuses names we do not have", async () => {
    const r = await resolver();
    for (const token of [
      "defineCodexHostDefinitions",
      "resolveActorFromAuth",
      "runtime.newConversation",
      "threads.deleteCascade",
      "threads.create({ threadId, localThreadId })",
      "registerTurnStart({ threadId, turnId })",
      "sync.ingest({ sessionId, threadId, streamDeltas })",
      "codex_threads",
      '"list_files"',
      "E_DOCTOR_MISSING_FILE",
      "pnpm sync:host-shim",
      "codex-local-component/host/convex",
      "apps/examples/tauri-app",
      "codexOptimisticOps.insert",
    ]) {
      expect(await problem(token, r), token).not.toBeNull();
    }
  });

  test("README and LLMS.md link it", () => {
    for (const doc of ["README.md", "LLMS.md"]) expect(read(doc).includes("docs/MIGRATING.md"), doc).toBe(true);
  });
});
