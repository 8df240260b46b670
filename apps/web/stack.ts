/**
 * Everything behind the chat page, on 127.0.0.1: the scripted model, the REAL codex binary
 * under the host runtime (`codex+replica`), the example app + component in process, and the
 * HTTP stand-in for a deployment that also serves the built page. The setup is the e2e
 * harness's (src/host/testing/harness.ts), signed in as the page's demo user.
 */
import { startHarness, type Harness } from "../../src/host/testing/harness.js";
import { startHttpStandIn } from "../../src/host/testing/httpStandIn.js";
import type { CodexHostRuntimeOptions } from "codex-local-component/host";
import { DEMO_USER_TOKEN } from "./src/demoUser.js";

export type WebStack = {
  harness: Harness;
  /** The thread the page shows (opened on the real codex). */
  threadId: string;
  /** The page, with its thread: `http://127.0.0.1:PORT/?thread=…`. */
  pageUrl: string;
  close(): Promise<void>;
};

export async function startWebStack(options: { staticDir: string; onError?: CodexHostRuntimeOptions["onError"] }): Promise<WebStack> {
  const harness = await startHarness({
    subject: DEMO_USER_TOKEN,
    runtime: options.onError ? { onError: options.onError } : {},
  });
  try {
    await harness.runtime.connect();
    const { threadId } = await harness.runtime.openThread({ mode: "start" });
    const standIn = await startHttpStandIn(harness.backend, { staticDir: options.staticDir });
    return {
      harness,
      threadId,
      pageUrl: `${standIn.url}/?thread=${encodeURIComponent(threadId)}`,
      async close() {
        await standIn.close();
        await harness.close();
      },
    };
  } catch (error) {
    await harness.close();
    throw error;
  }
}
