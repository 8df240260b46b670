import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import {
  EVENT_PAYLOAD_MAX_BYTES,
  INGEST_MAX_BATCH_BYTES,
  ITEM_TEXT_MAX_BYTES,
  RAW_PAYLOAD_MAX_BYTES,
  STREAM_DELTA_ROW_MAX_CHARS,
  TRUNCATION_MARKER,
  batchBytes,
  capPayloadJson,
  truncateUtf8,
  utf8Bytes,
} from "../contract/limits.js";
import { alice, deltas, ingest, itemCompleted, itemStarted, newTest, snapshot, turnCompleted, turnStarted, userItem } from "./testdata/harness.testonly.js";
import type { InboundEvent } from "./validators.js";

const TH = "thread-1";
const command = (id: string, output: string | null, status = "completed") => ({
  type: "commandExecution", id, command: "cat big.log", cwd: "/w", status, source: "agent", commandActions: [], aggregatedOutput: output, exitCode: status === "completed" ? 0 : null, durationMs: 10,
});

/** What the outbox does: fill batches up to the byte cap, in order. */
function batchesUnderCap(events: InboundEvent[]): InboundEvent[][] {
  const out: InboundEvent[][] = [[]];
  for (const ev of events) {
    const current = out.at(-1)!;
    if (current.length > 0 && batchBytes([...current, ev]) > INGEST_MAX_BATCH_BYTES) out.push([ev]);
    else current.push(ev);
  }
  return out;
}

describe("oversize output", () => {
  test("a 5 MB command output lands over several batches; the item keeps a truncated copy, the stream the whole", async () => {
    const t = newTest();
    // Varied content so a misplaced chunk would show.
    const line = (i: number) => `line ${i.toString().padStart(7, "0")} ${"abcdefghij".repeat(5)}\n`;
    let output = "";
    for (let i = 0; output.length < 5 * 1024 * 1024; i++) output += line(i);
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", command("c1", null, "inProgress"))]);

    const outputDeltas = deltas("T1", "c1", output, 60_000, { channel: "commandOutput" });
    // The final item carries the whole 5 MB again: the protocol side pre-truncates it.
    const completedRaw = itemCompleted("T1", command("c1", output)) as Extract<InboundEvent, { type: "lifecycle_event" }>;
    expect(utf8Bytes(completedRaw.payloadJson)).toBeGreaterThan(INGEST_MAX_BATCH_BYTES);
    const completed = { ...completedRaw, payloadJson: capPayloadJson(completedRaw.payloadJson, EVENT_PAYLOAD_MAX_BYTES) };
    const batches = batchesUnderCap([...outputDeltas, completed, turnCompleted("T1", "completed")]);
    expect(batches.length).toBeGreaterThanOrEqual(2);
    for (const batch of batches) expect((await ingest(t, alice, TH, batch)).rejected).toEqual([]);

    const [item] = await t.query(api.items.listItems, { actor: alice, threadId: TH, turnId: "T1" });
    expect(item!.status).toBe("completed");
    const details = item!.details as { aggregatedOutput: string; outputTruncated: boolean; exitCode: number };
    expect(details.outputTruncated).toBe(true);
    expect(details.exitCode).toBe(0);
    expect(utf8Bytes(details.aggregatedOutput)).toBeLessThanOrEqual(ITEM_TEXT_MAX_BYTES);
    expect(details.aggregatedOutput.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(output.startsWith(details.aggregatedOutput.slice(0, -TRUNCATION_MARKER.length))).toBe(true);
    expect(utf8Bytes(item!.payloadJson)).toBeLessThanOrEqual(RAW_PAYLOAD_MAX_BYTES);

    const snap = await snapshot(t);
    const rows = (snap.stream_deltas as Array<{ s: number; t: string }>).sort((a, b) => a.s - b.s);
    expect(rows.every((r) => r.t.length <= STREAM_DELTA_ROW_MAX_CHARS)).toBe(true);
    expect(rows.map((r) => r.t).join("")).toBe(output);
    expect(snap.streams).toMatchObject([{ status: "finished", cursor: output.length }]);
    for (const ev of snap.lifecycle_events as Array<{ payloadJson: string }>) expect(utf8Bytes(ev.payloadJson)).toBeLessThanOrEqual(RAW_PAYLOAD_MAX_BYTES);
  }, 30_000);

  test("an item/completed nobody pre-truncated is cut by ingest instead of failing the batch", async () => {
    const t = newTest();
    const output = "z".repeat(1_300_000);
    const diff = "+".repeat(300_000);
    const result = await ingest(t, alice, TH, [
      turnStarted("T1"),
      itemCompleted("T1", command("c1", output)),
      itemCompleted("T1", { type: "fileChange", id: "f1", status: "completed", changes: [{ path: "a", kind: { type: "add" }, diff }] }),
      { type: "lifecycle_event", eventId: "d", turnId: "T1", kind: "turn/diff/updated", payloadJson: JSON.stringify({ threadId: TH, turnId: "T1", diff }), createdAt: 1 },
    ]);
    expect(result.rejected).toEqual([]);
    const items = await t.query(api.items.listItems, { actor: alice, threadId: TH });
    expect(items[0]!.details).toMatchObject({ outputTruncated: true, aggregatedOutput: truncateUtf8(output, ITEM_TEXT_MAX_BYTES).text });
    expect(items[1]!.details).toMatchObject({ changesTruncated: true });
    const snap = await snapshot(t);
    expect(utf8Bytes((snap.turns[0] as { diff: string }).diff)).toBe(ITEM_TEXT_MAX_BYTES);
  });

  test("a user message past the row cap stays cut when its completion repeats the whole text", async () => {
    const t = newTest();
    const text = "é".repeat(ITEM_TEXT_MAX_BYTES); // twice the cap in UTF-8
    await ingest(t, alice, TH, [turnStarted("T1"), itemStarted("T1", userItem("u1", text))]);
    await ingest(t, alice, TH, [itemCompleted("T1", userItem("u1", text))]);
    const [message] = (await snapshot(t)).messages as Array<{ text: string; truncated?: boolean }>;
    expect(utf8Bytes(message!.text)).toBeLessThanOrEqual(ITEM_TEXT_MAX_BYTES);
    expect(message!.truncated).toBe(true);
  });

  test("a batch's merged text past the row cap is split into rows without cutting a surrogate pair", async () => {
    const t = newTest();
    const text = "a" + "😀".repeat(STREAM_DELTA_ROW_MAX_CHARS); // 2 code units each: every even cut would split one
    await ingest(t, alice, TH, [turnStarted("T1"), ...deltas("T1", "a1", text, 1001)]);
    const rows = ((await snapshot(t)).stream_deltas as Array<{ s: number; t: string }>).sort((a, b) => a.s - b.s);
    expect(rows.length).toBe(3);
    rows.forEach((row, i) => {
      expect(row.t.length).toBeLessThanOrEqual(STREAM_DELTA_ROW_MAX_CHARS);
      expect(row.s).toBe(i === 0 ? 0 : rows[i - 1]!.s + rows[i - 1]!.t.length);
      expect(row.t.codePointAt(0)).not.toBe(0xde00); // never starts on a low surrogate
    });
    expect(rows.map((r) => r.t).join("")).toBe(text);
  });

  test("capPayloadJson keeps structure and short fields, cuts the long strings", () => {
    const json = JSON.stringify({ item: { id: "c1", type: "commandExecution", aggregatedOutput: "q".repeat(100_000), exitCode: 3 } });
    const capped = JSON.parse(capPayloadJson(json, 10_000));
    expect(capped.item).toMatchObject({ id: "c1", type: "commandExecution", exitCode: 3 });
    expect(capped.item.aggregatedOutput.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(utf8Bytes(JSON.stringify(capped))).toBeLessThanOrEqual(10_000);
    expect(capPayloadJson('{"a":1}', 10)).toBe('{"a":1}');
    // Never splits a surrogate pair.
    expect(truncateUtf8("😀".repeat(100), 82 + utf8Bytes(TRUNCATION_MARKER)).text).toBe("😀".repeat(20) + TRUNCATION_MARKER);
  });
});
