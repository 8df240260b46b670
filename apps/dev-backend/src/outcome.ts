/**
 * A function call's result as clients receive it: the value, or the error message with a
 * ConvexError's data intact; plus the function's console output as Convex log lines
 * (`[LOG] text`, `[ERROR] text`, …), captured per call.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import { convexToJson, type JSONValue, type Value } from "convex/values";

export type Outcome =
  | { ok: true; value: Value; logLines: string[] }
  | { ok: false; message: string; data?: JSONValue; logLines: string[] };

const lines = new AsyncLocalStorage<string[]>();
const levels = { log: "LOG", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG" } as const;
let installed = false;

/** Runs `fn` with its console output collected; never throws. */
export async function captured(fn: () => Promise<Value>): Promise<Outcome> {
  installConsole();
  const logLines: string[] = [];
  try {
    const value = await lines.run(logLines, fn);
    return { ok: true, value, logLines };
  } catch (error) {
    return failure(error, logLines);
  }
}

export function failure(error: unknown, logLines: string[] = []): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  const isConvexError = typeof error === "object" && error !== null && Symbol.for("ConvexError") in error;
  const data = isConvexError ? (error as { data?: Value }).data : undefined;
  return { ok: false, message, ...(data !== undefined ? { data: convexToJson(data) } : {}), logLines };
}

/** Inside a captured call, console methods write log lines; elsewhere they print as usual. */
function installConsole() {
  if (installed) return;
  installed = true;
  const base = globalThis.console;
  const proxy = Object.create(base) as Console;
  for (const [method, level] of Object.entries(levels) as Array<[keyof typeof levels, string]>) {
    proxy[method] = (...args: unknown[]) => {
      const sink = lines.getStore();
      if (sink) sink.push(`[${level}] ${format(...args)}`);
      else base[method](...args);
    };
  }
  globalThis.console = proxy;
}
