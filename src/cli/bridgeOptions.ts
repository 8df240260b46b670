/**
 * `codex-local bridge` options: parsed from argv and the environment, checked, and documented
 * in one place (`BRIDGE_HELP` is what `--help` prints).
 */
import { hostname } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

// codex 0.169's `AskForApproval` strings (its `granular` form is not offered here).
export const APPROVAL_POLICIES = ["untrusted", "on-request", "never"] as const;
export const SANDBOX_MODES = ["read-only", "workspace-write", "danger-full-access"] as const;

export type BridgeOptions = {
  url: string;
  /** A fixed token, or a command whose stdout is one (re-run when Convex asks for a fresh one). */
  token: { kind: "none" } | { kind: "static"; value: string } | { kind: "command"; command: string };
  cwd: string;
  approvalPolicy: (typeof APPROVAL_POLICIES)[number];
  sandbox: (typeof SANDBOX_MODES)[number];
  model: string | undefined;
  deviceId: string;
  /** `new` (default), `none`, or a codex thread id to resume. */
  thread: string;
  codexBin: string | undefined;
  module: string;
  /** HTTP calls with the command queue polled, instead of a WebSocket subscription. */
  poll: boolean;
  pollMs: number;
};

export const BRIDGE_HELP = `codex-local bridge — run codex on this machine for your Convex app

Starts \`codex app-server\` here and connects it to your deployment: every event codex
emits is written to the app (threads, turns, streamed text, commands, approvals), and the
turns, interrupts and approval answers your devices queue are run against this codex.
The app must export the generated host API (defineCodexHostApi) from convex/codex.ts.

Usage: codex-local bridge [options]

Deployment and identity
  --url <url>              The deployment (default: $CONVEX_URL), e.g. https://happy-otter-123.convex.cloud
  --token <jwt>            The user's auth token (default: $CONVEX_AUTH_TOKEN). The bridge acts as
                           this user: the app's actor() sees the same identity as the user's devices.
  --token-command <cmd>    A login flow instead: a shell command printing a fresh token on stdout
                           (e.g. your auth provider's CLI); run at start, before the token expires
                           and whenever the deployment refuses it (also with --poll).
  --module <name>          The module exporting the host API (default: codex → api.codex.*)
  --poll                   Plain HTTP with the command queue polled (proxies without WebSocket)
  --poll-ms <ms>           Poll interval with --poll (default 500)

codex
  --cwd <dir>              Working directory of the threads (default: the current directory)
  --approval-policy <p>    When codex asks before acting: ${APPROVAL_POLICIES.join(" | ")}
                           (default on-request)
  --sandbox <mode>         What commands may touch: ${SANDBOX_MODES.join(" | ")}
                           (default workspace-write)
  --model <name>           Model of new threads (default: codex's configuration)
  --thread <id|new|none>   Resume thread <id>, start a new one (default), or only serve the
                           threads devices send turns to
  --codex <path>           The codex executable (default: the installed @openai/codex, else
                           \`codex\` on PATH). codex's own login and config (CODEX_HOME) are used.

This machine
  --device-id <name>       How this machine is named on sessions and rows (default: the host name)

  -h, --help               This text
  -v, --version            The package version

It prints the connection state, the threads it serves and every command it runs. Ctrl-C
stops codex (a running turn is recorded interrupted), flushes what codex said to the
deployment and closes the session; a second Ctrl-C exits at once.

Exit codes: 0 stopped by you; 1 could not start (the reason is printed); 2 bad options.
`;

export class UsageError extends Error {}

const optionSpec = {
  url: { type: "string" },
  token: { type: "string" },
  "token-command": { type: "string" },
  module: { type: "string" },
  poll: { type: "boolean" },
  "poll-ms": { type: "string" },
  cwd: { type: "string" },
  "approval-policy": { type: "string" },
  sandbox: { type: "string" },
  model: { type: "string" },
  thread: { type: "string" },
  codex: { type: "string" },
  "device-id": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** Every option `bridge` takes (the help text must name each). */
export const BRIDGE_OPTION_NAMES = Object.keys(optionSpec);

/** `"help"` / `"version"`: print that instead of running (whatever else was passed). */
export function parseBridgeOptions(argv: string[], env: NodeJS.ProcessEnv): BridgeOptions | "help" | "version" {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: optionSpec });
  if (values.help) return "help";
  if (values.version) return "version";
  const url = values.url ?? env.CONVEX_URL;
  if (!url) throw new UsageError("no deployment: pass --url <url> or set CONVEX_URL");
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  if (values.token !== undefined && values["token-command"] !== undefined) {
    throw new UsageError("pass --token or --token-command, not both");
  }
  const staticToken = values.token ?? env.CONVEX_AUTH_TOKEN;
  const token: BridgeOptions["token"] = values["token-command"]
    ? { kind: "command", command: values["token-command"] }
    : staticToken
      ? { kind: "static", value: staticToken }
      : { kind: "none" };
  const pollMs = values["poll-ms"] === undefined ? 500 : Number(values["poll-ms"]);
  if (!Number.isInteger(pollMs) || pollMs < 50 || pollMs > 60_000) throw new UsageError("--poll-ms must be an integer from 50 to 60000");
  const thread = values.thread ?? "new";
  if (!thread.trim()) throw new UsageError("--thread needs an id, `new` or `none`");
  return {
    url: url.replace(/\/+$/, ""),
    token,
    cwd: resolve(values.cwd ?? process.cwd()),
    approvalPolicy: oneOf("--approval-policy", values["approval-policy"] ?? "on-request", APPROVAL_POLICIES),
    sandbox: oneOf("--sandbox", values.sandbox ?? "workspace-write", SANDBOX_MODES),
    model: values.model,
    deviceId: (values["device-id"] ?? hostname()).trim() || "bridge",
    thread: thread.trim(),
    codexBin: values.codex,
    module: values.module ?? "codex",
    poll: values.poll ?? false,
    pollMs,
  };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")}; got "${value}"`);
}
