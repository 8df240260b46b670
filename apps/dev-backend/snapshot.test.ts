// A dev backend stopped and started again on the same snapshot file keeps its data: rows,
// the ids between them (rewritten to the restored rows'), and scheduled work.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { startDevBackend } from "./src/index.js";

test("a restart on the same snapshot file keeps threads, commands and the ids that tie them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dev-backend-snapshot-"));
  const snapshotFile = join(dir, "state.json");
  try {
    const first = await startDevBackend({ snapshotFile });
    const alice = first.as("alice");
    await alice.mutation("codex:ensureThread", { threadId: "th-1" });
    await alice.mutation("codex:ensureThread", { threadId: "th-2" });
    const ticket = (await alice.mutation("codex:registerTurnStart", { threadId: "th-1", inputText: "hello", idempotencyKey: "k1" })) as { commandId: string };
    const before = await alice.query("codex:commandsPending", { threadId: "th-1" });
    await first.stop();

    const second = await startDevBackend({ snapshotFile });
    try {
      const again = second.as("alice");
      const threads = (await again.query("codex:listThreads", { paginationOpts: { numItems: 10, cursor: null } })) as { page: Array<{ threadId: string }> };
      expect(threads.page.map((t) => t.threadId).sort()).toEqual(["th-1", "th-2"]);
      const pending = (await again.query("codex:commandsPending", { threadId: "th-1" })) as Array<{ _id: string; input: unknown }>;
      expect(pending.map((c) => c.input)).toEqual((before as Array<{ input: unknown }>).map((c) => c.input));
      // The restored command is found by its (new) id, and the same idempotency key is the same command.
      const status = await again.query("codex:commandStatus", { commandId: pending[0]!._id });
      expect(status).toMatchObject({ status: "queued" });
      const retry = (await again.mutation("codex:registerTurnStart", { threadId: "th-1", inputText: "hello", idempotencyKey: "k1" })) as { commandId: string; deduplicated?: boolean };
      expect(retry.commandId).toBe(pending[0]!._id);
      expect(typeof ticket.commandId).toBe("string");
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
