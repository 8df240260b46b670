import type { CodexMessage } from "codex-local-component/react";
import { expect, test } from "vitest";
import { interleave } from "./timeline.js";

const message = (id: string, createdAt: number, extra: Partial<CodexMessage> = {}) =>
  ({ _id: id, key: id, createdAt, streaming: false, optimistic: false, ...extra }) as CodexMessage;
const command = (id: string, startedAt: number) => ({ id, startedAt });
const order = (entries: ReturnType<typeof interleave<{ id: string; startedAt: number }>>) =>
  entries.map((e) => (e.kind === "message" ? e.message._id : e.command.id));

test("a command goes before the first message that started after it", () => {
  const messages = [message("ask", 10), message("preamble", 20), message("answer", 40)];
  expect(order(interleave(messages, [command("run2", 35), command("run1", 30)]))).toEqual(["ask", "preamble", "run1", "run2", "answer"]);
});

test("commands newer than every message come last", () => {
  expect(order(interleave([message("ask", 10)], [command("run", 30)]))).toEqual(["ask", "run"]);
});

test("a message being streamed or not stored yet counts as the newest, whatever its stamp", () => {
  // A stream's overlay row borrows the previous message's stamp; an optimistic one has the device's clock.
  const messages = [message("ask", 10), message("stream:s1", 10, { streaming: true }), message("optimistic:k", 5, { optimistic: true })];
  expect(order(interleave(messages, [command("run", 30)]))).toEqual(["ask", "run", "stream:s1", "optimistic:k"]);
});
