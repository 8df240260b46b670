/**
 * The test backend refuses what a deployment refuses (src/testing/convexTest.ts): a document
 * over 1 MiB, and a transaction over Convex's limits.
 */
import { describe, expect, test } from "vitest";
import { oversizeWrites } from "../testing/convexTest.js";
import { setup } from "./test.helpers.js";

const message = (text: string) => ({
  tenantId: "acme", userId: "alice", threadId: "th", turnId: "T1", itemId: "a1",
  role: "assistant" as const, status: "completed" as const, text, order: 1, createdAt: 1,
});

describe("the test backend enforces Convex's limits", () => {
  test("a document over 1 MiB fails to write, as on a deployment, and is recorded", async () => {
    const t = setup();
    const before = oversizeWrites.length;
    // 350k CJK characters: 1.05 MB as UTF-8 (a count of characters would let it through).
    await expect(t.run((ctx) => ctx.db.insert("messages", message("界".repeat(350_000))))).rejects.toThrow(/Value is too large/);
    expect(oversizeWrites.length).toBe(before + 1);
    oversizeWrites.length = before;
    await t.run((ctx) => ctx.db.insert("messages", message("界".repeat(340_000))));
    // A patch that grows a document past the limit fails the same way.
    await expect(
      t.run(async (ctx) => {
        const id = await ctx.db.insert("messages", message("small"));
        await ctx.db.patch("messages", id, { text: "😀".repeat(270_000) });
      }),
    ).rejects.toThrow(/Value is too large/);
    oversizeWrites.length = before;
  });

  test("transaction limits are on: more than 16,000 writes in one function fail", async () => {
    const t = setup();
    await expect(
      t.run(async (ctx) => {
        for (let i = 0; i < 16_001; i++) await ctx.db.insert("stream_checkpoints", { tenantId: "a", userId: "u", deviceId: "d", threadId: "th", streamId: `s${i}`, cursor: i, updatedAt: i });
      }),
    ).rejects.toThrow(/too many documents/i);
  });
});
