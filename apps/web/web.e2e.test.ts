// The chat page in real headless Chromium, against the whole stack on 127.0.0.1: the REAL
// codex binary (scripted model), the host runtime on ConvexClient, the dev backend (example
// app + component) serving the page built with Vite, which runs the real ConvexReactClient
// over WebSocket. Two devices: a desktop (1280×800) and a phone (390×844, touch), live, with
// no polling. Screenshots of every state go to apps/web/.artifacts/ (gitignored).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startDevBackend, type DevBackend } from "../dev-backend/src/index.js";
import { eventDroppedRecord } from "../../src/contract/limits.js";
import { syntheticTurn } from "../../src/protocol/testing/events.js";
import { chat, endpointOf } from "../../src/host/testing/harness.js";
import { buildWebApp, webDir } from "./build.js";
import { startWebStack, type WebStack } from "./stack.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
// CI installs Chromium (.ci/run), so there a missing browser fails the test instead of skipping it.
if (!haveChromium && !process.env.CI) {
  console.warn(`web.e2e: skipped, no ${CHROMIUM} (install it: apt-get install -y chromium)`);
}
const browserTest = haveChromium || process.env.CI ? test : test.skip;

const ARTIFACTS = join(webDir, ".artifacts");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let outDir: string;
let backend: DevBackend | undefined;
let stack: WebStack | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!haveChromium) return;
  outDir = mkdtempSync(join(tmpdir(), "codex-web-dist-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  await buildWebApp(outDir);
  backend = await startDevBackend({ staticDir: outDir });
  // codex retries a failed model request once, as it would against a real provider.
  stack = await startWebStack({ backend: endpointOf(backend), codexHome: { streamMaxRetries: 1 } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await backend?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function desktop(): Promise<BrowserContext> {
  return await browser!.newContext({ viewport: DESKTOP });
}
async function phone(): Promise<BrowserContext> {
  return await browser!.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
}

/**
 * A network that can drop: Chromium's offline emulation does not close an open WebSocket,
 * so the sync socket goes through a route that this closes (and refuses while down).
 */
async function droppableNetwork(context: BrowserContext) {
  let down = false;
  const open = new Set<{ close(options?: { code?: number; reason?: string }): Promise<void> }>();
  await context.routeWebSocket(/\/api\/[^/]+\/sync/, (ws) => {
    if (down) return void ws.close({ code: 1006, reason: "offline" }).catch(() => undefined);
    ws.connectToServer();
    open.add(ws);
  });
  return {
    async setDown(value: boolean) {
      down = value;
      await context.setOffline(value);
      if (!value) return;
      const sockets = [...open];
      open.clear();
      for (const ws of sockets) await ws.close({ code: 1006, reason: "offline" }).catch(() => undefined);
    },
  };
}

/** A page that records every script error and console error, for the final check. */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

browserTest("desktop and phone: stream, queue, approve from the phone, file change, plan, Esc, a failed turn; one column on the phone", async () => {
  const s = stack!;
  const desk = await desktop();
  const mobile = await phone();
  try {
    // A thread this user does not have reads as not found (its own tab: its errors are expected).
    const { page: elsewhere } = await open(desk, s.pageUrl.replace(/thread=[^&]+/, "thread=no-such-thread"));
    // A first page load: give it the time a loaded machine needs (the default poll is 1 s).
    await expect.poll(() => text(elsewhere, "thread-state"), { timeout: 10_000 }).toBe("not found");
    await elsewhere.close();

    const { page, errors } = await open(desk, s.pageUrl);
    const requests: string[] = [];
    page.on("request", (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
    await expect.poll(() => text(page, "thread-state"), { timeout: 10_000 }).toBe("idle");
    expect(await text(page, "thread-id")).toBe(s.threadId);
    await expect.poll(() => attr(page, "host-status", "data-online"), { timeout: 10_000 }).toBe("true");
    await expect.poll(() => attr(page, "connection", "data-status"), { timeout: 10_000 }).toBe("online");
    await page.waitForTimeout(300);
    const afterLoad = requests.length;

    // ---- a streamed reply: newline-gated (only whole lines show), Markdown with a code block ----
    const reply = ["Here is the plan.", "First, read the **parser**.", "```ts", "const answer = 42;", "```", "That is all."].join("\n");
    s.harness.model.enqueue({ type: "text", text: reply, chunks: 12, chunkDelayMs: 120 });
    await send(page, "Explain the parser");
    await expect.poll(() => messageTexts(page, "user")).toEqual(["Explain the parser"]);
    const partial = await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="message"][data-role="assistant"][data-streaming="true"] [data-testid="message-text"]');
      return el?.textContent ? el.textContent : null;
    });
    // What shows while it streams is whole lines of the reply, never half a line.
    const shown = (await partial.jsonValue()) as string;
    expect(reply.replace(/\*\*/g, "").replace(/```ts\n|```\n?/g, "").replace(/\n/g, "").startsWith(shown.replace(/\s+$/, ""))).toBe(true);
    expect(await text(page, "thread-state")).toBe("running");
    expect(await page.getByTestId("interrupt").isEnabled()).toBe(true);
    await expect.poll(() => text(page, "elapsed")).toMatch(/^\d+s$/);
    await shot(page, "desktop-streaming");
    await expect.poll(() => text(page, "thread-state"), { timeout: 10_000 }).toBe("idle");
    const answer = page.locator('[data-testid="message"][data-role="assistant"]').last();
    expect(await answer.locator("pre code").textContent()).toBe("const answer = 42;\n");
    expect(await answer.locator("strong").textContent()).toBe("parser");
    // The model and what the turn used, from codex's own report.
    expect(await text(page, "model")).toBe("gpt-5.5");
    await expect.poll(() => text(page, "token-usage")).toMatch(/tokens · \d+% context left$/);
    // The send, the stream and the stored reply all arrived without one HTTP request.
    expect(requests.slice(afterLoad)).toEqual([]);

    // ---- a message typed during a turn is queued, shown as queued, sent when the turn ends ----
    s.harness.model.enqueue({ type: "text", text: "A slow answer, one piece at a time.", chunks: 10, chunkDelayMs: 200 });
    await send(page, "Take your time");
    await page.waitForSelector('[data-testid="message"][data-role="assistant"][data-streaming="true"]');
    await send(page, "And after that?");
    await expect.poll(() => page.getByTestId("queued-input").allTextContents()).toEqual([expect.stringContaining("And after that?")]);
    expect(await page.getByTestId("composer-send").textContent()).toBe("Queue");
    expect(await startTurnsQueued(s)).toEqual([]);
    await shot(page, "desktop-queued");
    await expect.poll(() => messageTexts(page, "user"), { timeout: 10_000 }).toEqual(["Explain the parser", "Take your time", "And after that?"]);
    await expect.poll(() => page.getByTestId("queued-input").count()).toBe(0);
    await expect.poll(() => lastAssistant(page), { timeout: 10_000 }).toBe("You said: And after that?");
    // It went out after the slow answer had finished: their cells are in that order.
    expect((await conversationOrder(page)).slice(-4)).toEqual(["user", "assistant", "user", "assistant"]);

    // ---- the phone opens the same thread: one column, the thread list behind a button ----
    const { page: phonePage, errors: phoneErrors } = await open(mobile, s.pageUrl);
    await expect.poll(() => text(phonePage, "thread-state"), { timeout: 10_000 }).toBe("idle");
    await expect.poll(() => messageTexts(phonePage, "user"), { timeout: 10_000 }).toEqual(["Explain the parser", "Take your time", "And after that?"]);
    expect(await phonePage.getByTestId("sidebar").isVisible()).toBe(false);
    // Opened at the bottom: the newest answer is on screen.
    await expect.poll(() => inViewport(phonePage, '[data-testid="message"][data-role="assistant"] >> nth=-1')).toBe(true);
    await expectPhoneLayout(phonePage);
    await shot(phonePage, "phone-conversation");
    await phonePage.getByTestId("open-threads").tap();
    await expect.poll(() => phonePage.getByTestId("sidebar").evaluate((el) => el.getBoundingClientRect().left)).toBe(0);
    await shot(phonePage, "phone-threads");
    await phonePage.locator(`[data-testid="thread-list-item"][data-thread-id="${s.threadId}"]`).tap();
    await expect.poll(() => phonePage.getByTestId("sidebar").isVisible()).toBe(false);

    // ---- a command asked on the desktop, approved on the phone; the desktop's card goes at once ----
    await send(page, "[command] echo hi");
    await expect.poll(() => phonePage.getByTestId("approval").count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByTestId("approval").count()).toBe(1);
    expect(await text(phonePage, "approval-command")).toBe("echo hi");
    expect(await text(phonePage, "approval-cwd")).toBe(`in ${s.harness.cwd}`);
    expect(await text(page, "status-header")).toBe("Needs your approval");
    // The command's cell waits too: it does not say "Running" before it is allowed to run.
    await expect.poll(() => page.getByTestId("command").last().getAttribute("data-status")).toBe("Waiting for approval");
    await expect.poll(() => phonePage.getByTestId("command").last().getAttribute("data-status")).toBe("Waiting for approval");
    await expectPhoneLayout(phonePage);
    await shot(phonePage, "phone-approval");
    await shot(page, "desktop-approval");
    await phonePage.getByTestId("approval-accept").tap();
    await expect.poll(() => page.getByTestId("approval").count()).toBe(0);
    await expect.poll(() => text(page, "command-exit-code"), { timeout: 10_000 }).toBe("0");
    const command = page.getByTestId("command").last();
    expect(await command.getByTestId("command-line").textContent()).toBe("echo hi");
    expect((await command.getByTestId("command-output").textContent())?.trim()).toBe("hi");
    expect(await command.getAttribute("data-status")).toBe("Ran");
    expect(await command.getByTestId("command-duration").textContent()).toMatch(/^ · (\d+ms|\d+\.\ds)$/);
    await expect.poll(() => lastAssistant(page), { timeout: 10_000 }).toBe("The command finished.");
    expect((await conversationOrder(page)).slice(-3)).toEqual(["user", "command", "assistant"]);

    // ---- a file change: its approval shows the path and the diff, then the edit's cell does ----
    await send(page, "[patch] notes.txt");
    await expect.poll(() => page.getByTestId("approval").count(), { timeout: 10_000 }).toBe(1);
    const editApproval = page.getByTestId("approval");
    expect(await editApproval.getAttribute("data-kind")).toBe("fileChange");
    expect(await editApproval.getByTestId("file-path").textContent()).toBe("notes.txt");
    expect(await editApproval.getByTestId("diff-line").allTextContents()).toEqual(["+hello from the scripted model"]);
    await expect.poll(() => page.getByTestId("patch-word").last().textContent()).toBe("Waiting for approval");
    await shot(page, "desktop-file-change-approval");
    await editApproval.getByTestId("approval-accept-session").click();
    await expect.poll(() => page.getByTestId("approval").count()).toBe(0);
    await expect.poll(() => page.getByTestId("patch").count(), { timeout: 10_000 }).toBe(1);
    const patch = page.getByTestId("patch");
    await expect.poll(() => patch.getAttribute("data-status"), { timeout: 10_000 }).toBe("completed");
    expect(await patch.getByTestId("file-path").textContent()).toBe("notes.txt");
    expect(await patch.getByTestId("diff-line").allTextContents()).toEqual(["+hello from the scripted model"]);
    await expect.poll(() => lastAssistant(page), { timeout: 10_000 }).toBe("I created the file.");
    await shot(page, "desktop-file-change");

    // ---- reading it back is exploring: one "Explored" group, not a command cell ----
    await send(page, "[command] cat notes.txt");
    await expect.poll(() => page.getByTestId("approval").count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId("approval-accept").click();
    await expect.poll(() => lastAssistant(page), { timeout: 10_000 }).toBe("The command finished.");
    expect(await page.getByTestId("explored-action").allTextContents()).toEqual(["Read notes.txt"]);
    expect((await conversationOrder(page)).slice(-3)).toEqual(["user", "explored", "assistant"]);

    // ---- reasoning: its bold header, the summary behind a tap ----
    await send(page, "[reasoning] Short answer, please.");
    await expect.poll(() => lastAssistant(page), { timeout: 10_000 }).toBe("Short answer, please.");
    const reasoning = page.getByTestId("reasoning").last();
    expect(await reasoning.locator("summary").textContent()).toBe("Thinking it over");
    await reasoning.locator("summary").click();
    expect(await reasoning.textContent()).toContain("The user wants a short answer.");

    // ---- rename the thread: the list shows the new name, and codex names the thread too ----
    await page.getByTestId("thread-title").click();
    await page.getByTestId("rename-input").fill("Parser work");
    await page.getByTestId("rename-save").click();
    await expect.poll(() => page.locator(`[data-testid="thread-list-item"][data-thread-id="${s.threadId}"] .thread-title`).textContent()).toBe("Parser work");
    await expect.poll(() => phonePage.locator('[data-testid="thread-title"] .thread-name').textContent()).toBe("Parser work");
    await expect.poll(async () => (await s.harness.runtime.readThread(s.threadId, false)).thread.name, { timeout: 10_000 }).toBe("Parser work");

    // ---- the plan codex keeps (update_plan) ----
    await send(page, "[plan]");
    await expect.poll(() => page.getByTestId("plan").count(), { timeout: 10_000 }).toBe(1);
    const plan = page.getByTestId("plan");
    expect(await plan.getByTestId("plan-step").evaluateAll((els) => els.map((el) => `${el.getAttribute("data-status")}:${el.textContent}`))).toEqual([
      "completed:✓Read the failing test",
      "in_progress:▸Fix the parser",
      "pending:○Run the suite",
    ]);
    await expect.poll(() => lastAssistant(page), { timeout: 10_000 }).toBe("The plan is set.");
    // Where codex made it: after the ask, before the answer that followed.
    expect((await conversationOrder(page)).slice(-3)).toEqual(["user", "plan", "assistant"]);
    await expect.poll(() => phonePage.getByTestId("plan").count()).toBe(1);
    await expectPhoneLayout(phonePage);
    await shot(phonePage, "phone-plan");

    // ---- Esc interrupts the running turn ----
    await send(page, "[slow]");
    await page.waitForSelector('[data-testid="message"][data-role="assistant"][data-streaming="true"]');
    await page.keyboard.press("Escape");
    await expect.poll(() => text(page, "last-turn"), { timeout: 10_000 }).toBe("· last turn interrupted");
    await expect.poll(() => page.locator('[data-testid="turn-end"][data-status="interrupted"]').count()).toBe(1);
    expect(await page.locator('[data-testid="message"][data-streaming="true"]').count()).toBe(0);

    // ---- a failed turn shows codex's error ----
    await send(page, "[error] the model is down");
    await expect.poll(() => page.locator('[data-testid="turn-end"][data-status="failed"]').count(), { timeout: 10_000 }).toBe(1);
    const state = await s.harness.device.query(chat.threadState, { threadId: s.threadId });
    const failed = state.recentTurns[0]!;
    expect(failed.status).toBe("failed");
    expect(await page.locator('[data-testid="turn-end"][data-status="failed"]').textContent()).toBe(`✗ Turn failed: ${failed.error!.message}`);
    await shot(page, "desktop-failed-turn");
    await expect.poll(() => phonePage.locator('[data-testid="turn-end"][data-status="failed"]').count()).toBe(1);
    await expectPhoneLayout(phonePage);
    await shot(phonePage, "phone-failed-turn");

    // ---- codex retries a rate-limited request: the status line says so, then the reply lands ----
    s.harness.model.enqueue(
      { type: "error", status: 429, code: "rate_limit_exceeded", message: "Rate limit reached", retryAfterSeconds: 2 },
      { type: "text", text: "Answered after a retry.", chunks: 2 },
    );
    await send(page, "Try once more");
    await expect.poll(() => attr(page, "status-header", "data-retrying"), { timeout: 10_000 }).toBe("true");
    expect(await text(page, "status-header")).toMatch(/^Reconnecting/);
    await expect.poll(() => attr(phonePage, "status-header", "data-retrying"), { timeout: 5_000 }).toBe("true");
    await shot(page, "desktop-retrying");
    await shot(phonePage, "phone-retrying");
    await expect.poll(() => lastAssistant(page), { timeout: 15_000 }).toBe("Answered after a retry.");
    await expect.poll(() => text(page, "thread-state")).toBe("idle");
    expect(await attr(page, "status-header", "data-retrying")).toBe(null);
    expect(await text(page, "status-header")).toBe("Ready");
    expect(await text(page, "last-turn")).toBe(null);

    // ---- a new thread from the page: the host starts it in codex, the page opens it ----
    await page.getByTestId("new-thread").click();
    await expect.poll(() => text(page, "thread-id"), { timeout: 10_000 }).not.toBe(s.threadId);
    const created = (await text(page, "thread-id"))!;
    expect(new URL(page.url()).searchParams.get("thread")).toBe(created);
    await expect.poll(() => threadListIds(page)).toEqual([created, s.threadId]);
    await expect.poll(() => text(page, "thread-state"), { timeout: 10_000 }).toBe("idle");
    await send(page, "Hello, new thread");
    await expect.poll(() => lastAssistant(page), { timeout: 10_000 }).toBe("You said: Hello, new thread");

    // ---- archive it from the page: the list drops it at once, codex archives it; then unarchive ----
    const archivedInCodex = async () => (await s.harness.runtime.listThreads({ archived: true })).data.map((t) => t.threadId);
    await page.getByTestId("thread-title").click();
    await page.getByTestId("archive").click();
    await expect.poll(() => threadListIds(page)).toEqual([s.threadId]);
    expect(await page.getByTestId("no-thread").count()).toBe(1);
    await expect.poll(archivedInCodex, { timeout: 10_000 }).toContain(created);
    await page.getByLabel("Show archived").check();
    await expect.poll(() => threadListIds(page)).toEqual([created, s.threadId]);
    await page.locator(`[data-testid="thread-list-item"][data-thread-id="${created}"]`).click();
    // Once the thread is read, its header says it is archived (and offers Unarchive).
    await expect.poll(() => page.getByTestId("thread-archived").count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId("thread-title").click();
    await page.getByTestId("unarchive").click();
    await expect.poll(() => page.getByTestId("thread-archived").count()).toBe(0);
    await page.getByLabel("Show archived").uncheck();
    await expect.poll(() => threadListIds(page)).toEqual([created, s.threadId]);
    await expect.poll(archivedInCodex, { timeout: 10_000 }).not.toContain(created);
    // Back to the first thread: its conversation is all there.
    await page.locator(`[data-testid="thread-list-item"][data-thread-id="${s.threadId}"]`).click();
    await expect.poll(() => (messageTexts(page, "user")).then((m) => m[0])).toBe("Explain the parser");

    // ---- older history: a thread longer than the first page loads the rest above, in order ----
    const long = await s.harness.runtime.openThread({ mode: "start" });
    const TURNS = 110;
    const history = Array.from({ length: TURNS }, (_, t) =>
      syntheticTurn({ threadId: long.threadId, turnId: `h-${String(t).padStart(3, "0")}`, startedAtMs: Date.now() - (TURNS - t) * 1000, question: `q${t}`, replies: [`a${t}`], end: "completed" }),
    ).flat();
    const historyBridge = { sessionId: "e2e-history" };
    await s.harness.device.mutation(chat.ingestBatch, { ...historyBridge, threadId: long.threadId, events: history });
    await s.harness.device.mutation(chat.sessionClose, historyBridge);
    await page.goto(`${backend!.url}/?thread=${encodeURIComponent(long.threadId)}`);
    const all = Array.from({ length: TURNS }, (_, t) => `q${t}`);
    // The newest 200 items: turns 10 to 109.
    await expect.poll(() => messageTexts(page, "user"), { timeout: 10_000 }).toEqual(all.slice(10));
    await page.getByTestId("older-history").scrollIntoViewIfNeeded();
    await shot(page, "desktop-older-history");
    await page.getByTestId("older-history").click();
    await expect.poll(() => messageTexts(page, "user"), { timeout: 10_000 }).toEqual(all);
    expect((await messageTexts(page, "assistant")).slice(0, 3)).toEqual(["a0", "a1", "a2"]);
    expect((await conversationOrder(page)).slice(0, 4)).toEqual(["older-history", "user", "assistant", "user"]);
    // The last older messages come with one more tap; then there is nothing older.
    await page.getByTestId("older-history").click();
    await expect.poll(() => page.getByTestId("older-history").count(), { timeout: 10_000 }).toBe(0);
    expect(await messageTexts(page, "user")).toEqual(all);

    // No horizontal overflow across phone widths.
    for (const width of [360, 430]) {
      await phonePage.setViewportSize({ width, height: 800 });
      await expectPhoneLayout(phonePage);
    }
    await phonePage.setViewportSize(PHONE);
    expect(errors).toEqual([]);
    expect(phoneErrors).toEqual([]);
  } finally {
    await desk.close();
    await mobile.close();
  }
}, 120_000);

browserTest("no host online: a clear notice on send, the message can be withdrawn; offline: sends are held", async () => {
  const s = stack!;
  const mobile = await phone();
  try {
    const network = await droppableNetwork(mobile);
    const second = await s.harness.runtime.openThread({ mode: "start" });
    const url = `${backend!.url}/?thread=${encodeURIComponent(second.threadId)}`;
    const { page, errors } = await open(mobile, url);
    await expect.poll(() => text(page, "thread-state"), { timeout: 10_000 }).toBe("idle");
    expect(await page.getByTestId("message").count()).toBe(0);

    // Offline (the phone loses its network): the send is held on the device and goes out once back.
    await network.setDown(true);
    await expect.poll(() => attr(page, "connection", "data-status"), { timeout: 10_000 }).toMatch(/^(reconnecting|offline)$/);
    await send(page, "Sent from a tunnel");
    await expect.poll(() => text(page, "pending-note")).toBe("Held on this device until the connection is back.");
    expect(await page.getByTestId("offline-notice").isVisible()).toBe(true);
    await expectPhoneLayout(page);
    await shot(page, "phone-offline");
    await network.setDown(false);
    await expect.poll(() => attr(page, "connection", "data-status"), { timeout: 15_000 }).toBe("online");
    await expect.poll(() => lastAssistant(page), { timeout: 10_000 }).toBe("You said: Sent from a tunnel");

    // Something the backend refused: the bridge sends its record instead, the page marks it.
    const lost = { type: "lifecycle_event" as const, eventId: "lost-1", turnId: "t-lost", itemId: "i-lost", kind: "item/completed", payloadJson: "{}", createdAt: Date.now() };
    const bridge = { sessionId: "e2e-bridge" };
    await s.harness.device.mutation(chat.ingestBatch, { ...bridge, threadId: second.threadId, events: [eventDroppedRecord(lost, { code: "E_TOO_LARGE", message: "it did not fit in a row" })] });
    await s.harness.device.mutation(chat.sessionClose, bridge);
    await expect.poll(() => text(page, "dropped"), { timeout: 10_000 }).toBe("⚠ Not saved: item/completed — E_TOO_LARGE: it did not fit in a row");

    // The host goes away: the page says so, and a send says what it waits for.
    await s.harness.runtime.stop();
    await expect.poll(() => attr(page, "host-status", "data-online"), { timeout: 10_000 }).toBe("false");
    expect(await page.getByTestId("host-notice").isVisible()).toBe(true);
    await send(page, "Are you there?");
    await expect.poll(() => text(page, "pending-note")).toBe("Waiting for a host runtime to come online…");
    await expect.poll(() => page.getByTestId("cancel-pending").count()).toBe(1);
    await shot(page, "phone-no-host");
    await page.getByTestId("cancel-pending").tap();
    const failed = page.locator('[data-testid="message"][data-failed="true"]');
    await expect.poll(() => failed.count(), { timeout: 10_000 }).toBe(1);
    expect(await failed.getByTestId("message-text").textContent()).toBe("Are you there?");
    expect(await startTurnsQueued(s, second.threadId)).toEqual([]);
    // Dismissed, it is gone; the conversation before it is intact.
    await failed.getByTestId("message-dismiss").tap();
    await expect.poll(() => failed.count()).toBe(0);
    expect(await messageTexts(page, "user")).toEqual(["Sent from a tunnel"]);
    expect(errors.filter((e) => !/WebSocket|ERR_INTERNET_DISCONNECTED|net::/.test(e))).toEqual([]);
  } finally {
    await mobile.close();
  }
}, 60_000);

async function send(page: Page, message: string) {
  await page.getByTestId("composer-input").fill(message);
  await page.getByTestId("composer-send").click();
}

async function text(page: Page, testId: string): Promise<string | null> {
  const el = page.getByTestId(testId);
  return (await el.count()) === 0 ? null : await el.first().textContent();
}

async function attr(page: Page, testId: string, name: string): Promise<string | null> {
  const el = page.getByTestId(testId);
  return (await el.count()) === 0 ? null : await el.first().getAttribute(name);
}

function messageTexts(page: Page, role: "user" | "assistant"): Promise<string[]> {
  return page.locator(`[data-testid="message"][data-role="${role}"]:not([data-pending]) [data-testid="message-text"]`).allTextContents();
}

async function lastAssistant(page: Page): Promise<string | undefined> {
  return (await messageTexts(page, "assistant")).at(-1);
}

function threadListIds(page: Page): Promise<string[]> {
  return page.getByTestId("thread-list-item").evaluateAll((els) => els.map((el) => el.getAttribute("data-thread-id")!));
}

function conversationOrder(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="conversation"] > [data-testid]')
    .evaluateAll((els) => els.map((el) => (el.getAttribute("data-testid") === "message" ? el.getAttribute("data-role")! : el.getAttribute("data-testid")!)));
}

async function startTurnsQueued(s: WebStack, threadId = s.threadId): Promise<string[]> {
  const pending = await s.harness.device.query(chat.commandsPending, { threadId });
  return pending.filter((c) => c.kind === "startTurn").map((c) => (c.input?.[0]?.type === "text" ? c.input[0].text : ""));
}

function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  });
}

/**
 * The phone rules: nothing wider than the screen, every visible button at least 44 px both
 * ways, the composer and Interrupt on screen.
 */
async function expectPhoneLayout(page: Page) {
  const report = await page.evaluate(() => {
    const width = window.innerWidth;
    const tooWide = [...document.querySelectorAll("body *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (r.width === 0 || style.visibility === "hidden") return false;
        // Inside a box that scrolls sideways (code, diffs) is fine: the page itself does not.
        let parent = el.parentElement;
        while (parent) {
          const ps = getComputedStyle(parent);
          if (ps.overflowX === "auto" || ps.overflowX === "scroll" || ps.overflowX === "hidden") {
            const pr = parent.getBoundingClientRect();
            if (pr.right <= width + 0.5) return false;
          }
          parent = parent.parentElement;
        }
        return r.right > width + 0.5 || r.left < -0.5;
      })
      .map((el) => `${el.tagName}.${el.className}`);
    const small = [...document.querySelectorAll("button, summary, input, textarea")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || getComputedStyle(el).visibility === "hidden" || el.closest(".visually-hidden")) return false;
        if (el.tagName === "SUMMARY") return r.height < 32;
        if (el instanceof HTMLInputElement && el.type === "checkbox") return false;
        return r.height < 44 || r.width < 44;
      })
      .map((el) => `${el.tagName}[${el.getAttribute("data-testid") ?? el.textContent?.slice(0, 20)}] ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`);
    const onScreen = (testId: string) => {
      const el = document.querySelector(`[data-testid="${testId}"]`);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= width;
    };
    return {
      scrollWidth: document.documentElement.scrollWidth,
      width,
      tooWide,
      small,
      composer: onScreen("composer-input"),
      interrupt: onScreen("interrupt"),
    };
  });
  expect(report.scrollWidth).toBeLessThanOrEqual(report.width);
  expect(report.tooWide).toEqual([]);
  expect(report.small).toEqual([]);
  expect(report.composer).toBe(true);
  expect(report.interrupt).toBe(true);
}
