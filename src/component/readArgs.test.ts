/**
 * The data-plane reads (messages, items, reasoning, streams) check their ids the way the
 * control plane does: an empty threadId or turnId is a caller bug, reported as
 * E_INVALID_ARGUMENT, not an empty answer that looks like "no data yet".
 */
import { describe, expect, test } from "vitest";
import { codexTranscript, turnIds } from "../protocol/testing/events.js";
import { api } from "./_generated/api.js";
import { ErrorCode } from "../contract/errors.js";
import { alice, ingest, newTest } from "./testdata/harness.testonly.js";
import { errorCode } from "./test.helpers.js";

const page = { numItems: 10, cursor: null };

describe("empty ids", () => {
  test("every data-plane read refuses an empty threadId or turnId, like threads.get does", async () => {
    const t = newTest();
    const { threadId, events } = codexTranscript("streamed-text");
    await ingest(t, alice, threadId, events);
    const [turnId] = turnIds(events);

    const calls: Array<[string, () => Promise<unknown>]> = [
      ["threads.get", () => t.query(api.threads.get, { actor: alice, threadId: "" })],
      ["messages.listMessages", () => t.query(api.messages.listMessages, { actor: alice, threadId: "", paginationOpts: page })],
      ["messages.listTurnMessages threadId", () => t.query(api.messages.listTurnMessages, { actor: alice, threadId: "", turnId: turnId! })],
      ["messages.listTurnMessages turnId", () => t.query(api.messages.listTurnMessages, { actor: alice, threadId, turnId: " " })],
      ["items.listItems threadId", () => t.query(api.items.listItems, { actor: alice, threadId: "" })],
      ["items.listItems turnId", () => t.query(api.items.listItems, { actor: alice, threadId, turnId: "" })],
      ["reasoning.listReasoningByThread", () => t.query(api.reasoning.listReasoningByThread, { actor: alice, threadId: "", paginationOpts: page })],
      ["streams.replay", () => t.query(api.streams.replay, { actor: alice, threadId: "", streamCursorsById: [] })],
      ["streams.resume threadId", () => t.query(api.streams.resume, { actor: alice, threadId: "", turnId: turnId!, fromCursor: 0 })],
      ["streams.resume turnId", () => t.query(api.streams.resume, { actor: alice, threadId, turnId: "", fromCursor: 0 })],
      ["streams.getCheckpoints", () => t.query(api.streams.getCheckpoints, { actor: alice, threadId: "" })],
      ["streams.saveCheckpoint", () => t.mutation(api.streams.saveCheckpoint, { actor: alice, threadId: "", cursors: [] })],
    ];
    const codes: Record<string, string> = {};
    for (const [name, call] of calls) codes[name] = await errorCode(call());
    expect(codes).toEqual(Object.fromEntries(calls.map(([name]) => [name, ErrorCode.invalidArgument])));

    // The same reads with the real ids answer normally.
    expect(await t.query(api.messages.listTurnMessages, { actor: alice, threadId, turnId: turnId! })).toHaveLength(2);
    expect((await t.query(api.streams.replay, { actor: alice, threadId, streamCursorsById: [] })).streams).toHaveLength(1);
  });
});
