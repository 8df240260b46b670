// The chat page in real headless Chromium, against the whole stack on 127.0.0.1: the REAL
// codex binary (scripted model), the host runtime on ConvexClient, the dev backend (example
// app + component) serving the page built with Vite, which runs the real ConvexReactClient
// over WebSocket. What a remote device sees and does — live, with no polling.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { expect, test } from "vitest";
import { startDevBackend, type DevBackend } from "../dev-backend/src/index.js";
import { chat, endpointOf, waitFor } from "../../src/host/testing/harness.js";
import { buildWebApp } from "./build.js";
import { startWebStack, type WebStack } from "./stack.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
// CI installs Chromium (.ci/run), so there a missing browser fails the test instead of skipping it.
if (!haveChromium && !process.env.CI) {
  console.warn(`web.e2e: skipped, no ${CHROMIUM} (install it: apt-get install -y chromium)`);
}
const browserTest = haveChromium || process.env.CI ? test : test.skip;

const REPLY = "Hello from codex, streamed to your browser one piece at a time.";
const SCREENSHOT = "/tmp/codex-web-e2e.png";

browserTest("the page streams codex's reply, runs a command approved from the browser, interrupts a turn, switches threads and retries a failed send", async () => {
  if (!haveChromium) throw new Error(`Chromium is missing at ${CHROMIUM}; .ci/run installs it (apt-get install -y chromium)`);
  const outDir = mkdtempSync(join(tmpdir(), "codex-web-dist-"));
  const profile = mkdtempSync(join(tmpdir(), "codex-web-profile-"));
  let stack: WebStack | undefined;
  let backend: DevBackend | undefined;
  let browser: BrowserContext | undefined;
  try {
    await buildWebApp(outDir);
    backend = await startDevBackend({ staticDir: outDir });
    stack = await startWebStack({ backend: endpointOf(backend) });
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
      viewport: { width: 900, height: 800 },
    });
    // A thread this user does not have reads as not found (in its own tab: its failing
    // queries are expected, and none may leak into the main page's error list).
    const elsewhere = await browser.newPage();
    await elsewhere.goto(stack.pageUrl.replace(/thread=[^&]+/, "thread=no-such-thread"));
    // A first page load: give it the time a loaded machine needs (the default poll is 1 s).
    await expect.poll(() => text(elsewhere, "thread-state"), { timeout: 10_000 }).toBe("not found");
    await elsewhere.close();

    const page = browser.pages()[0] ?? (await browser.newPage());
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    // Every HTTP request the page makes (the WebSocket's frames are not requests).
    const requests: string[] = [];
    page.on("request", (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));

    await page.goto(stack.pageUrl);
    await expect.poll(() => text(page, "thread-state"), { timeout: 10_000 }).toBe("idle");
    expect(await text(page, "thread-id")).toBe(stack.threadId);
    // Loaded: the page, its assets and its dev tokens (the client fetches a fresh one right
    // after the first is accepted). From here on everything comes over the socket.
    await expect.poll(() => requests.filter((r) => r === "POST /dev/token").length).toBe(2);
    await page.waitForTimeout(200);
    const afterLoad = requests.length;

    // ---- a plain message: the reply streams in, then settles to the stored text ----
    // Slow enough (10 deltas, 150 ms apart) that the page sees the reply while it is written.
    stack.harness.model.enqueue({ type: "text", text: REPLY, chunks: 10, chunkDelayMs: 150 });
    await page.getByTestId("composer-input").fill("Hello codex!");
    await page.getByTestId("composer-send").click();
    await expect.poll(() => messageTexts(page, "user")).toEqual(["Hello codex!"]);

    const streaming = await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="message"][data-role="assistant"][data-streaming="true"] [data-testid="message-text"]');
      return el?.textContent ? el.textContent : null;
    });
    const partial = (await streaming.jsonValue()) as string;
    expect(REPLY.startsWith(partial)).toBe(true);
    expect(await page.getByTestId("thread-state").getAttribute("data-active")).toBe("true");
    expect(await page.getByTestId("interrupt").isEnabled()).toBe(true);
    expect(await text(page, "status-header")).toBe("Working…");

    await expect.poll(() => messageTexts(page, "assistant"), { timeout: 10_000 }).toEqual([REPLY]);
    await expect.poll(() => text(page, "thread-state"), { timeout: 10_000 }).toBe("idle");
    // The send, the stream and the stored reply all arrived without one HTTP request.
    expect(requests.slice(afterLoad)).toEqual([]);
    expect(await page.locator('[data-testid="message"][data-streaming="true"]').count()).toBe(0);
    expect(await page.getByTestId("interrupt").isEnabled()).toBe(false);

    // ---- a command: codex asks, the browser approves, output and exit code show ----
    await page.getByTestId("composer-input").fill("[command] echo hi");
    await page.getByTestId("composer-send").click();
    const approval = page.getByTestId("approval");
    await expect.poll(() => approval.count(), { timeout: 10_000 }).toBe(1);
    expect(await text(page, "approval-command")).toContain("echo hi");
    await page.getByTestId("approval-accept").click();

    await expect.poll(() => text(page, "command-exit-code"), { timeout: 10_000 }).toBe("0");
    expect((await text(page, "command-output"))?.trim()).toBe("hi");
    expect(await approval.count()).toBe(0);
    await expect.poll(() => messageTexts(page, "assistant"), { timeout: 10_000 }).toEqual([REPLY, "The command finished."]);
    await expect.poll(() => text(page, "thread-state"), { timeout: 10_000 }).toBe("idle");
    expect(await messageTexts(page, "user")).toEqual(["Hello codex!", "[command] echo hi"]);
    // The command sits in the conversation where it ran: after the ask, before the answer.
    expect(await conversationOrder(page)).toEqual(["user", "assistant", "user", "command", "assistant"]);

    // ---- a long reply, stopped from the page ----
    await page.getByTestId("composer-input").fill("[slow]");
    await page.getByTestId("composer-send").click();
    await page.waitForSelector('[data-testid="message"][data-role="assistant"][data-streaming="true"]');
    await page.getByTestId("interrupt").click();
    await expect.poll(() => text(page, "last-turn"), { timeout: 10_000 }).toBe(" · last turn interrupted");
    await expect.poll(() => page.locator('[data-testid="message"][data-streaming="true"]').count()).toBe(0);

    // ---- the thread list: the runner's thread is selected; a second thread opens empty ----
    const runnerItem = page.locator(`[data-testid="thread-list-item"][data-thread-id="${stack.threadId}"]`);
    expect(await runnerItem.getAttribute("aria-current")).toBe("true");
    const second = await stack.harness.runtime.openThread({ mode: "start" });
    // Newest first: the thread just opened sits above the runner's.
    await expect.poll(() => threadListIds(page)).toEqual([second.threadId, stack.threadId]);
    await page.locator(`[data-testid="thread-list-item"][data-thread-id="${second.threadId}"]`).click();
    await expect.poll(() => text(page, "thread-id")).toBe(second.threadId);
    expect(new URL(page.url()).searchParams.get("thread")).toBe(second.threadId);
    expect(await runnerItem.getAttribute("aria-current")).toBeNull();
    await expect.poll(() => text(page, "thread-state"), { timeout: 10_000 }).toBe("idle");
    expect(await page.getByTestId("message").count()).toBe(0);

    // ---- a failed send: nothing runs it, the bridge completes its command with an error ----
    // With the runtime stopped the turn stays queued; this test then plays a bridge that
    // claims it and fails it, through the example's own wrappers.
    await stack.harness.runtime.stop();
    await page.getByTestId("composer-input").fill("Are you there?");
    await page.getByTestId("composer-send").click();
    await expect.poll(() => messageTexts(page, "user")).toEqual(["Are you there?"]);
    const failedCommandId = await failNextTurnStart(stack, second.threadId, "codex refused turn/start: model unavailable");
    const failed = page.locator('[data-testid="message"][data-failed="true"]');
    await expect.poll(() => failed.count(), { timeout: 10_000 }).toBe(1);
    expect(await failed.getByTestId("message-error").textContent()).toContain("codex refused turn/start: model unavailable");
    expect(await failed.getByTestId("message-text").textContent()).toBe("Are you there?");
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Retry sends the same text again as a new command; the failed bubble is replaced.
    await failed.getByTestId("message-retry").click();
    await expect.poll(() => failed.count()).toBe(0);
    expect(await messageTexts(page, "user")).toEqual(["Are you there?"]);
    const [retried] = await stack.harness.device.query(chat.commandsPending, { threadId: second.threadId });
    expect(retried).toBeDefined();
    expect(retried!.input).toEqual([{ type: "text", text: "Are you there?" }]);
    expect(String(retried!._id)).not.toBe(failedCommandId);

    // Failed again, Dismiss drops it.
    await failNextTurnStart(stack, second.threadId, "still unavailable");
    await expect.poll(() => failed.count(), { timeout: 10_000 }).toBe(1);
    expect(await failed.getByTestId("message-error").textContent()).toContain("still unavailable");
    await failed.getByTestId("message-dismiss").click();
    await expect.poll(() => page.getByTestId("message").count()).toBe(0);

    // Back to the runner's thread: its conversation is still there.
    await runnerItem.click();
    await expect.poll(() => messageTexts(page, "user")).toEqual(["Hello codex!", "[command] echo hi", "[slow]"]);
    expect(pageErrors).toEqual([]);
  } finally {
    await browser?.close();
    await stack?.close();
    await backend?.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}, 60_000);

async function text(page: Page, testId: string): Promise<string | null> {
  const el = page.getByTestId(testId);
  return (await el.count()) === 0 ? null : await el.first().textContent();
}

function threadListIds(page: Page): Promise<string[]> {
  return page.getByTestId("thread-list-item").evaluateAll((els) => els.map((el) => el.getAttribute("data-thread-id")!));
}

/** What a bridge does when codex refuses a turn: claims the queued turn/start and completes it with an error. */
async function failNextTurnStart(stack: WebStack, threadId: string, error: string): Promise<string> {
  const bridge = stack.harness.device;
  const sessionId = `e2e-bridge-${Date.now()}`;
  await bridge.mutation(chat.sessionOpen, { sessionId });
  const pending = await waitFor(
    () => bridge.query(chat.commandsPending, { threadId }),
    (commands) => commands.length > 0,
  );
  const commandId = String(pending[0]!._id);
  await bridge.mutation(chat.commandClaim, { sessionId, commandId });
  await bridge.mutation(chat.commandComplete, { sessionId, commandId, error });
  return commandId;
}

function conversationOrder(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="conversation"] > [data-testid]')
    .evaluateAll((els) => els.map((el) => (el.getAttribute("data-testid") === "message" ? el.getAttribute("data-role")! : el.getAttribute("data-testid")!)));
}

function messageTexts(page: Page, role: "user" | "assistant"): Promise<string[]> {
  return page.locator(`[data-testid="message"][data-role="${role}"] [data-testid="message-text"]`).allTextContents();
}
