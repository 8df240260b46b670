/**
 * The example app (its `chat.ts` wrappers, the component mounted as `codexLocal`) running
 * in this process on convex-test: the backend of the e2e tests and of `pnpm demo` when no
 * deployment is configured. The same wrappers a deployment runs, reached through the same
 * function references, so what the runtime persists here is what it would persist there.
 *
 * Modules are found on disk (convex-test's `import.meta.glob` is a Vite feature; plain
 * Node has none). Watched queries re-run after every mutation made through this backend
 * and on a short poll, for work the scheduler does on its own.
 */
import { readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { convexTest } from "convex-test";
import type { FunctionReference } from "convex/server";
import type { ConvexCaller } from "../persistence/convexCaller.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const componentDir = join(repoRoot, "src/component");
const appDir = join(repoRoot, "apps/example/convex");

type Modules = Record<string, () => Promise<unknown>>;

/** Convex modules under `dir`, keyed as convex-test expects (`import.meta.glob` stands in for Vite). */
export function modulesUnder(dir: string, keyPrefix: string): Modules {
  const out: Modules = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "testdata" && entry.name !== "node_modules") walk(full);
      } else if (/\.[jt]s$/.test(entry.name) && !/\.(test|testonly|helpers)\.ts$|\.d\.ts$/.test(entry.name)) {
        const key = `${keyPrefix}/${relative(dir, full).split("\\").join("/")}`;
        const url = pathToFileURL(full).href;
        out[key] = () => import(url);
      }
    }
  };
  walk(dir);
  return out;
}

export type InProcessConvex = {
  /** Calls the app's functions as the signed-in user `subject` (what a device or the bridge would be). */
  as(subject: string): ConvexCaller;
  /** Stops the watch poll (the scheduler's timers are convex-test's own). */
  close(): void;
};

export type InProcessConvexOptions = {
  /** Re-run watched queries at least this often. Default 40 ms. */
  pollMs?: number;
};

export async function createInProcessConvex(options: InProcessConvexOptions = {}): Promise<InProcessConvex> {
  const { default: schema } = (await import(pathToFileURL(join(componentDir, "schema.ts")).href)) as {
    default: Parameters<typeof convexTest>[0];
  };
  const t = convexTest(undefined, modulesUnder(appDir, "/convex"));
  t.registerComponent("codexLocal", schema as never, modulesUnder(componentDir, "/component"));

  type Watch = { run: () => Promise<void> };
  const watches = new Set<Watch>();
  // One re-run at a time; a request during a run asks for one more pass after it.
  let running = false;
  let again = false;
  const rerunAll = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        for (const w of [...watches]) await w.run();
      } while (again);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void rerunAll(), options.pollMs ?? 40);
  timer.unref();

  return {
    as(subject) {
      const user = t.withIdentity({ subject });
      return {
        query: (ref, args) => user.query(ref as FunctionReference<"query">, args as never),
        mutation: async (ref, args) => {
          const result = await user.mutation(ref as FunctionReference<"mutation">, args as never);
          void rerunAll();
          return result;
        },
        onUpdate(ref, args, callback, onError) {
          let last: string | undefined;
          let stopped = false;
          const watch: Watch = {
            run: async () => {
              if (stopped) return;
              try {
                const value = await user.query(ref as FunctionReference<"query">, args as never);
                const json = JSON.stringify(value);
                if (json !== last && !stopped) {
                  last = json;
                  callback(value);
                }
              } catch (error) {
                onError?.(error as Error);
              }
            },
          };
          watches.add(watch);
          void watch.run();
          return () => {
            stopped = true;
            watches.delete(watch);
          };
        },
      };
    },
    close: () => clearInterval(timer),
  };
}
