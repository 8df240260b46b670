// `--version` is in `codex-local bridge --help`: it must do what `codex-local --version` does,
// not fall to the strict option parser as an unknown flag (exit 2).
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { spawnCli } from "./testing/spawnCli.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

describe("codex-local --version", () => {
  test.each([[["--version"]], [["bridge", "--version"]], [["bridge", "-v"]], [["bridge", "--url", "https://x.convex.cloud", "--version"]]])(
    "%j prints the package version and exits 0",
    async (args) => {
      const run = spawnCli(args);
      expect(await run.exited, run.stderr()).toBe(0);
      expect(run.stdout()).toBe(`${version}\n`);
    },
  );

  test("an unknown option is still a usage error", async () => {
    const run = spawnCli(["bridge", "--versions"]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/--versions/);
  });
});
