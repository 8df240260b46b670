// End to end on the REAL codex binary: a command whose heredoc is ~200,000 CJK characters
// (about 600 KB as UTF-8, twice over in the item's command and its parsed actions) used to
// make a 1.1 MB item row a deployment refuses, and the outbox then retried that batch
// forever. Now every stored string is capped in bytes: the rows fit, the turn completes, its
// reply and the next turn are persisted, and nothing had to be dropped.
import { afterEach, expect, test } from "vitest";
import { COMMAND_MAX_BYTES, TRUNCATION_MARKER, utf8Bytes } from "../contract/limits.js";
import { oversizeWrites } from "../testing/convexTest.js";
import { chat, startHarness, waitFor, type Harness } from "./testing/harness.js";

type Msg = { role: string; text: string; turnId: string };
type Turn = { turnId: string; status: string };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Varied CJK text (a line of 80 characters from a 2,000-character range), `chars` long. */
function cjk(chars: number): string {
  let out = "";
  for (let i = 0; out.length < chars; i++) out += String.fromCharCode(0x4e00 + ((i * 7919) % 2000)) + (i % 80 === 79 ? "\n" : "");
  return out.slice(0, chars);
}

test("a command with a ~200k-character CJK heredoc: the turn completes, its reply and the next turn are persisted", async () => {
  const harness = (h = await startHarness());
  const writesBefore = oversizeWrites.length;
  await harness.runtime.connect();
  const { threadId } = await harness.runtime.openThread({ mode: "start", approvalPolicy: "never" });
  const body = cjk(200_000);
  const command = `cat > heredoc.txt <<'EOF'\n${body}\nEOF\nwc -c heredoc.txt`;
  harness.model.enqueue({ type: "command", command, escalated: false, finalText: "Wrote the heredoc." });
  const first = await harness.runtime.sendTurn("write the big file");

  const turnOf = async (turnId: string) =>
    ((await harness.device.query(chat.threadState, { threadId })) as { recentTurns: Turn[] }).recentTurns.find((t) => t.turnId === turnId);
  await waitFor(() => turnOf(first.turnId), (t) => t?.status === "completed", 60_000);

  const items = (await harness.device.query(chat.threadItems, { threadId, turnId: first.turnId })) as Array<{
    details: { type: string; command?: string; commandActions?: Array<{ command: string }> };
  }>;
  const run = items.find((i) => i.details.type === "commandExecution");
  expect(run, "the command's item is stored").toBeDefined();
  // Cut with the marker, within its byte cap (the full heredoc is ~600 KB). codex reports it
  // as `/bin/bash -lc "…"`; the OS refuses an argument that long (E2BIG), and the turn goes on.
  expect(run!.details.command!).toContain("cat > heredoc.txt <<'EOF'");
  expect(run!.details.command!.endsWith(TRUNCATION_MARKER)).toBe(true);
  expect(utf8Bytes(run!.details.command!)).toBeLessThanOrEqual(COMMAND_MAX_BYTES);
  const actionBytes = run!.details.commandActions!.reduce((n, a) => n + utf8Bytes(a.command), 0);
  expect(actionBytes).toBeLessThanOrEqual(COMMAND_MAX_BYTES);

  harness.model.enqueue({ type: "text", text: "And the next turn lands too." });
  const second = await harness.runtime.sendTurn("anything else?");
  await waitFor(() => turnOf(second.turnId), (t) => t?.status === "completed", 30_000);
  const page = (await harness.device.query(chat.threadMessages, { threadId, paginationOpts: { numItems: 20, cursor: null } })) as { page: Msg[] };
  const replies = page.page.filter((m) => m.role === "assistant").map((m) => [m.turnId, m.text]);
  expect(replies).toEqual(
    expect.arrayContaining([
      [first.turnId, "Wrote the heredoc."],
      [second.turnId, "And the next turn lands too."],
    ]),
  );
  // Nothing was refused on the way: no oversize write, no event dropped.
  expect(oversizeWrites.length).toBe(writesBefore);
  expect(await harness.device.query(chat.droppedEvents, { threadId })).toEqual([]);
}, 120_000);
