/**
 * `pnpm dev:backend`: the example app with the codexLocal component, served to the
 * unmodified Convex clients on 127.0.0.1. Prints the URL and a dev token, then runs until
 * Ctrl-C (saving the snapshot file first, when one is given).
 *
 *   pnpm dev:backend [--port N] [--user NAME] [--snapshot FILE] [--static DIR] [--json]
 *
 * `--static DIR` also serves a built page (same origin as the API: apps/web uses it).
 * `--json` prints one line `{"url":…,"token":…,"user":…}` instead (for scripts that start it).
 */
import { parseArgs } from "node:util";
import { startDevBackend } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    user: { type: "string", default: "dev-user" },
    snapshot: { type: "string" },
    static: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log("usage: pnpm dev:backend [--port N] [--user NAME] [--snapshot FILE] [--static DIR] [--json]");
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be an integer from 0 to 65535, got ${values.port}`);
  process.exit(2);
}

const backend = await startDevBackend({
  port,
  ...(values.snapshot ? { snapshotFile: values.snapshot } : {}),
  ...(values.static ? { staticDir: values.static } : {}),
});
const token = backend.mintToken({ subject: values.user, expiresInSeconds: 24 * 3600 });
if (values.json) {
  console.log(JSON.stringify({ url: backend.url, token, user: values.user }));
} else {
  console.log(`dev backend (example app + codexLocal on convex-test) at ${backend.url}`);
  console.log(`  CONVEX_URL=${backend.url}`);
  console.log(`  dev token for "${values.user}" (24 h; unsigned, not verified — dev only):\n  ${token}`);
  console.log(values.snapshot ? `  state is saved to ${values.snapshot} on exit` : "  state is in memory (--snapshot FILE keeps it)");
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await backend.stop();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
