// The dev backend under the UNMODIFIED ConvexReactClient (happy-dom, the `ws` socket):
// usePaginatedQuery keeps its page boundaries while rows come and go (query journals), and
// optimistic updates show at once, then give way to the server's result or roll back.
import { act, cleanup, render, screen } from "@testing-library/react";
import { ConvexProvider, useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { api } from "./conformance/convex/_generated/api.js";
import { appFromDir, startDevBackend, type DevBackend } from "./src/index.js";
import { connectReactClient, type TestReactClient } from "./src/testing.js";

const here = dirname(fileURLToPath(import.meta.url));
let backend: DevBackend;
let session: TestReactClient | undefined;

beforeAll(async () => {
  backend = await startDevBackend({ app: await appFromDir(join(here, "conformance/convex")) });
});
afterEach(async () => {
  cleanup();
  await session?.close();
  session = undefined;
  await backend.reset();
});
afterAll(() => backend.stop());

function renderWithClient(ui: React.ReactNode) {
  session = connectReactClient(backend);
  render(<ConvexProvider client={session.client}>{ui}</ConvexProvider>);
  return session;
}
const settle = () => act(() => session!.settled());
const texts = () => screen.queryAllByTestId("note").map((li) => li.textContent);
const add = (text: string, rank?: number) => backend.as("alice").mutation("notes:add", { list: "p", text, ...(rank !== undefined ? { rank } : {}) });

function Pages() {
  const { results, status, loadMore } = usePaginatedQuery(api.notes.page, { list: "p" }, { initialNumItems: 3 });
  return (
    <div>
      <p data-testid="status">{status}</p>
      <button onClick={() => loadMore(3)}>more</button>
      <ul>
        {results.map((n) => (
          <li key={n._id} data-testid="note">
            {n.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

describe("usePaginatedQuery on the dev backend", () => {
  test("loadMore, then rows inserted inside the first page and its boundary row deleted: nothing skipped or shown twice", async () => {
    const ids = new Map<string, string>();
    for (const [text, rank] of [["r1", 1], ["r2", 2], ["r3", 3], ["r4", 4], ["r5", 5]] as const) ids.set(text, (await add(text, rank)) as string);
    renderWithClient(<Pages />);
    await settle();
    expect(texts()).toEqual(["r1", "r2", "r3"]);
    expect(screen.getByTestId("status").textContent).toBe("CanLoadMore");
    await act(async () => screen.getByText("more").click());
    await settle();
    expect(texts()).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    expect(screen.getByTestId("status").textContent).toBe("Exhausted");

    // Into the first page: it grows (its end stays at r3) instead of pushing r3 out of sight.
    await add("r1.5", 1.5);
    await settle();
    expect(texts()).toEqual(["r1", "r1.5", "r2", "r3", "r4", "r5"]);
    // Its boundary row goes: the pages still meet where they met.
    await backend.as("alice").mutation("notes:remove", { id: ids.get("r3")! });
    await settle();
    expect(texts()).toEqual(["r1", "r1.5", "r2", "r4", "r5"]);
    // Past the end: the last page takes it.
    await add("r6", 6);
    await settle();
    expect(texts()).toEqual(["r1", "r1.5", "r2", "r4", "r5", "r6"]);
  });
});

function Notes({ list }: { list: string }) {
  const notes = useQuery(api.notes.all, { list });
  const withSending = (text: string) => (store: Parameters<Parameters<ReturnType<typeof useMutation>["withOptimisticUpdate"]>[0]>[0]) =>
    store.setQuery(api.notes.all, { list }, [...(store.getQuery(api.notes.all, { list }) ?? []), `${text} (sending)`]);
  const send = useMutation(api.notes.add).withOptimisticUpdate((store, args) => withSending(args.text)(store));
  const refuse = useMutation(api.notes.refuse).withOptimisticUpdate((store) => withSending("doomed")(store));
  return (
    <div>
      <button onClick={() => void send({ list, text: "hello" })}>send</button>
      <button onClick={() => void refuse({ code: "E_NO" }).catch(() => undefined)}>refuse</button>
      <ul>{notes?.map((text) => <li key={text} data-testid="note">{text}</li>)}</ul>
    </div>
  );
}

describe("optimistic updates on the dev backend", () => {
  test("shown at once, replaced by the server's result; rolled back when the mutation fails", async () => {
    renderWithClient(<Notes list="o" />);
    await settle();
    expect(texts()).toEqual([]);

    const release = backend.testing.engine.pause("notes:add");
    await act(async () => screen.getByText("send").click());
    await settle();
    expect(texts()).toEqual(["hello (sending)"]);
    release();
    await settle();
    expect(texts()).toEqual(["hello"]);

    const releaseRefusal = backend.testing.engine.pause("notes:refuse");
    await act(async () => screen.getByText("refuse").click());
    await settle();
    expect(texts()).toEqual(["hello", "doomed (sending)"]);
    releaseRefusal();
    await settle();
    expect(texts()).toEqual(["hello"]);
  });
});
