/**
 * Every table's largest row, written through the component's own functions with every field
 * at the most it allows (client input at its cap, codex output over it, lists over theirs, in 4-byte emoji
 * where bytes are capped and 3-byte CJK where a cap counts UTF-16 units), measured as Convex
 * measures documents, and shown to fit under 1 MiB. Prints the table the README's data-model
 * section carries (`pnpm sizes:rows`).
 */
import { getDocumentSize } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import {
  DERIVED_ID_MAX_BYTES,
  DOCUMENT_MAX_BYTES,
  COMMAND_MAX_BYTES,
  ID_MAX_BYTES,
  IMPORT_CHUNK_MAX_BYTES,
  IMPORT_CHUNK_MAX_EVENTS,
  IMPORT_CHUNK_MAX_MESSAGES,
  IMPORT_CHUNK_MAX_TURNS,
  ITEM_LIST_MAX_ENTRIES,
  ITEM_TEXT_MAX_BYTES,
  ITEM_TEXT_PREVIEW_BYTES,
  NAME_MAX_BYTES,
  NOTE_MAX_BYTES,
  PATH_MAX_BYTES,
  RESPONSE_JSON_MAX_BYTES,
  STREAM_DELTA_ROW_MAX_CHARS,
  TURN_INPUT_MAX_BYTES,
  eventDroppedRecord,
  utf8Bytes,
} from "../contract/limits.js";
import { ingest, lifecycle, newTest, snapshot } from "./testdata/harness.testonly.js";
import schema from "./schema.js";
import type { Actor, InboundEvent } from "./validators.js";

/** The longest string of 4-byte characters within `bytes`. */
const fit = (bytes: number) => "😀".repeat(Math.floor(bytes / 4));
/** Codex output just over a cap of `bytes`, cut where it is stored. */
const over = (bytes: number) => fit(bytes) + "😀😀";
const many = <T,>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

const actor: Actor = { tenantId: fit(ID_MAX_BYTES), userId: fit(ID_MAX_BYTES), deviceId: fit(ID_MAX_BYTES) };
const TH = fit(ID_MAX_BYTES);
const T1 = fit(ID_MAX_BYTES - 4) + "1";
const T2 = fit(ID_MAX_BYTES - 4) + "2";
const item = (n: number) => fit(ID_MAX_BYTES - 4) + String(n);
const session = fit(ID_MAX_BYTES);

const event = (kind: string, payload: unknown, turnId?: string, itemId?: string): InboundEvent => ({
  ...lifecycle(kind, payload),
  eventId: fit(DERIVED_ID_MAX_BYTES - 8) + String(Math.random()).slice(2, 6),
  ...(turnId ? { turnId } : {}),
  ...(itemId ? { itemId } : {}),
});
const completed = (turnId: string, raw: Record<string, unknown>) => event("item/completed", { threadId: TH, turnId, item: raw }, turnId, raw.id as string);

describe("worst-case rows", () => {
  test("every table's largest row fits in 1 MiB", async () => {
    const t = newTest();
    const send = async (events: InboundEvent[]) => expect((await ingest(t, actor, TH, events, session)).rejected).toEqual([]);
    await t.mutation(api.threads.create, { actor, threadId: TH, name: fit(NAME_MAX_BYTES), model: fit(NAME_MAX_BYTES), cwd: fit(PATH_MAX_BYTES) });
    await send([event("thread/started", { thread: { id: TH, name: over(NAME_MAX_BYTES), preview: over(ITEM_TEXT_PREVIEW_BYTES), model: over(NAME_MAX_BYTES), cwd: over(PATH_MAX_BYTES) } })]);

    // A device's turn, claimed and completed by the bridge: the command row at its fullest.
    await t.mutation(api.sessions.open, { actor, sessionId: session, deviceId: fit(ID_MAX_BYTES) });
    const input = [{ type: "text" as const, text: fit(TURN_INPUT_MAX_BYTES - 64) }];
    const ticket = await t.mutation(api.turns.start, { actor, threadId: TH, idempotencyKey: fit(ID_MAX_BYTES), input });
    await t.mutation(api.commands.claim, { actor, sessionId: session, commandId: ticket.commandId });
    await t.mutation(api.commands.complete, { actor, sessionId: session, commandId: ticket.commandId, turnId: T1 });
    const failing = await t.mutation(api.turns.start, { actor, threadId: TH, idempotencyKey: fit(ID_MAX_BYTES - 4) + "k", input });
    await t.mutation(api.commands.claim, { actor, sessionId: session, commandId: failing.commandId });
    await t.mutation(api.commands.complete, { actor, sessionId: session, commandId: failing.commandId, error: over(NOTE_MAX_BYTES) });

    const turnPayload = (turnId: string, status: string) => ({
      threadId: TH,
      turn: { id: turnId, status, items: [], error: { message: over(NOTE_MAX_BYTES), codexErrorInfo: { detail: over(NOTE_MAX_BYTES) } }, startedAt: 1, durationMs: 1 },
    });
    await send([event("turn/started", turnPayload(T1, "inProgress"), T1)]);
    await send([event("turn/diff/updated", { threadId: TH, turnId: T1, diff: over(ITEM_TEXT_MAX_BYTES) }, T1)]);
    const tokens = { totalTokens: 1, inputTokens: 1, cachedInputTokens: 1, outputTokens: 1, reasoningOutputTokens: 1 };
    await send([event("thread/tokenUsage/updated", { threadId: TH, turnId: T1, tokenUsage: { total: tokens, last: tokens, modelContextWindow: 1 } }, T1)]);
    // The turn's plan beside its diff and error: far more steps than kept, every text over its cap.
    const steps = many(100, () => ({ step: over(4 * 1024), status: "inProgress" }));
    await send([event("turn/plan/updated", { threadId: TH, turnId: T1, explanation: over(NOTE_MAX_BYTES), plan: steps }, T1)]);

    // Every item type codex has, every string far over its cap, lists far over theirs.
    const action = (i: number) => ({ type: ["read", "listFiles", "search", "unknown"][i % 4], command: over(COMMAND_MAX_BYTES), name: over(NAME_MAX_BYTES), path: over(PATH_MAX_BYTES), query: over(NOTE_MAX_BYTES) });
    const items: Array<Record<string, unknown>> = [
      { type: "userMessage", id: item(1), content: [{ type: "text", text: over(ITEM_TEXT_MAX_BYTES) }] },
      { type: "agentMessage", id: item(2), text: over(ITEM_TEXT_MAX_BYTES), phase: over(NAME_MAX_BYTES) },
      { type: "plan", id: item(3), text: over(ITEM_TEXT_MAX_BYTES) },
      { type: "reasoning", id: item(4), summary: [over(ITEM_TEXT_MAX_BYTES), ...many(ITEM_LIST_MAX_ENTRIES + 6, () => over(ITEM_TEXT_PREVIEW_BYTES))], content: [over(ITEM_TEXT_MAX_BYTES)] },
      { type: "commandExecution", id: item(5), command: over(COMMAND_MAX_BYTES), cwd: over(PATH_MAX_BYTES), source: over(NAME_MAX_BYTES), status: "completed", commandActions: many(ITEM_LIST_MAX_ENTRIES + 6, action), aggregatedOutput: over(ITEM_TEXT_MAX_BYTES), exitCode: 1, durationMs: 1 },
      { type: "fileChange", id: item(6), status: "completed", changes: many(300, (i) => ({ path: over(PATH_MAX_BYTES), kind: { type: "update", move_path: over(PATH_MAX_BYTES) }, diff: i === 0 ? over(ITEM_TEXT_MAX_BYTES) : "+x" })) },
      { type: "mcpToolCall", id: item(7), server: over(NAME_MAX_BYTES), tool: over(NAME_MAX_BYTES), arguments: { a: over(ITEM_TEXT_MAX_BYTES / 2) }, result: { r: over(ITEM_TEXT_MAX_BYTES / 2) }, error: { message: over(NOTE_MAX_BYTES) }, status: "completed" },
      { type: "dynamicToolCall", id: item(8), tool: over(NAME_MAX_BYTES), namespace: over(NAME_MAX_BYTES), arguments: { a: over(ITEM_TEXT_MAX_BYTES / 2) }, success: true },
      { type: "collabAgentToolCall", id: item(9), tool: over(NAME_MAX_BYTES), prompt: over(ITEM_TEXT_MAX_BYTES / 2), receiverThreadIds: many(ITEM_LIST_MAX_ENTRIES + 6, () => over(ID_MAX_BYTES)) },
      { type: "webSearch", id: item(10), query: over(NOTE_MAX_BYTES) },
      { type: "imageView", id: item(11), path: over(PATH_MAX_BYTES) },
      { type: "imageGeneration", id: item(12), revisedPrompt: over(NOTE_MAX_BYTES), savedPath: over(PATH_MAX_BYTES) },
      { type: "enteredReviewMode", id: item(13), review: over(ITEM_TEXT_MAX_BYTES / 2) },
      { type: over(NAME_MAX_BYTES), id: item(14) },
    ];
    for (const raw of items) await send([completed(T1, raw)]);
    // A reply whose stream is long: delta rows at their cap, 3-byte characters.
    const streamId = fit(DERIVED_ID_MAX_BYTES);
    const text = "界".repeat(STREAM_DELTA_ROW_MAX_CHARS * 2);
    await send([{ type: "stream_delta", eventId: streamId.slice(0, -8) + "@0", turnId: T1, itemId: item(15), streamId, channel: "agentMessage", delta: text, cursorStart: 0, cursorEnd: text.length, createdAt: 1 }]);
    await t.mutation(api.streams.saveCheckpoint, { actor, threadId: TH, cursors: [{ streamId, cursor: 5 }] });

    // Codex asks: a permissions approval whose every field is over its cap; answered with a reason at its cap.
    const params = { threadId: TH, turnId: T1, itemId: item(16), reason: over(NOTE_MAX_BYTES), command: over(COMMAND_MAX_BYTES), cwd: over(PATH_MAX_BYTES), permissions: { network: { note: over(ITEM_TEXT_MAX_BYTES / 2) } }, availableDecisions: many(ITEM_LIST_MAX_ENTRIES + 6, () => over(NAME_MAX_BYTES)) };
    await send([{ type: "server_request", eventId: fit(DERIVED_ID_MAX_BYTES), turnId: T1, itemId: item(16), requestId: fit(ID_MAX_BYTES), method: "item/permissions/requestApproval", paramsJson: JSON.stringify(params), createdAt: 1 }]);
    await t.mutation(api.approvals.respond, { actor, threadId: TH, turnId: T1, itemId: item(16), decision: "acceptedForSession", reason: fit(NOTE_MAX_BYTES) });
    const questions = { threadId: TH, turnId: T1, itemId: item(17), questions: over(ITEM_TEXT_MAX_BYTES) };
    await send([{ type: "server_request", eventId: fit(DERIVED_ID_MAX_BYTES - 4) + "q", turnId: T1, itemId: item(17), requestId: 7, method: over(NAME_MAX_BYTES), paramsJson: JSON.stringify(questions), createdAt: 1 }]);
    await t.mutation(api.serverRequests.resolve, { actor, threadId: TH, sessionId: session, requestId: 7, responseJson: JSON.stringify({ a: fit(RESPONSE_JSON_MAX_BYTES - 16) }) });

    await send([event(over(NAME_MAX_BYTES), { threadId: TH, blob: over(ITEM_TEXT_MAX_BYTES) }, T1)]);
    await send([eventDroppedRecord(event("item/completed", { x: over(ITEM_TEXT_MAX_BYTES) }, T1, item(18)), { code: over(NAME_MAX_BYTES), message: over(NOTE_MAX_BYTES) })]);
    await send([event("turn/completed", turnPayload(T1, "failed"), T1)]);
    await send([event("turn/started", turnPayload(T2, "inProgress"), T2)]);

    // A rename queued for codex, the account's limits with every name over its cap.
    await t.mutation(api.threads.setName, { actor, threadId: TH, name: fit(NAME_MAX_BYTES) });
    const window = { usedPercent: 99.5, windowDurationMins: 300, resetsAt: 1 };
    const limits = { limitId: over(NAME_MAX_BYTES), limitName: over(NAME_MAX_BYTES), primary: window, secondary: window, credits: { hasCredits: true, unlimited: false, balance: over(NAME_MAX_BYTES) }, planType: over(NAME_MAX_BYTES), rateLimitReachedType: over(NAME_MAX_BYTES) };
    await t.mutation(api.rateLimits.record, { actor, snapshot: limits });
    // Deletions: a finished turn deleted (its tombstone), a scheduled turn deletion and purge.
    const T3 = fit(ID_MAX_BYTES - 4) + "3";
    await send([event("turn/started", turnPayload(T3, "inProgress"), T3), event("turn/completed", turnPayload(T3, "completed"), T3)]);
    await t.mutation(api.deletion.deleteTurn, { actor, threadId: TH, turnId: T3 });
    await t.mutation(api.deletion.scheduleDeleteTurn, { actor, threadId: TH, turnId: T1, delayMs: 3_600_000 });
    await t.mutation(api.deletion.schedulePurgeActorData, { actor, delayMs: 3_600_000 });
    // An import at its fullest chunk: events at the byte cap, as many messages and turns as a chunk lists.
    const importJob = await t.mutation(api.imports.start, { actor, threadId: TH, name: over(NAME_MAX_BYTES), preview: over(ITEM_TEXT_PREVIEW_BYTES), model: over(NAME_MAX_BYTES), cwd: over(PATH_MAX_BYTES), forkedFromThreadId: over(NAME_MAX_BYTES) });
    const share = Math.floor(IMPORT_CHUNK_MAX_BYTES / IMPORT_CHUNK_MAX_EVENTS);
    const chunkEvents = many(IMPORT_CHUNK_MAX_EVENTS, (i) => ({ ...lifecycle("x", {}), eventId: `e${i}`, turnId: T1, payloadJson: fit(share - 8 - utf8Bytes(T1)) }));
    const expected = many(IMPORT_CHUNK_MAX_MESSAGES, (i) => ({ turnId: T1, itemId: item(i), role: "assistant" as const, sha256: "f".repeat(64), bytes: 1 }));
    const next = { cursor: fit(NOTE_MAX_BYTES), seq: 1 };
    await t.mutation(api.imports.appendChunk, { actor, jobId: importJob._id, seq: 0, events: chunkEvents, expected, turnIds: many(IMPORT_CHUNK_MAX_TURNS, () => T1), endsTurn: false, next });

    const rows = (await snapshot(t)) as Record<string, unknown[]>;
    const extra = await t.run(async (ctx) => ({
      commands: await ctx.db.query("commands").take(100),
      sessions: await ctx.db.query("sessions").take(100),
      stream_checkpoints: await ctx.db.query("stream_checkpoints").take(100),
      sweeps: await ctx.db.query("sweeps").take(100),
      dropped_events: await ctx.db.query("dropped_events").take(100),
      rate_limits: await ctx.db.query("rate_limits").take(100),
      deletion_jobs: await ctx.db.query("deletion_jobs").take(100),
      tombstones: await ctx.db.query("tombstones").take(100),
      import_jobs: await ctx.db.query("import_jobs").take(100),
      import_chunks: await ctx.db.query("import_chunks").take(100),
    }));
    const all = { ...rows, ...extra } as unknown as Record<string, Array<Parameters<typeof getDocumentSize>[0]>>;
    const report: Array<[string, number, number]> = [];
    for (const table of Object.keys(schema.tables).sort()) {
      const docs = all[table] ?? [];
      expect(docs.length, `${table} has rows to measure`).toBeGreaterThan(0);
      const largest = Math.max(...docs.map((d) => getDocumentSize(d)));
      expect(largest, `${table}'s largest row`).toBeLessThan(DOCUMENT_MAX_BYTES);
      report.push([table, largest, docs.length]);
    }
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const lines = [
      "| table | largest row written | share of 1 MiB |",
      "|---|---:|---:|",
      ...report.map(([table, bytes]) => `| \`${table}\` | ${kib(bytes)} | ${((100 * bytes) / DOCUMENT_MAX_BYTES).toFixed(1)}% |`),
    ];
    console.log(`Worst-case row per table (every field at its cap, as Convex measures documents):\n${lines.join("\n")}`);
  }, 120_000);
});
