// The backfill against a `thread/read` result recorded from the real codex 0.169.0, next to
// the lifecycle events the normalizer produced for the same three turns as they streamed
// (a plain reply, one with reasoning, one running a command).
import { describe, expect, test } from "vitest";
import type { LifecycleEvent } from "../contract/events.js";
import { backfillEvents } from "./backfill.js";
import type { Thread } from "./generated/v2/Thread.js";
import recordedRead from "./testdata/thread-read.response.json" with { type: "json" };
import recordedLive from "./testdata/thread-read.live-events.json" with { type: "json" };

const thread = recordedRead.thread as unknown as Thread;
const live = recordedLive as LifecycleEvent[];
type Payload = {
  threadId: string;
  turnId?: string;
  item?: Record<string, unknown> & { type: string };
  turn: Record<string, unknown> & { status: string };
};
const payload = (e: { payloadJson: string }) => JSON.parse(e.payloadJson) as Payload;

describe("backfillEvents", () => {
  const events = backfillEvents(thread) as LifecycleEvent[];

  test("every event carries exactly the id the live notification got, so a delivered one is a duplicate", () => {
    expect(events.map((e) => e.eventId).sort()).toEqual(live.map((e) => e.eventId).sort());
    for (const e of events) {
      const twin = live.find((l) => l.eventId === e.eventId)!;
      expect([e.kind, e.turnId, e.itemId]).toEqual([twin.kind, twin.turnId, twin.itemId]);
    }
  });

  test("each turn is started, its items completed, then ended, in codex's order", () => {
    const turnIds = thread.turns.map((t) => t.id);
    expect(events.filter((e) => e.kind === "turn/completed").map((e) => e.turnId)).toEqual(turnIds);
    const first = events.slice(0, 4).map((e) => e.kind);
    expect(first).toEqual(["turn/started", "item/completed", "item/completed", "turn/completed"]);
    // Timestamps never go backwards within a turn.
    for (const id of turnIds) {
      const times = events.filter((e) => e.turnId === id).map((e) => e.createdAt);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });

  test("completed items carry what codex finally sent: the full text, the command's output", () => {
    for (const e of events.filter((x) => x.kind === "item/completed")) {
      const twin = live.find((l) => l.eventId === e.eventId)!;
      expect(payload(e).item).toEqual(payload(twin).item);
      expect(payload(e)).toMatchObject({ threadId: thread.id, turnId: e.turnId });
    }
    const command = events.find((e) => payload(e).item?.type === "commandExecution")!;
    expect(payload(command).item).toMatchObject({ aggregatedOutput: "hi\n", exitCode: 0, status: "completed" });
  });

  test("turn/completed has the fields the backend projects (status, error, duration) as codex sent them", () => {
    for (const e of events.filter((x) => x.kind === "turn/completed")) {
      const mine = payload(e).turn;
      const theirs = payload(live.find((l) => l.eventId === e.eventId)!).turn;
      expect({ id: mine.id, status: mine.status, error: mine.error, durationMs: mine.durationMs }).toEqual({
        id: theirs.id,
        status: theirs.status,
        error: theirs.error,
        durationMs: theirs.durationMs,
      });
      expect(payload(e).threadId).toBe(thread.id);
    }
  });

  test("a turn codex still runs is left alone, and so is an item it still runs in a finished turn", () => {
    const [done, running] = [thread.turns[2]!, { ...thread.turns[1]!, status: "inProgress" as const }];
    const cutOff = {
      ...done,
      status: "interrupted" as const,
      items: done.items.map((item) => (item.type === "commandExecution" ? { ...item, status: "inProgress" as const } : item)),
    };
    const out = backfillEvents({ id: thread.id, turns: [running, cutOff] }) as LifecycleEvent[];
    expect(out.some((e) => e.turnId === running.id)).toBe(false);
    expect(out.map((e) => [e.kind, payload(e).item?.type ?? payload(e).turn.status])).toEqual([
      ["turn/started", "inProgress"],
      ["item/completed", "userMessage"],
      ["item/completed", "agentMessage"],
      ["turn/completed", "interrupted"],
    ]);
  });

  test("an id codex lists twice in one turn is numbered as the normalizer numbers live items (`msg_1`, `msg_1#2`)", () => {
    const turn = thread.turns[0]!;
    const reply = turn.items.find((item) => item.type === "agentMessage")!;
    const twice = { ...turn, items: [...turn.items, { ...reply, text: "and again" }] };
    const out = backfillEvents({ id: thread.id, turns: [twice] }) as LifecycleEvent[];
    const completed = out.filter((e) => e.kind === "item/completed");
    expect(completed.map((e) => e.itemId).slice(-2)).toEqual([reply.id, `${reply.id}#2`]);
    expect(completed.at(-1)!.eventId).toBe(`${turn.id}/${reply.id}#2/item/completed`);
    // The payload keeps codex's own item.
    expect(payload(completed.at(-1)!).item).toMatchObject({ id: reply.id, text: "and again" });
  });
});
