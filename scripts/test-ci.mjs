#!/usr/bin/env node
// The README's test command: static checks, then every vitest project, then one plain
// `N passed, N failed` line (the CI harness reads that line, not vitest's summary).
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const resultsFile = ".vitest-results.json";
const steps = [
  ["lint", "pnpm", ["exec", "eslint", "src", "apps", "scripts"]],
  ["typecheck", "pnpm", ["run", "typecheck"]],
  ...(process.env.SKIP_PROTOCOL_CHECK ? [] : extraChecks()),
];

function extraChecks() {
  try {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    return pkg.scripts["protocol:check"] ? [["protocol:check", "pnpm", ["run", "protocol:check"]]] : [];
  } catch {
    return [];
  }
}

let checksFailed = 0;
for (const [name, cmd, args] of steps) {
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) {
    console.log(`== ${name} FAILED (exit ${r.status})`);
    checksFailed++;
  }
}

console.log("\n== vitest");
rmSync(resultsFile, { force: true });
const vitest = spawnSync(
  "pnpm",
  ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);

let passed = 0;
let failed = checksFailed;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(resultsFile, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  // A file that fails to load has no tests but is still a failure.
  for (const file of report.testResults) {
    if (file.status === "failed" && file.assertionResults.length === 0) failed++;
  }
} catch (error) {
  console.log(`could not read ${resultsFile}: ${error.message}`);
  failed++;
}
if (vitest.status !== 0 && failed === 0) failed++;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
