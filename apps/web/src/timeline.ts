/**
 * One conversation out of two lists: messages (already in order) and command runs. Both are
 * stamped by the component from codex's event times, so a command goes before the first
 * message that started after it. A message still being written, or sent and not stored yet,
 * is the newest thing on screen whatever its stamp says.
 */
import type { CodexMessage } from "codex-local-component/react";

export type TimelineEntry<C> = { kind: "message"; message: CodexMessage } | { kind: "command"; command: C };

export function interleave<C extends { startedAt: number }>(messages: CodexMessage[], commands: C[]): TimelineEntry<C>[] {
  const pending = [...commands].sort((a, b) => a.startedAt - b.startedAt);
  const out: TimelineEntry<C>[] = [];
  for (const message of messages) {
    const at = message.streaming || message.optimistic ? Infinity : message.createdAt;
    while (pending.length > 0 && pending[0]!.startedAt < at) out.push({ kind: "command", command: pending.shift()! });
    out.push({ kind: "message", message });
  }
  for (const command of pending) out.push({ kind: "command", command });
  return out;
}
