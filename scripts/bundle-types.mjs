#!/usr/bin/env node
// After `tsc` emitted dist/: the declarations of every subpath export are bundled into a few
// files under dist/types/ (shared declarations in shared chunks, so a class is declared once),
// and what the published package does not need is removed: the per-module declarations, the
// ~800 type-only protocol modules codex generates (their .js files are empty), test support.
import { readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

const dist = "dist";
const entries = {
  client: "dist/client/index.d.ts",
  react: "dist/react/index.d.ts",
  protocol: "dist/protocol/index.d.ts",
  "app-server": "dist/app-server/index.d.ts",
  bridge: "dist/bridge/index.d.ts",
  host: "dist/host/index.d.ts",
  "scripted-model": "dist/scripted-model/index.d.ts",
  "convex.config": "dist/component/convex.config.d.ts",
  component: "dist/component/_generated/component.d.ts",
};

const bundle = await rollup({
  input: entries,
  plugins: [dts({ respectExternal: false })],
  // Peers and dependencies stay imports.
  external: (id) => /^(convex|react|convex-helpers|zod)(\/|$)/.test(id) || id.startsWith("node:"),
  onwarn(warning, warn) {
    if (warning.code === "CIRCULAR_DEPENDENCY") return;
    warn(warning);
  },
});
await bundle.write({ dir: join(dist, "types"), format: "es", entryFileNames: "[name].d.ts", chunkFileNames: "shared-[hash].d.ts" });
await bundle.close();

// What ships besides dist/types: the JavaScript, minus empty type-only modules and test support.
const keepGenerated = new Set(["methods.js"]);
function prune(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = relative(dist, path);
    if (rel === "types") continue;
    if (statSync(path).isDirectory()) {
      if (name === "testing") rmSync(path, { recursive: true });
      else prune(path);
      continue;
    }
    const generated = rel.startsWith(join("protocol", "generated"));
    if (name.endsWith(".d.ts") || name.endsWith(".map") || (generated && !keepGenerated.has(name)) || rel === "test.js") rmSync(path);
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}
prune(dist);
