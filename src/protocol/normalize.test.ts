import { describe, expect, test } from "vitest";
import {
  classifyMessage,
  createEventNormalizer,
  parseWireMessage,
  type InboundEvent,
  type NormalizedEvent,
  type ProtocolError,
  type StreamDeltaEvent,
} from "./index.js";
import { transcript, transcripts } from "./testing/transcripts.js";
import { EVENT_PAYLOAD_MAX_BYTES, TRUNCATION_MARKER, utf8Bytes } from "../contract/limits.js";

type Outcome = { events: NormalizedEvent[]; errors: Array<{ line: number; error: ProtocolError }> };

/** What a bridge does with each stdout line: parse, classify, normalize. */
function run(lines: string[]): Outcome {
  const normalizer = createEventNormalizer({ now: () => 0 });
  const out: Outcome = { events: [], errors: [] };
  lines.forEach((line, i) => {
    const parsed = parseWireMessage(line);
    if (!parsed.ok) return void out.errors.push({ line: i, error: parsed.error });
    const result = normalizer.normalize(classifyMessage(parsed.message));
    if (!result.ok) return void out.errors.push({ line: i, error: result.error });
    if (result.event) out.events.push(result.event);
  });
  return out;
}

const events = (name: string) => run(transcript(name).lines).events.map((e) => e.event);
const deltas = (list: InboundEvent[]) => list.filter((e): e is StreamDeltaEvent => e.type === "stream_delta");
const payload = (e: InboundEvent) => JSON.parse(e.type === "server_request" ? e.paramsJson : e.type === "lifecycle_event" ? e.payloadJson : "{}");

test("the recorded transcripts are all there", () => {
  expect(transcripts.map((t) => t.name)).toEqual([
    "command-accept",
    "command-cancel",
    "command-decline",
    "command-streamed-output",
    "file-change",
    "interrupt",
    "model-error",
    "plan",
    "reasoning",
    "streamed-text",
    "two-turns",
    "user-input",
  ]);
});

describe.each(transcripts.map((t) => [t.name, t] as const))("transcript %s", (_name, t) => {
  test("every line parses, classifies as a known method, and normalizes without error", () => {
    for (const line of t.lines) {
      const parsed = parseWireMessage(line);
      expect(parsed.ok, line).toBe(true);
      if (!parsed.ok) continue;
      const message = classifyMessage(parsed.message);
      if (message.kind === "notification" || message.kind === "server_request") expect(message.known, message.method).toBe(true);
    }
    expect(run(t.lines).errors).toEqual([]);
  });

  test("ids are unique and deterministic: normalizing again gives identical events", () => {
    const first = run(t.lines).events;
    const second = run(t.lines).events;
    expect(second).toEqual(first);
    const ids = first.map((e) => e.event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("every delta stream is contiguous from 0 in UTF-16 units", () => {
    const byStream = new Map<string, StreamDeltaEvent[]>();
    for (const d of deltas(run(t.lines).events.map((e) => e.event))) {
      byStream.set(d.streamId, [...(byStream.get(d.streamId) ?? []), d]);
      expect(d.cursorEnd - d.cursorStart).toBe(d.delta.length);
      expect(d.eventId).toBe(`${d.streamId}@${d.cursorStart}`);
    }
    for (const list of byStream.values()) {
      expect(list[0]!.cursorStart).toBe(0);
      for (let i = 1; i < list.length; i++) expect(list[i]!.cursorStart).toBe(list[i - 1]!.cursorEnd);
    }
  });

  test("the deltas of each completed item add up to its final text", () => {
    const all = events(t.name);
    for (const e of all) {
      if (e.type !== "lifecycle_event" || e.kind !== "item/completed") continue;
      const item = payload(e).item as {
        id: string;
        type: string;
        text?: string;
        summary?: string[];
        content?: string[];
        aggregatedOutput?: string | null;
      };
      const of = (streamId: string) =>
        deltas(all)
          .filter((d) => d.streamId === streamId)
          .map((d) => d.delta)
          .join("");
      if (item.type === "agentMessage") {
        const streamed = of(`${e.turnId}/${item.id}/agentMessage`);
        if (streamed.length > 0) expect(streamed).toBe(item.text);
      }
      if (item.type === "commandExecution") {
        const streamed = of(`${e.turnId}/${item.id}/commandOutput`);
        if (streamed.length > 0) expect(streamed).toBe(item.aggregatedOutput);
      }
      if (item.type === "reasoning") {
        item.summary!.forEach((text, i) => expect(of(`${e.turnId}/${item.id}/reasoningSummary/${i}`)).toBe(text));
        item.content!.forEach((text, i) => expect(of(`${e.turnId}/${item.id}/reasoningContent/${i}`)).toBe(text));
      }
    }
  });

  test("global messages (account, config, remote control) never become thread events", () => {
    const kinds = events(t.name).map((e) => (e.type === "server_request" ? e.method : e.type === "lifecycle_event" ? e.kind : "delta"));
    expect(kinds).not.toContain("configWarning");
    expect(kinds).not.toContain("account/rateLimits/updated");
    expect(kinds).not.toContain("remoteControl/status/changed");
    expect(run(t.lines).events.every((e) => e.threadId.length > 0)).toBe(true);
  });
});

describe("what a streamed text turn normalizes to", () => {
  const all = events("streamed-text");
  const turnStarted = all.find((e) => e.type === "lifecycle_event" && e.kind === "turn/started")!;
  const turnId = turnStarted.turnId!;

  test("lifecycle and deltas in codex's order, with position-derived ids", () => {
    const threadStarted = all[0]!;
    expect(threadStarted).toMatchObject({ type: "lifecycle_event", kind: "thread/started" });
    expect(threadStarted.eventId).toMatch(/^[\w-]+\/thread\/started@\d+#1$/);
    const agentItem = all.find((e) => e.type === "lifecycle_event" && e.kind === "item/started" && payload(e).item.type === "agentMessage")!;
    const itemId = agentItem.itemId!;
    const stream = `${turnId}/${itemId}/agentMessage`;
    const summary = all.slice(1).map((e) => e.eventId.replace(/@\d+#/, "@T#"));
    const userItemId = all.find((e) => e.type === "lifecycle_event" && e.kind === "item/started")!.itemId;
    const threadId = run(transcript("streamed-text").lines).events[0]!.threadId;
    expect(summary).toEqual([
      `${threadId}/thread/status/changed@T#1`,
      `${turnId}/turn/started`,
      `${turnId}/${userItemId}/item/started`,
      `${turnId}/${userItemId}/item/completed`,
      `${turnId}/${itemId}/item/started`,
      `${stream}@0`,
      `${stream}@13`,
      `${stream}@27`, // the previous delta holds the 🌍: 13 code points, 14 UTF-16 units
      `${stream}@40`,
      `${turnId}/${itemId}/item/completed`,
      `${turnId}/thread/tokenUsage/updated#1`,
      `${threadId}/thread/status/changed@T#1`,
      `${turnId}/turn/completed`,
    ]);
  });

  test("cursors count UTF-16 units (the 🌍 is two)", () => {
    const last = deltas(all).at(-1)!;
    const text = deltas(all).map((d) => d.delta).join("");
    expect(text).toContain("🌍");
    expect(last.cursorEnd).toBe(text.length);
    expect(Array.from(text).length).toBe(text.length - 1);
  });

  test("createdAt is codex's emittedAtMs", () => {
    const line = transcript("streamed-text").lines.find((l) => l.includes('"turn/started"'))!;
    expect(turnStarted.createdAt).toBe(JSON.parse(line).emittedAtMs);
  });

  test("lifecycle payloadJson is the notification's params verbatim", () => {
    const line = transcript("streamed-text").lines.find((l) => l.includes('"turn/started"'))!;
    expect(JSON.parse((turnStarted as { payloadJson: string }).payloadJson)).toEqual(JSON.parse(line).params);
  });
});

describe("approvals and other shapes", () => {
  test("a command approval becomes a server_request event keyed by turn and request id", () => {
    const all = events("command-accept");
    const request = all.find((e) => e.type === "server_request")!;
    expect(request).toMatchObject({
      type: "server_request",
      requestId: 0,
      method: "item/commandExecution/requestApproval",
      eventId: `${request.turnId}/request/0`,
    });
    expect(payload(request)).toMatchObject({ command: "/bin/bash -lc 'echo approved-run'" });
    const resolved = all.find((e) => e.type === "lifecycle_event" && e.kind === "serverRequest/resolved")!;
    expect(payload(resolved)).toMatchObject({ requestId: 0 });
  });

  test("command output streams on its own channel, line by line", () => {
    const output = deltas(events("command-streamed-output")).filter((d) => d.channel === "commandOutput");
    expect(output.map((d) => d.delta)).toEqual(["line-1\n", "line-2\n", "line-3\n"]);
    expect(output.map((d) => d.cursorStart)).toEqual([0, 7, 14]);
  });

  test("repeats of a method within a turn are numbered", () => {
    const all = events("command-accept");
    const usage = all.filter((e) => e.type === "lifecycle_event" && e.kind === "thread/tokenUsage/updated");
    expect(usage.map((e) => e.eventId.split("#")[1])).toEqual(["1", "2"]);
  });

  test("two turns: counters restart per turn, ids never collide", () => {
    const all = events("two-turns");
    const turnIds = [...new Set(all.flatMap((e) => (e.turnId ? [e.turnId] : [])))];
    expect(turnIds).toHaveLength(2);
    for (const turnId of turnIds) {
      expect(all.some((e) => e.eventId === `${turnId}/thread/tokenUsage/updated#1`)).toBe(true);
    }
  });

  test("reasoning summary parts are separate indexed streams; raw content has its own channel", () => {
    const channels = deltas(events("reasoning")).map((d) => d.streamId.split("/").slice(2).join("/"));
    expect(new Set(channels)).toEqual(new Set(["reasoningSummary/0", "reasoningSummary/1", "reasoningContent/0", "agentMessage"]));
    // Ingest wants the index on the event itself, one stream per index.
    for (const d of deltas(events("reasoning"))) {
      const trailing = d.streamId.split("/").at(-1);
      expect(d.index).toBe(d.channel === "agentMessage" ? undefined : Number(trailing));
    }
  });

  test("an item/completed payload above EVENT_PAYLOAD_MAX_BYTES is cut with capPayloadJson, ids kept", () => {
    // CJK: 3 bytes per character, so the payload is over the cap in bytes, not in characters.
    const huge = "界".repeat(EVENT_PAYLOAD_MAX_BYTES / 3 + 10);
    const line = JSON.stringify({
      method: "item/completed",
      params: { threadId: "th", turnId: "tu", item: { type: "commandExecution", id: "it", aggregatedOutput: huge } },
      emittedAtMs: 1,
    });
    const [event] = run([line]).events.map((e) => e.event);
    expect(event?.type).toBe("lifecycle_event");
    const json = event?.type === "lifecycle_event" ? event.payloadJson : "";
    expect(utf8Bytes(json)).toBeLessThanOrEqual(EVENT_PAYLOAD_MAX_BYTES);
    expect(JSON.parse(json)).toMatchObject({ turnId: "tu", item: { id: "it", type: "commandExecution" } });
    expect(JSON.parse(json).item.aggregatedOutput.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  test("interrupted and failed turns end with turn/completed carrying the status", () => {
    for (const [name, status] of [
      ["interrupt", "interrupted"],
      ["command-cancel", "interrupted"],
      ["model-error", "failed"],
    ] as const) {
      const last = events(name).filter((e) => e.type === "lifecycle_event").at(-1)!;
      expect(last.type === "lifecycle_event" && last.kind).toBe("turn/completed");
      expect(payload(last).turn.status).toBe(status);
    }
    expect(events("model-error").some((e) => e.type === "lifecycle_event" && e.kind === "error")).toBe(true);
  });
});

describe("bad input", () => {
  const good = transcript("streamed-text").lines;
  const delta = JSON.parse(good.find((l) => l.includes("item/agentMessage/delta"))!) as { params: Record<string, unknown> };
  const withParams = (method: string, params: Record<string, unknown>) => JSON.stringify({ method, params, emittedAtMs: 1 });

  test.each([
    ["truncated JSON", good[8]!.slice(0, 40), "invalid_json"],
    ["a non-JSON line", "codex: warning: something odd", "invalid_json"],
    ["a 10 MB line", `{"method":"item/agentMessage/delta","params":{"delta":"${"x".repeat(10 * 1024 * 1024)}"}}`, "line_too_large"],
    ["delta of the wrong type", withParams("item/agentMessage/delta", { ...delta.params, delta: 42 }), "invalid_params"],
    ["turnId of the wrong type", withParams("item/agentMessage/delta", { ...delta.params, turnId: ["x"] }), "invalid_params"],
    ["threadId of the wrong type", withParams("item/agentMessage/delta", { ...delta.params, threadId: 7 }), "invalid_params"],
    ["a delta without threadId", withParams("item/agentMessage/delta", { turnId: "t", itemId: "i", delta: "x" }), "invalid_params"],
    ["summaryIndex as a string", withParams("item/reasoning/summaryTextDelta", { ...delta.params, summaryIndex: "0" }), "invalid_params"],
    ["item without id", withParams("item/started", { threadId: "th", turnId: "tu", item: { type: "agentMessage" } }), "invalid_params"],
    ["turn id as a number", withParams("turn/completed", { threadId: "th", turn: { id: 5 } }), "invalid_params"],
    ["a thread event with a numeric turnId", withParams("turn/diff/updated", { threadId: "th", turnId: 9, diff: "" }), "invalid_params"],
  ])("%s yields a protocol error, and the lines after it still normalize the same", (_what, bad, code) => {
    const clean = run(good);
    const dirty = run([...good.slice(0, 12), bad, ...good.slice(12)]);
    expect(dirty.errors.map((e) => [e.line, e.error.code])).toEqual([[12, code]]);
    expect(dirty.events).toEqual(clean.events);
  });

  test("the error names the method and the field", () => {
    const out = run([withParams("item/agentMessage/delta", { ...delta.params, delta: 42 })]);
    expect(out.errors[0]!.error).toMatchObject({ code: "invalid_params", method: "item/agentMessage/delta", path: "params.delta" });
  });

  test("an unknown thread method passes through as a lifecycle event; an unknown global one is classified, not dropped", () => {
    const normalizer = createEventNormalizer();
    const threadLine = withParams("thread/hologram/updated", { threadId: "th", turnId: "tu", shimmer: true });
    const parsed = parseWireMessage(threadLine);
    if (!parsed.ok) throw new Error("parse");
    const result = normalizer.normalize(classifyMessage(parsed.message));
    expect(result).toEqual({
      ok: true,
      event: {
        threadId: "th",
        event: {
          type: "lifecycle_event",
          eventId: "tu/thread/hologram/updated#1",
          turnId: "tu",
          kind: "thread/hologram/updated",
          payloadJson: JSON.stringify({ threadId: "th", turnId: "tu", shimmer: true }),
          createdAt: 1,
        },
      },
    });
    const globalParsed = parseWireMessage(withParams("galaxy/updated", { stars: 3 }));
    if (!globalParsed.ok) throw new Error("parse");
    const classified = classifyMessage(globalParsed.message);
    expect(classified).toMatchObject({ kind: "notification", known: false, scope: "global" });
    expect(normalizer.normalize(classified)).toEqual({ ok: true, event: null });
  });
});

describe("stream state", () => {
  test("seedStream continues a stream where the backend left it", () => {
    const normalizer = createEventNormalizer();
    normalizer.seedStream("tu/it/agentMessage", 10);
    const parsed = parseWireMessage(
      JSON.stringify({ method: "item/agentMessage/delta", params: { threadId: "th", turnId: "tu", itemId: "it", delta: "abc" } }),
    );
    if (!parsed.ok) throw new Error("parse");
    const result = normalizer.normalize(classifyMessage(parsed.message));
    expect(result.ok && result.event?.event).toMatchObject({ cursorStart: 10, cursorEnd: 13, eventId: "tu/it/agentMessage@10" });
    expect(normalizer.streamCursor("tu/it/agentMessage")).toBe(13);
  });

  test("a completed turn's stream state is released", () => {
    const normalizer = createEventNormalizer();
    const feed = (m: object) => {
      const parsed = parseWireMessage(JSON.stringify(m));
      if (!parsed.ok) throw new Error("parse");
      return normalizer.normalize(classifyMessage(parsed.message));
    };
    feed({ method: "item/agentMessage/delta", params: { threadId: "th", turnId: "tu", itemId: "it", delta: "abc" } });
    expect(normalizer.streamCursor("tu/it/agentMessage")).toBe(3);
    feed({ method: "turn/completed", params: { threadId: "th", turn: { id: "tu", status: "completed" } } });
    expect(normalizer.streamCursor("tu/it/agentMessage")).toBe(0);
  });
});

describe("an item id codex starts twice in one turn (a provider numbering items per response)", () => {
  const n = (method: string, params: Record<string, unknown>) => JSON.stringify({ method, params: { threadId: "th", ...params }, emittedAtMs: 1 });
  const item = (method: "item/started" | "item/completed", turnId: string, id: string, type: string, extra: object = {}) =>
    n(method, { turnId, item: { type, id, ...extra } });
  const delta = (turnId: string, itemId: string, text: string) => n("item/agentMessage/delta", { turnId, itemId, delta: text });
  // A preamble, a command (its approval names the call id), then the answer: both messages `msg_1`.
  const turn = (turnId: string) => [
    n("turn/started", { turn: { id: turnId } }),
    item("item/started", turnId, "msg_1", "agentMessage"),
    delta(turnId, "msg_1", "Let me run it."),
    item("item/completed", turnId, "msg_1", "agentMessage", { text: "Let me run it." }),
    item("item/started", turnId, "call_1", "commandExecution"),
    JSON.stringify({ id: 0, method: "item/commandExecution/requestApproval", params: { threadId: "th", turnId, itemId: "call_1" } }),
    item("item/completed", turnId, "call_1", "commandExecution"),
    item("item/started", turnId, "msg_1", "agentMessage"),
    delta(turnId, "msg_1", "Ran it."),
    item("item/completed", turnId, "msg_1", "agentMessage", { text: "Ran it." }),
    n("turn/completed", { turn: { id: turnId, status: "completed" } }),
  ];

  test("the second one is a new item, `msg_1#2`, with its own stream; everything naming the id follows the latest", () => {
    const out = run([...turn("t1"), ...turn("t2")]);
    expect(out.errors).toEqual([]);
    const t1 = out.events.map((e) => e.event).filter((e) => e.turnId === "t1");
    expect(t1.map((e) => [e.type === "lifecycle_event" ? e.kind : e.type, e.itemId ?? null, e.eventId])).toEqual([
      ["turn/started", null, "t1/turn/started"],
      ["item/started", "msg_1", "t1/msg_1/item/started"],
      ["stream_delta", "msg_1", "t1/msg_1/agentMessage@0"],
      ["item/completed", "msg_1", "t1/msg_1/item/completed"],
      ["item/started", "call_1", "t1/call_1/item/started"],
      ["server_request", "call_1", "t1/request/0"],
      ["item/completed", "call_1", "t1/call_1/item/completed"],
      ["item/started", "msg_1#2", "t1/msg_1#2/item/started"],
      // A stream of its own, from 0: not the preamble's stream continued.
      ["stream_delta", "msg_1#2", "t1/msg_1#2/agentMessage@0"],
      ["item/completed", "msg_1#2", "t1/msg_1#2/item/completed"],
      ["turn/completed", null, "t1/turn/completed"],
    ]);
    // codex's payload is kept verbatim; the event names the stored id.
    expect(JSON.parse((t1[7] as { payloadJson: string }).payloadJson).item.id).toBe("msg_1");
    // The next turn numbers afresh: its items are told apart by the turn.
    const t2 = out.events.map((e) => e.event).filter((e) => e.turnId === "t2");
    expect(t2.map((e) => e.itemId).filter(Boolean)).toEqual(["msg_1", "msg_1", "msg_1", "call_1", "call_1", "call_1", "msg_1#2", "msg_1#2", "msg_1#2"]);
  });

  test("a delta or request before its item/started does not count as an earlier item", () => {
    const out = run([
      n("turn/started", { turn: { id: "t" } }),
      delta("t", "m", "early"),
      item("item/started", "t", "m", "agentMessage"),
      item("item/completed", "t", "m", "agentMessage", { text: "early" }),
    ]);
    expect(out.events.map((e) => e.event.itemId).filter(Boolean)).toEqual(["m", "m", "m"]);
  });
});
