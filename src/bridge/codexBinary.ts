/**
 * Where the installed `@openai/codex` keeps its native binary. We spawn the binary itself,
 * not the package's Node launcher, so the pid we hold (and signal on stop) is codex's own.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const TARGETS: Record<string, { triple: string; pkg: string }> = {
  "linux-x64": { triple: "x86_64-unknown-linux-musl", pkg: "@openai/codex-linux-x64" },
  "linux-arm64": { triple: "aarch64-unknown-linux-musl", pkg: "@openai/codex-linux-arm64" },
  "darwin-x64": { triple: "x86_64-apple-darwin", pkg: "@openai/codex-darwin-x64" },
  "darwin-arm64": { triple: "aarch64-apple-darwin", pkg: "@openai/codex-darwin-arm64" },
  "win32-x64": { triple: "x86_64-pc-windows-msvc", pkg: "@openai/codex-win32-x64" },
  "win32-arm64": { triple: "aarch64-pc-windows-msvc", pkg: "@openai/codex-win32-arm64" },
};

/**
 * The native codex executable of the `@openai/codex` resolvable from `fromDir` (default:
 * this package, then the cwd). Falls back to the package's launcher, then to `codex` on PATH.
 */
export function resolveCodexBinary(fromDir?: string): string {
  const bases = [fromDir, dirname(fileURLToPath(import.meta.url)), process.cwd()].filter(
    (d): d is string => d !== undefined,
  );
  const target = TARGETS[`${process.platform}-${process.arch}`];
  for (const base of bases) {
    let codexPackageJson: string;
    try {
      codexPackageJson = createRequire(join(base, "noop.js")).resolve("@openai/codex/package.json");
    } catch {
      continue;
    }
    const codexRequire = createRequire(codexPackageJson);
    if (target) {
      const exe = process.platform === "win32" ? "codex.exe" : "codex";
      try {
        const vendor = join(dirname(codexRequire.resolve(`${target.pkg}/package.json`)), "vendor");
        const binary = join(vendor, target.triple, "bin", exe);
        if (existsSync(binary)) return binary;
      } catch {
        // Platform package missing (optional dependencies omitted): try the launcher.
      }
    }
    const launcher = join(dirname(codexPackageJson), "bin", "codex.js");
    if (existsSync(launcher)) return launcher;
  }
  return "codex";
}
