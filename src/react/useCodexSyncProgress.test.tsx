import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../apps/example/convex/_generated/api.js";
import type { Thread } from "../protocol/generated/v2/Thread.js";
import { importChunks } from "../protocol/importChunks.js";
import recordedRead from "../protocol/testdata/thread-read.response.json" with { type: "json" };
import { createHarness } from "./testing/harness.js";
import type { CodexImportJobDoc } from "./types.js";
import { syncProgressOf, useCodexSyncProgress } from "./useCodexSyncProgress.js";

const thread = recordedRead.thread as unknown as Thread;

function Sync({ threadId }: { threadId: string }) {
  const { syncProgress } = useCodexSyncProgress(api.codex.threadSyncJob, { threadId });
  return <p data-testid="sync">{syncProgress === undefined ? "loading" : syncProgress === null ? "none" : `${syncProgress.syncState} · ${syncProgress.label}`}</p>;
}
const shown = () => screen.getByTestId("sync").textContent;

describe("useCodexSyncProgress", () => {
  test("a recorded codex thread imported through the app's wrappers: none → syncing → n/n synced", async () => {
    const h = createHarness();
    h.render(<Sync threadId={thread.id} />);
    await h.settle();
    expect(shown()).toBe("none");

    const job = await h.call(api.codex.startConversationSyncSource, { threadId: thread.id, preview: thread.preview });
    const chunks = await importChunks(thread.id, thread.turns);
    for (const [seq, chunk] of chunks.entries()) await h.call(api.codex.appendConversationSyncSourceChunk, { jobId: job._id, seq, ...chunk });
    const expected = chunks.reduce((n, c) => n + c.expected.length, 0);
    await h.settle();
    expect(shown()).toBe(`syncing · reading ${expected} messages`);

    await h.call(api.codex.sealConversationSyncSource, { jobId: job._id, chunkCount: chunks.length });
    for (let i = 0; i < 20 && !shown()!.startsWith("synced"); i++) await h.elapse(100);
    expect(shown()).toBe(`synced · ${expected}/${expected} synced`);
  });

  const job = (patch: Partial<CodexImportJobDoc>) =>
    ({ status: "collecting", chunks: 0, applied: 0, expectedMessages: 0, matchedMessages: 0, ...patch }) as CodexImportJobDoc;
  test.each([
    [{ status: "collecting", expectedMessages: 12 }, "syncing", "reading 12 messages"],
    [{ status: "running", chunks: 4, applied: 1, expectedMessages: 12 }, "syncing", "applying 1/4 chunks"],
    [{ status: "verifying", expectedMessages: 20, matchedMessages: 12 }, "syncing", "verifying 12/20"],
    [{ status: "synced", expectedMessages: 20, matchedMessages: 20 }, "synced", "20/20 synced"],
    [{ status: "failed", error: "2 messages differ" }, "failed", "sync failed: 2 messages differ"],
    [{ status: "cancelled" }, "cancelled", "sync cancelled"],
  ] as const)("%o → %s, %s", (patch, state, label) => {
    expect(syncProgressOf(job(patch as Partial<CodexImportJobDoc>))).toMatchObject({ syncState: state, label });
  });
});
