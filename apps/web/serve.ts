/**
 * `pnpm web`: builds the chat page and serves it on 127.0.0.1 with everything behind it
 * (see stack.ts): open the printed URL, type a message, try `[command] echo hi`. Ctrl-C stops.
 * No OpenAI account and no Convex deployment: the model is scripted and the backend runs in
 * this process; the page's user is a fixed demo token, not authentication.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWebApp } from "./build.js";
import { startWebStack } from "./stack.js";

async function main() {
  const outDir = mkdtempSync(join(tmpdir(), "codex-web-"));
  await buildWebApp(outDir);
  const stack = await startWebStack({
    staticDir: outDir,
    onError: (error, context) => console.error(`  ! ${context}: ${error instanceof Error ? error.message : String(error)}`),
  });
  console.log(`codex is up (thread ${stack.threadId}); the model is scripted: type anything, or "[command] echo hi".`);
  console.log(`\n  open ${stack.pageUrl}\n`);
  const stop = async () => {
    await stack.close();
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
