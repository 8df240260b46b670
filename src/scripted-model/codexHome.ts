/**
 * A private CODEX_HOME whose config points codex at the scripted model, with everything that
 * would leave 127.0.0.1 or retry forever switched off. Returns what to spawn.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type ScriptedCodexHomeOptions = {
  /** The scripted server's `baseUrl` (`http://127.0.0.1:PORT/v1`). */
  modelBaseUrl: string;
  /** Directory to use; default a fresh temp dir (removed by `cleanup`). */
  codexHome?: string;
  /** A model name from codex's bundled catalog, so codex offers `apply_patch`. */
  model?: string;
  /** Config-level policy; `untrusted` is refused here, pass it per thread instead. */
  approvalPolicy?: "on-request" | "on-failure" | "never";
  sandboxMode?: "read-only" | "workspace-write" | "danger-full-access";
  /** Path of the codex executable; default the pinned `@openai/codex` in node_modules. */
  codexBin?: string;
  /** Extra environment for the child. */
  env?: Record<string, string>;
  /**
   * Make the scripted provider require ChatGPT auth, as the OpenAI provider does: after
   * `account/login/start` with `chatgptAuthTokens`, codex sends the access token, and a 401
   * from the model makes it ask the client for fresh tokens (`account/chatgptAuthTokens/refresh`,
   * a server request of no thread). Its ChatGPT backend calls go to the scripted server too.
   */
  chatgptAuth?: boolean;
  /** How often codex retries a failed model request / a dropped stream (default 0: fail at once). */
  requestMaxRetries?: number;
  streamMaxRetries?: number;
  /** How long codex waits on a silent stream before it gives up on it (default 20 s). */
  streamIdleTimeoutMs?: number;
};

export type CodexLaunch = {
  codexHome: string;
  /** Executable and arguments for `spawn(command, args, { env })`. */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Removes the CODEX_HOME if this helper created it. */
  cleanup(): void;
};

export function scriptedCodexConfigToml(options: ScriptedCodexHomeOptions): string {
  const str = (s: string) => JSON.stringify(s);
  const chatgpt = options.chatgptAuth === true;
  return [
    `model = ${str(options.model ?? "gpt-5.5")}`,
    `model_provider = "scripted"`,
    `approval_policy = ${str(options.approvalPolicy ?? "on-request")}`,
    `sandbox_mode = ${str(options.sandboxMode ?? "workspace-write")}`,
    `check_for_update_on_startup = false`,
    // Where codex's ChatGPT backend calls go (account checks, apps): loopback, never chatgpt.com.
    ...(chatgpt ? [`chatgpt_base_url = ${str(options.modelBaseUrl.replace(/\/v1\/?$/, "/backend-api/"))}`] : []),
    ``,
    `[model_providers.scripted]`,
    `name = "Scripted local model"`,
    `base_url = ${str(options.modelBaseUrl)}`,
    `wire_api = "responses"`,
    ...(chatgpt ? [`requires_openai_auth = true`] : []),
    `request_max_retries = ${options.requestMaxRetries ?? 0}`,
    `stream_max_retries = ${options.streamMaxRetries ?? 0}`,
    `stream_idle_timeout_ms = ${options.streamIdleTimeoutMs ?? 20000}`,
    ``,
    `[features]`,
    `plugins = false`,
    // ChatGPT auth would start the codex_apps MCP server, which lives on chatgpt.com.
    ...(chatgpt ? [`apps = false`] : []),
    `unbounded_connection_retries = false`,
    ``,
    // codex 0.169 offers its plan tool (`update_plan` → `turn/plan/updated`) only when asked.
    `[tools.update_plan]`,
    `enabled = true`,
    ``,
    `[analytics]`,
    `enabled = false`,
    ``,
    `[feedback]`,
    `enabled = false`,
    ``,
  ].join("\n");
}

/** The pinned codex binary of this package's node_modules (or the cwd's). */
export function defaultCodexBin(): string {
  const candidates = [
    resolve(process.cwd(), "node_modules/.bin/codex"),
    resolve(dirname(fileURLToPath(import.meta.url)), "../../node_modules/.bin/codex"),
  ];
  return candidates.find((p) => existsSync(p)) ?? "codex";
}

export function prepareScriptedCodexHome(options: ScriptedCodexHomeOptions): CodexLaunch {
  const created = options.codexHome === undefined;
  const codexHome = options.codexHome ?? mkdtempSync(join(tmpdir(), "codex-home-"));
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(join(codexHome, "config.toml"), scriptedCodexConfigToml(options));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, { CODEX_HOME: codexHome, RUST_LOG: "warn" }, options.env ?? {});
  return {
    codexHome,
    command: options.codexBin ?? defaultCodexBin(),
    args: ["app-server", "--listen", "stdio://"],
    env,
    cleanup: () => {
      // codex may still be flushing its sqlite files for a moment after exit.
      if (created) rmSync(codexHome, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}
