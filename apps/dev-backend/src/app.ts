/**
 * What the dev backend runs: a Convex app (its modules, optional schema) and the components
 * it mounts. Modules are found on disk (convex-test's `import.meta.glob` is a Vite feature);
 * `exampleApp()` is the example app (apps/example/convex) with the component as `codexLocal`.
 */
import { readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { GenericSchema, SchemaDefinition } from "convex/server";

export type ModuleMap = Record<string, () => Promise<unknown>>;
type Schema = SchemaDefinition<GenericSchema, boolean>;

export type ComponentDefinition = { name: string; schema: Schema; modules: ModuleMap };
export type AppDefinition = { modules: ModuleMap; schema?: Schema; components?: ComponentDefinition[] };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Every function module under `dir` (tests and helpers left out), keyed as convex-test expects:
 * TypeScript sources, or the JavaScript of a built package (`…/dist/component`).
 */
export function modulesUnder(dir: string, keyPrefix = "/convex"): ModuleMap {
  const out: ModuleMap = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "testdata" && entry.name !== "node_modules") walk(full);
      } else if (/\.[jt]s$/.test(entry.name) && !/\.(test|testonly|helpers)\.ts$|\.d\.ts$/.test(entry.name)) {
        const url = pathToFileURL(full).href;
        out[`${keyPrefix}/${relative(dir, full).split("\\").join("/")}`] = () => import(url);
      }
    }
  };
  walk(dir);
  return out;
}

/** An app folder (with `_generated/`), its `schema.ts` if it has one. */
export async function appFromDir(dir: string, components: ComponentDefinition[] = []): Promise<AppDefinition> {
  const modules = modulesUnder(dir);
  const schemaKey = Object.keys(modules).find((k) => k.endsWith("/convex/schema.ts"));
  const schema = schemaKey ? ((await modules[schemaKey]!()) as { default: Schema }).default : undefined;
  return { modules, ...(schema ? { schema } : {}), components };
}

/** The example app with the codexLocal component mounted, as `pnpm dev:backend` runs it. */
export async function exampleApp(): Promise<AppDefinition> {
  const componentDir = join(repoRoot, "src/component");
  const { default: schema } = (await import(pathToFileURL(join(componentDir, "schema.ts")).href)) as { default: Schema };
  return appFromDir(join(repoRoot, "apps/example/convex"), [
    { name: "codexLocal", schema, modules: modulesUnder(componentDir, "/component") },
  ]);
}
