/**
 * The outbox's record of an event it could not store is kept and listed for the UI, and a
 * lost turn end still ends its turn (failed, saying why): nothing waits on it forever.
 */
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { EVENT_DROPPED_KIND, type InboundEvent } from "../contract/events.js";
import { eventDroppedRecord } from "../contract/limits.js";
import { alice, bob, ingest, lifecycle, newTest, turnCompleted, turnStarted } from "./testdata/harness.testonly.js";

const TH = "thread-1";
const refused = { code: "E_REFUSED", message: "Value is too large (1.10 MiB > maximum size 1 MiB)" };

describe("dropped events", () => {
  test("a dropped turn/completed ends its turn as failed and is listed with why", async () => {
    const t = newTest();
    await ingest(t, alice, TH, [turnStarted("T1")]);
    const lost = { ...turnCompleted("T1", "completed"), eventId: "T1/turn/completed", turnId: "T1" } as InboundEvent;
    const result = await ingest(t, alice, TH, [eventDroppedRecord(lost, refused)]);
    expect(result.rejected).toEqual([]);

    const turn = await t.query(api.turns.get, { actor: alice, threadId: TH, turnId: "T1" });
    expect(turn).toMatchObject({ status: "failed", error: { message: expect.stringContaining("could not be stored (E_REFUSED)") } });
    const state = await t.query(api.threads.getState, { actor: alice, threadId: TH });
    expect(state.thread.activeTurnId).toBeUndefined();

    const listed = await t.query(api.droppedEvents.list, { actor: alice, threadId: TH });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ turnId: "T1", dropped: { eventId: "T1/turn/completed", kind: "turn/completed", ...refused } });
    expect(await t.query(api.droppedEvents.list, { actor: bob, threadId: TH })).toEqual([]);
  });

  test("a record is a no-op when sent again; a malformed one is rejected, never thrown", async () => {
    const t = newTest();
    const record = eventDroppedRecord(lifecycle("item/completed", {}, { turnId: "T1", itemId: "i1" }), refused);
    await ingest(t, alice, TH, [record]);
    expect((await ingest(t, alice, TH, [record])).duplicates).toBe(1);
    const malformed = { ...lifecycle(EVENT_DROPPED_KIND, { nope: true }), kind: EVENT_DROPPED_KIND };
    expect((await ingest(t, alice, TH, [malformed])).rejected).toMatchObject([{ code: "E_MALFORMED_EVENT" }]);
    expect(await t.query(api.droppedEvents.list, { actor: alice, threadId: TH })).toHaveLength(1);
  });
});
