/**
 * Everything behind the chat page, on 127.0.0.1: the scripted model, the REAL codex binary
 * under the host runtime (`codex+replica`, on `ConvexClient` over WebSocket), and a backend —
 * the dev backend, which also serves the built page, so the page's `ConvexReactClient`
 * talks to its own origin. The setup is the e2e harness's (src/host/testing/harness.ts),
 * signed in as the page's demo user.
 */
import { startHarness, type BackendEndpoint, type Harness, type HarnessOptions } from "../../src/host/testing/harness.js";
import type { CodexHostRuntimeOptions } from "codex-local-component/host";
import { DEMO_USER } from "./src/demoUser.js";

export type WebStack = {
  harness: Harness;
  /** The thread the page shows (opened on the real codex). */
  threadId: string;
  /** The page, with its thread: `http://127.0.0.1:PORT/?thread=…`. */
  pageUrl: string;
  close(): Promise<void>;
};

/** `backend` serves the page at its URL (the dev backend with `staticDir`). */
export async function startWebStack(options: {
  backend: BackendEndpoint;
  onError?: CodexHostRuntimeOptions["onError"];
  /** codex's own settings (e.g. `requestMaxRetries`, so a provider's 429 is retried as it would be live). */
  codexHome?: HarnessOptions["codexHome"];
}): Promise<WebStack> {
  const harness = await startHarness({
    subject: DEMO_USER,
    backend: options.backend,
    ...(options.codexHome ? { codexHome: options.codexHome } : {}),
    runtime: options.onError ? { onError: options.onError } : {},
  });
  try {
    await harness.runtime.connect();
    const { threadId } = await harness.runtime.openThread({ mode: "start" });
    return {
      harness,
      threadId,
      pageUrl: `${options.backend.url}/?thread=${encodeURIComponent(threadId)}`,
      close: () => harness.close(),
    };
  } catch (error) {
    await harness.close();
    throw error;
  }
}
