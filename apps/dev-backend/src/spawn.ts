/**
 * The dev backend as its own process (`pnpm demo`, `pnpm web`): the CLI with `--json`, its
 * first line read for the URL and a dev token. Stopped with SIGTERM (it saves its snapshot).
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type DevBackendProcess = {
  url: string;
  /** A dev token for the `user` it was started with. */
  token: string;
  /** A dev token for any user (the backend's POST /dev/token). */
  tokenFor(subject: string): Promise<string>;
  stop(): Promise<void>;
};

const cli = join(dirname(fileURLToPath(import.meta.url)), "cli.ts");

export function spawnDevBackend(options: { user?: string; snapshotFile?: string; staticDir?: string } = {}): Promise<DevBackendProcess> {
  const args = ["--conditions=@convex-dev/component-source", "--import", "tsx", cli, "--json", "--user", options.user ?? "dev-user"];
  if (options.snapshotFile) args.push("--snapshot", options.snapshotFile);
  if (options.staticDir) args.push("--static", options.staticDir);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (!out.includes("\n") || !line) return;
      child.stdout.off("data", onData);
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      resolve({
        url,
        token,
        tokenFor: async (subject) => {
          const res = await fetch(`${url}/dev/token`, { method: "POST", body: JSON.stringify({ subject, expiresInSeconds: 24 * 3600 }) });
          return ((await res.json()) as { token: string }).token;
        },
        stop: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the dev backend exited (${code}) before it started: ${stderr.trim()}`)));
  });
}
