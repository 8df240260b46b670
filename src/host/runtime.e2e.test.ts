// End to end: the REAL codex binary against the scripted model on 127.0.0.1, persisting
// through the host runtime into the example app + component running in process. Every
// assertion reads back through the app's queries.
import { afterEach, describe, expect, test } from "vitest";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

const page = { numItems: 50, cursor: null };
type Msg = { role: string; text: string; status: string; turnId: string };
type Item = { itemId: string; status: string; details: Record<string, unknown> & { type: string } };
type Turn = { turnId: string; status: string; error?: { message: string } };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function messages(harness: Harness, threadId: string): Promise<Msg[]> {
  const result = (await harness.device.query(chat.threadMessages as never, { threadId, paginationOpts: page })) as { page: Msg[] };
  return [...result.page].reverse();
}
const items = async (harness: Harness, threadId: string, turnId?: string) =>
  (await harness.device.query(chat.threadItems as never, { threadId, ...(turnId ? { turnId } : {}) })) as Item[];
const state = async (harness: Harness, threadId: string) =>
  (await harness.device.query(chat.threadState as never, { threadId })) as {
    activeTurn: Turn | null;
    recentTurns: Turn[];
    openCommands: Array<{ status: string }>;
  };
const turnOf = async (harness: Harness, threadId: string, turnId: string) =>
  (await state(harness, threadId)).recentTurns.find((t) => t.turnId === turnId);

describe("host runtime against the real codex", () => {
  test("a text turn lands as a completed message with exactly the streamed text", async () => {
    h = await startHarness();
    h.model.enqueue({ type: "text", text: "Hello from the scripted model, streamed in pieces.", chunks: 7 });
    await h.runtime.connect();
    const { threadId } = await h.runtime.openThread({ mode: "start" });
    const { turnId } = await h.runtime.sendTurn("say hello");
    const harness = h;
    const turn = await waitFor(() => turnOf(harness, threadId, turnId), (t) => t?.status === "completed");
    expect(turn?.status).toBe("completed");
    const msgs = await messages(h, threadId);
    expect(msgs.map((m) => [m.role, m.text, m.status])).toEqual([
      ["user", "say hello", "completed"],
      ["assistant", "Hello from the scripted model, streamed in pieces.", "completed"],
    ]);
    expect(h.runtime.getLifecycleState()).toMatchObject({ running: true, phase: "running", threadId, turnId: undefined });
  }, 30_000);
});
