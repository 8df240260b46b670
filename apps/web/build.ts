/**
 * Builds the chat page with Vite (apps/web/vite.config.ts) into `outDir`, for the local
 * stand-in backend: `VITE_CONVEX_URL` is blanked so the page talks to the origin that serves it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

export const webDir = dirname(fileURLToPath(import.meta.url));

export async function buildWebApp(outDir: string): Promise<void> {
  await build({
    configFile: join(webDir, "vite.config.ts"),
    build: { outDir, emptyOutDir: true },
    define: { "import.meta.env.VITE_CONVEX_URL": JSON.stringify("") },
    logLevel: "warn",
  });
}
