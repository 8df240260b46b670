/**
 * The cascade covers every table of the schema. For each kind of deletion (a thread, a turn,
 * an owner's purge) and EVERY table in `schema.ts`: the table's plan says how it holds the
 * target's rows, or why it holds none. A table with rows of the target must have had some
 * seeded (so a table added later, without a seed here, fails this test) and has none left;
 * every other owner's and thread's rows — with identical ids — are untouched.
 */
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import type { TableNames } from "./_generated/dataModel.js";
import { plans } from "./lib/cascade.js";
import schema from "./schema.js";
import { alice, bob, newTest, type T } from "./testdata/harness.testonly.js";
import { T1, T1_STREAMS, seedEveryTable } from "./testdata/everyTable.testonly.js";
import type { Actor } from "./validators.js";

/** Same user id as alice, another tenant: another owner. */
const aliceElsewhere: Actor = { tenantId: "globex", userId: "alice" };
const tables = Object.keys(schema.tables) as TableNames[];
/** What a deletion leaves on purpose: the record that it happened. */
const RECORDS_OF_DELETION = new Set<TableNames>(["tombstones", "deletion_jobs"]);
/** Rows deleted with their stream (they name no owner, or no turn), not by a range of their own. */
const DELETED_WITH_STREAMS = (table: TableNames, scope: Scope) => table === "stream_deltas" || (table === "stream_checkpoints" && scope.kind === "turn");

type Row = Record<string, unknown> & { _id: string };
type Scope = { kind: "thread" | "turn" | "actor"; actor: Actor; threadId?: string; turnId?: string };

async function everything(t: T) {
  return await t.run(async (ctx) => {
    const all = {} as Record<TableNames, Row[]>;
    for (const table of tables) all[table] = (await ctx.db.query(table).collect()) as unknown as Row[];
    return all;
  });
}

/** Whether a row belongs to the deletion's target, read from its own fields (not from the plans under test). */
function belongs(table: TableNames, row: Row, scope: Scope, streamKeys: Set<string>, streamIds: Set<string>): boolean {
  if (table === "stream_deltas") return streamKeys.has(row.k as string);
  if (row.tenantId !== scope.actor.tenantId || row.userId !== scope.actor.userId) return false;
  if (scope.kind === "actor") return true;
  if (row.threadId !== scope.threadId) return false;
  if (scope.kind === "thread") return true;
  if (table === "stream_checkpoints") return streamIds.has(row.streamId as string);
  return row.turnId === scope.turnId;
}

async function seedAll(t: T) {
  await seedEveryTable(t, alice, "thr-a");
  await seedEveryTable(t, alice, "thr-b");
  // Identical ids under two other owners: only the owner tells them apart.
  await seedEveryTable(t, bob, "thr-a", "bob-session");
  await seedEveryTable(t, aliceElsewhere, "thr-a", "elsewhere-session");
}

const cases: Array<{ scope: Scope; run: (t: T) => Promise<{ deleted: Record<string, number> }> }> = [
  { scope: { kind: "thread", actor: alice, threadId: "thr-a" }, run: (t) => t.mutation(api.deletion.deleteThread, { actor: alice, threadId: "thr-a" }) },
  { scope: { kind: "turn", actor: alice, threadId: "thr-a", turnId: T1 }, run: (t) => t.mutation(api.deletion.deleteTurn, { actor: alice, threadId: "thr-a", turnId: T1 }) },
  { scope: { kind: "actor", actor: alice }, run: (t) => t.mutation(api.deletion.purgeActorData, { actor: alice }) },
];

describe("the cascade covers every table", () => {
  test.each(cases)("deleting a $scope.kind: every table's rows of it go, nobody else's", async ({ scope, run }) => {
    const t = newTest();
    await seedAll(t);
    const before = await everything(t);
    const targetStreams = before.streams.filter((s) => belongs("streams", s, scope, new Set(), new Set(T1_STREAMS)));
    const streamKeys = new Set(targetStreams.map((s) => s.key as string));
    const streamIds = new Set(targetStreams.map((s) => s.streamId as string));
    const mine = (table: TableNames, rows: Row[]) => rows.filter((r) => belongs(table, r, scope, streamKeys, streamIds));

    const result = await run(t);
    const after = await everything(t);
    const afterIds = (table: TableNames) => new Set(after[table].map((r) => r._id));

    for (const table of tables) {
      const plan = plans[table][scope.kind];
      const target = { ...scope, owner: { tenantId: scope.actor.tenantId!, userId: scope.actor.userId } };
      const theTargets = (rows: Row[]) => mine(table, rows).filter((r) => !("range" in plan && plan.spare?.(r as never, target as never)));
      const targetRows = theTargets(before[table]);
      // A table nobody seeded could not show a forgotten plan: seed it above.
      expect(before[table].length, `seed rows of ${table}`).toBeGreaterThan(0);
      if ("range" in plan || DELETED_WITH_STREAMS(table, scope)) {
        expect(targetRows.length, `seed a row of ${table} for a ${scope.kind} (its plan deletes some)`).toBeGreaterThan(0);
        expect(theTargets(after[table]), `${table}: rows of the deleted ${scope.kind}`).toEqual([]);
        expect(result.deleted[table], `${table}: counted`).toBe(targetRows.length);
      } else if (!RECORDS_OF_DELETION.has(table)) {
        // Exempt: it holds no row of the target (a table that does needs a plan, not an exemption).
        expect(targetRows, `${table} is exempt (${plan.exempt}) yet holds rows of the ${scope.kind}`).toEqual([]);
      }
      // Everything that was not the target's is still there.
      const others = before[table].filter((r) => !targetRows.includes(r));
      const kept = afterIds(table);
      expect(others.filter((r) => !kept.has(r._id)), `${table}: rows of others were deleted`).toEqual([]);
    }
    // The deletion is remembered (ids only), so codex cannot bring it back.
    const tombstones = after.tombstones.filter((r) => r.tenantId === scope.actor.tenantId && r.userId === scope.actor.userId && !String(r.threadId).endsWith("-deleted-before"));
    const expected = scope.kind === "thread" ? [["thr-a", undefined]] : scope.kind === "turn" ? [["thr-a", T1]] : [["thr-a", undefined], ["thr-b", undefined]];
    expect(tombstones.map((r) => [r.threadId, r.turnId]).sort()).toEqual(expected.sort());
  });

  test("a turn's deletion leaves its thread counting only what is left", async () => {
    const t = newTest();
    await seedEveryTable(t, alice, "thr-a");
    const thread = async () => (await t.query(api.threads.get, { actor: alice, threadId: "thr-a" }))!;
    expect(await thread()).toMatchObject({ turnCount: 2, messageCount: 3, lastTurnId: "turn-2" });
    await t.mutation(api.deletion.deleteTurn, { actor: alice, threadId: "thr-a", turnId: "turn-2" });
    expect(await thread()).toMatchObject({ turnCount: 1, messageCount: 2, lastTurnId: T1 });
    const page = await t.query(api.messages.listMessages, { actor: alice, threadId: "thr-a", paginationOpts: { numItems: 10, cursor: null } });
    expect(page.page.map((m) => m.turnId)).toEqual([T1, T1]);
  });
});
