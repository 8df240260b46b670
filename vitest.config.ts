import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Workspace imports of `codex-local-component/*` (the example app) resolve to src, as in tsconfig.
const sourceCondition = "@convex-dev/component-source";

// One config, three environments: Convex code runs where Convex runs it (edge-runtime),
// Node code (protocol, bridge, host) in node, hooks in happy-dom.
export default defineConfig({
  resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "convex",
          environment: "edge-runtime",
          include: ["src/component/**/*.test.ts", "src/client/**/*.test.ts", "apps/example/**/*.test.ts"],
          server: { deps: { inline: ["convex-test"] } },
        },
      },
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: [
            "src/protocol/**/*.test.ts",
            "src/app-server/**/*.test.ts",
            "src/bridge/**/*.test.ts",
            "src/host/**/*.test.ts",
            "src/cli/**/*.test.ts",
            "src/scripted-model/**/*.test.ts",
            "src/*.test.ts",
            "scripts/**/*.test.ts",
            "apps/web/**/*.test.ts",
            "apps/cli/**/*.test.ts",
            "apps/persistent-cli/**/*.test.ts",
            "apps/dev-backend/**/*.test.ts",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "react",
          environment: "happy-dom",
          include: ["src/react/**/*.test.ts", "src/react/**/*.test.tsx", "apps/dev-backend/**/*.test.tsx"],
          server: { deps: { inline: ["convex-test"] } },
        },
      },
    ],
    typecheck: { enabled: false },
  },
});
