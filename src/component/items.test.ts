/**
 * `listItemsPage`: a thread's items newest first in pages with pinned ends (lib/pages.ts),
 * on convex-test with Convex's limits on: every item once across pages while items keep
 * arriving, the owner's only, `numItems` capped, bad page arguments refused with a code.
 */
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { PAGE_MAX_ITEMS } from "../contract/limits.js";
import { agentItem, alice, bob, ingest, itemCompleted, newTest, turnStarted, userItem, type T } from "./testdata/harness.testonly.js";
import { errorCode } from "./test.helpers.js";
import type { Actor } from "./validators.js";

const TH = "thread-1";
type Opts = { numItems: number; cursor: string | null; endCursor?: string };
type Page = { page: Array<{ turnId: string; itemId: string }>; isDone: boolean; continueCursor: string };

const pageOf = async (t: T, paginationOpts: Opts, actor: Actor = alice) =>
  (await t.query(api.items.listItemsPage, { actor, threadId: TH, paginationOpts })) as Page;
const ids = (page: Page) => page.page.map((i) => `${i.turnId}/${i.itemId}`);

/** Turns `T000`… from `from`, each a question and a reply (turn ids order as codex's UUIDv7 do). */
async function seedTurns(t: T, actor: Actor, from: number, count: number) {
  const events = [];
  for (let n = from; n < from + count; n++) {
    const turnId = `T${String(n).padStart(3, "0")}`;
    events.push(turnStarted(turnId), itemCompleted(turnId, userItem(`u${n}`, `q${n}`)), itemCompleted(turnId, agentItem(`a${n}`, `a${n}`)));
  }
  await ingest(t, actor, TH, events);
}
const expectedIds = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => {
    const turnId = `T${String(to - 1 - i).padStart(3, "0")}`;
    return [`${turnId}/a${to - 1 - i}`, `${turnId}/u${to - 1 - i}`];
  }).flat();

describe("items.listItemsPage", () => {
  test("newest first in pages; a pinned first page takes what arrives, the older page stays adjacent", async () => {
    const t = newTest();
    await seedTurns(t, alice, 0, 130);
    const first = await pageOf(t, { numItems: 200, cursor: null });
    expect(first.page).toHaveLength(200);
    expect(first.isDone).toBe(false);
    const older = await pageOf(t, { numItems: 200, cursor: first.continueCursor });
    expect(older.isDone).toBe(true);
    expect([...ids(first), ...ids(older)]).toEqual(expectedIds(0, 130));

    // As the hook holds them once older history is loaded: the first page pinned at its end.
    const pinned: Opts = { numItems: 200, cursor: null, endCursor: first.continueCursor };
    await seedTurns(t, alice, 130, 5);
    const now = [...ids(await pageOf(t, pinned)), ...ids(await pageOf(t, { numItems: 200, cursor: first.continueCursor }))];
    expect(now).toEqual(expectedIds(0, 135));
    expect(new Set(now).size).toBe(now.length);
  });

  test("only the owner's items: another user's thread of the same id is not listed", async () => {
    const t = newTest();
    await seedTurns(t, alice, 0, 2);
    await seedTurns(t, bob, 0, 3);
    expect(ids(await pageOf(t, { numItems: 50, cursor: null }))).toEqual(expectedIds(0, 2));
    expect(ids(await pageOf(t, { numItems: 50, cursor: null }, bob))).toEqual(expectedIds(0, 3));
  });

  test("numItems is capped; numbers and cursors that are not a page are refused with a code", async () => {
    const t = newTest();
    await seedTurns(t, alice, 0, PAGE_MAX_ITEMS / 2 + 3);
    expect((await pageOf(t, { numItems: 100_000, cursor: null })).page).toHaveLength(PAGE_MAX_ITEMS);
    for (const numItems of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(await errorCode(pageOf(t, { numItems, cursor: null }))).toBe(ErrorCode.invalidArgument);
    }
    expect(await errorCode(pageOf(t, { numItems: 5, cursor: "not a cursor" }))).toBe(ErrorCode.invalidArgument);
    expect(await errorCode(t.query(api.items.listItemsPage, { actor: alice, threadId: " ", paginationOpts: { numItems: 5, cursor: null } }))).toBe(
      ErrorCode.invalidArgument,
    );
  });
});
