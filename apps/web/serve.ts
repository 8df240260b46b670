/**
 * `pnpm web`: builds the chat page and serves it with everything behind it, on 127.0.0.1:
 * the dev backend as its own process (serving the page and the Convex API; state kept in
 * `.tmp/web-snapshot.json` across restarts) and, in this process, the scripted model and the
 * REAL codex under the host runtime on `ConvexClient` over WebSocket (see stack.ts). Open the
 * printed URL, type a message, try `[command] echo hi`. Ctrl-C stops.
 * No OpenAI account and no Convex deployment: the model is scripted; the page's user is a
 * dev token for a fixed demo user, not authentication.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnDevBackend } from "../dev-backend/src/index.js";
import { buildWebApp, webDir } from "./build.js";
import { startWebStack } from "./stack.js";

async function main() {
  const outDir = mkdtempSync(join(tmpdir(), "codex-web-"));
  await buildWebApp(outDir);
  const snapshotDir = resolve(webDir, "../../.tmp");
  mkdirSync(snapshotDir, { recursive: true });
  const backend = await spawnDevBackend({ staticDir: outDir, snapshotFile: join(snapshotDir, "web-snapshot.json") });
  const stack = await startWebStack({
    backend: { url: backend.url, token: backend.tokenFor },
    onError: (error, context) => console.error(`  ! ${context}: ${error instanceof Error ? error.message : String(error)}`),
  });
  console.log(`dev backend at ${backend.url}; codex is up (thread ${stack.threadId}); the model is scripted: type anything, or "[command] echo hi".`);
  console.log(`\n  open ${stack.pageUrl}\n`);
  const stop = async () => {
    await stack.close();
    await backend.stop();
    rmSync(outDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(`web failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
