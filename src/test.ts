/**
 * Registers the component on a convex-test instance:
 *
 *     const t = convexTest({ schema: appSchema, modules: appModules, transactionLimits: true });
 *     register(t);            // mounted as "codexLocal"
 *
 * Exported from source (`./src/test.ts`), like the official component template: the glob
 * below must see the component's `.ts` modules, which only Vite (vitest) resolves.
 */
import type { TestConvex } from "convex-test";
import type { GenericSchema, SchemaDefinition } from "convex/server";
import schema from "./component/schema.js";

// Vite's `import.meta.glob`, typed here so consumers need no `vite/client` types.
type GlobImportMeta = ImportMeta & { glob(pattern: string): Record<string, () => Promise<unknown>> };
export const modules = (import.meta as GlobImportMeta).glob("./component/**/*.ts");

export function register(
  t: TestConvex<SchemaDefinition<GenericSchema, boolean>>,
  name: string = "codexLocal",
): void {
  t.registerComponent(name, schema, modules);
}

export { schema };
export default { register, schema, modules };
