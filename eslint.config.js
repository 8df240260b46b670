// Lint enforces the layers: code that runs inside Convex (component, client) and the pure
// protocol layer must not reach Node, the bridge, the host or React; hooks talk only to Convex.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import convexPlugin from "@convex-dev/eslint-plugin";

const nodeBuiltins = [
  "node:*",
  "fs", "fs/*", "path", "os", "child_process", "net", "http", "https", "crypto",
  "stream", "readline", "events", "url", "util", "worker_threads", "zlib",
];
const pattern = (group, message) => ({ group, message });

const componentInternals = pattern(["**/component", "**/component/**"],
  "The machine side reaches Convex only through the event contract (src/contract) and the app's functions.");

export const layerRules = {
  /** The contract both sides import: pure, and it imports no layer of its own. */
  contract: [
    pattern(nodeBuiltins, "The contract is pure: no Node built-ins."),
    pattern(["**/component", "**/component/**", "**/client", "**/client/**", "**/protocol", "**/protocol/**",
      "**/bridge", "**/bridge/**", "**/host", "**/host/**", "**/app-server", "**/app-server/**",
      "**/react", "**/react/**", "react", "react-dom"],
      "The contract imports no layer: every layer imports it."),
  ],
  convexSide: [
    pattern(nodeBuiltins, "Convex-side code runs in Convex's runtime: no Node built-ins."),
    {
      group: ["**/_generated/server", "**/_generated/server.js"],
      importNames: ["query", "mutation", "internalQuery", "internalMutation", "action", "internalAction"],
      message: "Register component functions with the builders of lib/functions.ts: they check every argument (lib/args.ts).",
    },
    pattern(["**/bridge", "**/bridge/**", "**/host", "**/host/**", "**/app-server", "**/app-server/**"],
      "Convex-side code must not import the local bridge, host or app-server."),
    pattern(["react", "react-dom", "react/*", "**/react", "**/react/**"], "Convex-side code must not import React."),
  ],
  protocol: [
    pattern(nodeBuiltins, "The protocol layer is pure: no Node built-ins."),
    pattern(["**/bridge", "**/bridge/**", "**/host", "**/host/**", "**/app-server", "**/app-server/**"],
      "The protocol layer must not import the bridge, host or app-server."),
    pattern(["react", "react-dom", "react/*", "**/react", "**/react/**"], "The protocol layer must not import React."),
    componentInternals,
  ],
  machineSide: [componentInternals],
  react: [
    pattern(nodeBuiltins, "Hooks run in the browser: no Node built-ins."),
    pattern(["**/bridge", "**/bridge/**", "**/host", "**/host/**", "**/app-server", "**/app-server/**"],
      "Hooks talk only to Convex, never to the bridge, host or app-server."),
  ],
};

/** Code Convex runs: the component and the example app's functions (tests run elsewhere). */
const convexFunctionFiles = ["src/component/**/*.ts", "apps/example/convex/**/*.ts"];
const convexFunctionTestFiles = ["**/*.test.ts", "**/*.helpers.ts", "**/testdata/**"];

/**
 * The built-in `.paginate()` is not available inside a mounted component: a `ctx.db` query
 * chain ending in `.paginate(` is an error there (pages come from lib/pages.ts, on
 * convex-helpers' `paginator`). Follows the chain back to its root: `ctx.db`, `db`,
 * `batch.ctx.db`… is reported; `paginator(ctx.db, schema)….paginate(` is not.
 */
const noBuiltinPaginate = {
  meta: {
    type: "problem",
    schema: [],
    messages: {
      builtin: "The built-in .paginate() does not run inside a mounted component: use pageOf (lib/pages.ts, convex-helpers' paginator).",
    },
  },
  create(context) {
    const rootIsDb = (node) => {
      for (let n = node; n; ) {
        if (n.type === "CallExpression") n = n.callee.type === "MemberExpression" ? n.callee.object : null;
        else if (n.type === "MemberExpression") {
          if (!n.computed && n.property.type === "Identifier" && n.property.name === "db") return true;
          n = n.object;
        } else if (n.type === "Identifier") return n.name === "db";
        else if (n.type === "TSNonNullExpression" || n.type === "AwaitExpression" || n.type === "ChainExpression") n = n.expression;
        else return false;
      }
      return false;
    };
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier") return;
        if (callee.property.name === "paginate" && rootIsDb(callee.object)) context.report({ node, messageId: "builtin" });
      },
    };
  },
};
const localPlugin = { rules: { "no-builtin-paginate": noBuiltinPaginate } };

const restrict = (patterns) => ({
  "no-restricted-imports": ["error", { patterns }],
});

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/_generated/**", "src/protocol/generated/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // Node scripts (the test gate) run with Node's globals.
    files: ["scripts/**/*.mjs", "scripts/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    files: ["src/component/**/*.ts", "src/client/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: restrict(layerRules.convexSide),
  },
  // Convex's own lint rules (recommended, plus no unbounded `.collect()` in queries).
  ...convexPlugin.configs.recommended.map((config) => ({ ...config, files: convexFunctionFiles, ignores: convexFunctionTestFiles })),
  {
    files: convexFunctionFiles,
    ignores: convexFunctionTestFiles,
    // Type information makes the Convex rules precise (they tell a query's `.collect()` from an array's).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { "@convex-dev/no-collect-in-query": "error" },
  },
  {
    files: ["src/component/**/*.ts"],
    plugins: { local: localPlugin },
    rules: { "local/no-builtin-paginate": "error" },
  },
  {
    files: ["src/contract/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: restrict(layerRules.contract),
  },
  {
    files: ["src/host/**/*.ts", "src/bridge/**/*.ts", "src/app-server/**/*.ts", "src/cli/**/*.ts"],
    ignores: ["**/*.test.ts", "**/testing/**"],
    rules: restrict(layerRules.machineSide),
  },
  {
    files: ["src/protocol/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: restrict(layerRules.protocol),
  },
  {
    files: ["src/react/**/*.ts", "src/react/**/*.tsx"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: restrict(layerRules.react),
  },
  {
    // The web page runs in the browser and, like the hooks, talks only to Convex.
    files: ["apps/web/src/**/*.ts", "apps/web/src/**/*.tsx"],
    rules: restrict(layerRules.react),
  },
);
