/**
 * The thread list with "More threads" clicked, against the real component: threads created
 * and moved to the top (a resume) while older pages are loaded never vanish at a page
 * boundary and never show twice. The control shows why the hooks pin page ends: convex's own
 * `usePaginatedQuery` over the same (component-safe, paginator) query loses the boundary row.
 */
import { screen } from "@testing-library/react";
import { usePaginatedQuery } from "convex/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import { createHarness, type Harness } from "./testing/harness.js";
import { useCodexThreads } from "./useCodexThreads.js";

type ListHook = (initialNumItems: number) => { results: Array<{ threadId: string }>; status: string; loadMore: (n: number) => void };

const pinned: ListHook = (n) => useCodexThreads(api.codex.listThreads, {}, { initialNumItems: n });
const unpinned: ListHook = (n) => usePaginatedQuery(api.codex.listThreads, {}, { initialNumItems: n });

function ThreadList({ hook }: { hook: ListHook }) {
  const { results, status, loadMore } = hook(10);
  return (
    <div>
      <p data-testid="status">{status}</p>
      <button onClick={() => loadMore(10)}>More threads</button>
      <ul>
        {results.map((t) => (
          <li key={t.threadId} data-testid="thread">
            {t.threadId}
          </li>
        ))}
      </ul>
    </div>
  );
}

const shown = () => screen.queryAllByTestId("thread").map((li) => li.textContent!);
const create = (h: Harness, threadId: string) => h.call(api.codex.ensureThread, { threadId });

async function listWithTwoMorePages(h: Harness, hook: ListHook) {
  for (let i = 0; i < 25; i++) await create(h, `th-${String(i).padStart(2, "0")}`);
  h.render(<ThreadList hook={hook} />);
  await h.settle();
  await h.act(() => screen.getByText("More threads").click());
  await h.act(() => screen.getByText("More threads").click());
  expect(shown()).toHaveLength(25);
  expect(screen.getByTestId("status").textContent).toBe("Exhausted");
}

/** The list as the server has it now, newest first. */
async function expected(h: Harness): Promise<string[]> {
  const all = (await h.backend.query(api.codex.listThreads, { paginationOpts: { numItems: 200, cursor: null } })) as {
    page: Array<{ threadId: string }>;
  };
  return all.page.map((t) => t.threadId);
}

describe("useCodexThreads", () => {
  test("a 26th thread and threads moving to the top while three pages are loaded: each thread once", async () => {
    const h = createHarness();
    await listWithTwoMorePages(h, pinned);

    await create(h, "th-26");
    expect(shown()).toEqual(await expected(h));
    // The threads at the old page boundaries move to the top, one after the other.
    for (const at of [10, 20, 9, 19]) {
      const threadId = shown()[at]!;
      await h.call(api.codex.resume, { threadId });
      expect(shown(), `after resuming ${threadId}`).toEqual(await expected(h));
    }
    await create(h, "th-27");
    const now = shown();
    expect(new Set(now).size).toBe(now.length);
    expect(now).toEqual(await expected(h));
    expect(now).toHaveLength(27);
  });

  test("control: convex's usePaginatedQuery over the same query drops the thread at a page boundary", async () => {
    const h = createHarness();
    await listWithTwoMorePages(h, unpinned);
    await create(h, "th-26");
    const missing = (await expected(h)).filter((id) => !shown().includes(id));
    expect(missing.length).toBeGreaterThan(0);
  });
});
