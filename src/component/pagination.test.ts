/**
 * Pages with pinned ends (lib/pages.ts) stay adjacent while rows are inserted, moved and
 * deleted: re-reading every loaded page, each row of the range shows exactly once. The
 * same walk with the last-but-one page left unpinned loses a row: pinning is what holds.
 */
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { PAGE_MAX_ITEMS } from "../contract/limits.js";
import { alice, errorCode, setup, type T } from "./test.helpers.js";
import { ErrorCode } from "../contract/errors.js";

type Opts = { numItems: number; cursor: string | null; endCursor?: string };
type Page = { page: Array<{ threadId: string }>; isDone: boolean; continueCursor: string; pageStatus?: string | null; splitCursor?: string | null };

const list = (t: T, paginationOpts: Opts) => t.query(api.threads.list, { actor: alice, paginationOpts }) as Promise<Page>;

/** What a client holding `pages` shows: each page as last asked for, in order. */
async function shown(t: T, pages: Opts[]): Promise<string[]> {
  const out: string[] = [];
  for (const opts of pages) out.push(...(await list(t, opts)).page.map((r) => r.threadId));
  return out;
}

async function allThreads(t: T): Promise<string[]> {
  return (await list(t, { numItems: PAGE_MAX_ITEMS, cursor: null })).page.map((r) => r.threadId);
}

/** Loads pages of `size` as the hooks do: each page but the last pinned at the end it first had. */
async function loadPages(t: T, size: number, count: number, pin: boolean): Promise<Opts[]> {
  const pages: Opts[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < count; i++) {
    const opts: Opts = { numItems: size, cursor };
    const result = await list(t, opts);
    pages.push(opts);
    if (i < count - 1 && pin) pages[i] = { ...opts, endCursor: result.continueCursor };
    cursor = result.continueCursor;
  }
  return pages;
}

async function seed(t: T, n: number) {
  for (let i = 0; i < n; i++) await t.mutation(api.threads.create, { actor: alice, threadId: `th-${String(i).padStart(3, "0")}` });
}

describe("pinned pages", () => {
  test("inserts, moves and deletes at and around page boundaries: every thread once, none skipped", async () => {
    const t = setup();
    await seed(t, 25);
    // Three pages of 10 (the last one open), as a list with "More threads" clicked twice.
    const pages = await loadPages(t, 10, 3, true);
    expect(await shown(t, pages)).toEqual(await allThreads(t));

    let next = 100;
    // A fixed sequence that keeps touching the rows at the page boundaries.
    const steps = ["create", "resume:9", "archive:10", "create", "resume:19", "archive:0", "create", "resume:20", "archive:11", "create"];
    for (const step of steps) {
      const [op, at] = step.split(":");
      const current = await shown(t, pages);
      const threadId = op === "create" ? `th-${next++}` : current[Number(at)]!;
      if (op === "create") await t.mutation(api.threads.create, { actor: alice, threadId });
      if (op === "resume") await t.mutation(api.threads.resume, { actor: alice, threadId });
      if (op === "archive") await t.mutation(api.threads.archive, { actor: alice, threadId });
      const now = await shown(t, pages);
      expect(new Set(now).size, `${step}: a thread shown twice`).toBe(now.length);
      expect(now, `after ${step}`).toEqual(await allThreads(t));
    }
  });

  test("control: the same walk without pinned ends loses the thread at a boundary", async () => {
    const t = setup();
    await seed(t, 25);
    const pages = await loadPages(t, 10, 3, false);
    await t.mutation(api.threads.create, { actor: alice, threadId: "th-new" });
    const now = await shown(t, pages);
    expect(now.length).toBe(25);
    expect((await allThreads(t)).filter((id) => !now.includes(id))).toHaveLength(1);
  });

  test("numItems is capped; a pinned page past its read cap says SplitRequired and keeps its end", async () => {
    const t = setup();
    await seed(t, PAGE_MAX_ITEMS + 5);
    const big = await list(t, { numItems: 100_000, cursor: null });
    expect(big.page).toHaveLength(PAGE_MAX_ITEMS);
    expect(big.isDone).toBe(false);

    const first = await list(t, { numItems: 5, cursor: null });
    const pinned = await list(t, { numItems: 5, cursor: null, endCursor: first.continueCursor, maximumRowsRead: 3 } as Opts);
    expect(pinned.pageStatus).toBe("SplitRequired");
    expect(pinned.continueCursor).toBe(first.continueCursor);
    // The two halves the client asks for next cover the pinned page exactly.
    const left = await list(t, { numItems: 5, cursor: null, endCursor: pinned.splitCursor! });
    const right = await list(t, { numItems: 5, cursor: pinned.splitCursor!, endCursor: pinned.continueCursor });
    expect([...left.page, ...right.page].map((r) => r.threadId)).toEqual(first.page.map((r) => r.threadId));
  });

  test("numbers and cursors that are not a page are refused with a code", async () => {
    const t = setup();
    await seed(t, 2);
    for (const numItems of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(await errorCode(list(t, { numItems, cursor: null }))).toBe(ErrorCode.invalidArgument);
    }
    expect(await errorCode(list(t, { numItems: 5, cursor: "not a cursor" }))).toBe(ErrorCode.invalidArgument);
    expect((await list(t, { numItems: 0, cursor: null })).page).toEqual([]);
  });
});
