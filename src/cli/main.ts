#!/usr/bin/env node
/**
 * `codex-local`: the package's command. `codex-local bridge` runs codex on this machine for a
 * Convex app (see `codex-local bridge --help`).
 */
import { readFileSync } from "node:fs";
import { runBridge } from "./bridgeCommand.js";
import { BRIDGE_HELP, UsageError, parseBridgeOptions } from "./bridgeOptions.js";

const USAGE = `codex-local — the codex-local-component command

Usage:
  codex-local bridge [options]   Run codex here for your Convex app (codex-local bridge --help)
  codex-local --help | --version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    let asked = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (asked) {
        process.stderr.write(`${signal} again: exiting without waiting\n`);
        process.exit(130);
      }
      asked = true;
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-v") {
    console.log(version());
    return 0;
  }
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== "bridge") {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  let options;
  try {
    options = parseBridgeOptions(rest, process.env);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw error;
    process.stderr.write(`codex-local bridge: ${(error as Error).message}\n(see codex-local bridge --help)\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(BRIDGE_HELP);
    return 0;
  }
  if (options === "version") {
    console.log(version());
    return 0;
  }
  return await runBridge(options, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stopRequested: stopSignal(),
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`codex-local: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
