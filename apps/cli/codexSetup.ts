/**
 * How the CLI examples run codex: by default the pinned codex on the scripted model on
 * 127.0.0.1 (no account, nothing leaves the machine; tag a message `[command] …`, `[slow]`,
 * `[reasoning]` to pick what the model does), or with `--real-model` your own logged-in codex.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CodexLocalBridgeConfig } from "codex-local-component/bridge";
import { prepareScriptedCodexHome, startScriptedModelServer } from "codex-local-component/scripted-model";

export type CodexSetup = { bridge: CodexLocalBridgeConfig; description: string; close(): Promise<void> };

/** `codexHome`: keep codex's state there (scripted model), so a later run can resume its threads. */
export async function codexSetup(options: { realModel: boolean; cwd: string; codexHome?: string }): Promise<CodexSetup> {
  if (options.realModel) return { bridge: { cwd: options.cwd }, description: "your codex setup (--real-model)", close: async () => undefined };
  const model = await startScriptedModelServer();
  const launch = prepareScriptedCodexHome({ modelBaseUrl: model.baseUrl, ...(options.codexHome ? { codexHome: options.codexHome } : {}) });
  // codex runs commands in a login shell: an empty HOME keeps the machine's profile out of their output.
  const home = mkdtempSync(join(tmpdir(), "codex-cli-home-"));
  return {
    bridge: { codexBin: launch.command, args: launch.args, env: { ...launch.env, HOME: home }, cwd: options.cwd },
    description: `scripted, on ${model.baseUrl}`,
    async close() {
      await model.close();
      launch.cleanup();
      rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}
