// The chat page: React over `codex-local-component/react`, resolved to the package's src
// (as everywhere in this workspace), built into a static page the runner serves.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  plugins: [react()],
  resolve: { conditions: ["@convex-dev/component-source", ...defaultClientConditions] },
  build: { outDir: "dist", emptyOutDir: true },
});
