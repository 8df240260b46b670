import { describe, expect, test } from "vitest";
import { readThreadState } from "./threadState.js";

describe("readThreadState reads any thread-state shape defensively", () => {
  test.each([
    ["loading", undefined, { exists: false, activeTurn: null, lastTurn: null }],
    ["no thread", null, { exists: false, activeTurn: null, lastTurn: null }],
    ["idle thread", { thread: { threadId: "t" }, activeTurn: null }, { exists: true, activeTurn: null, lastTurn: null }],
    [
      "active turn document",
      { thread: {}, activeTurn: { turnId: "a", status: "inProgress", startedAt: 5, extra: 1 } },
      {
        exists: true,
        activeTurn: { turnId: "a", status: "inProgress", startedAt: 5, completedAt: undefined },
        lastTurn: { turnId: "a", status: "inProgress", startedAt: 5, completedAt: undefined },
      },
    ],
    [
      "only the thread's activeTurnId",
      { thread: { activeTurnId: "b" } },
      {
        exists: true,
        activeTurn: { turnId: "b", status: "inProgress", startedAt: undefined, completedAt: undefined },
        lastTurn: { turnId: "b", status: "inProgress", startedAt: undefined, completedAt: undefined },
      },
    ],
    [
      "a turn codex is retrying: the notice is no error",
      { thread: {}, activeTurn: { turnId: "r", status: "inProgress", startedAt: 5, error: { message: "Reconnecting... 1/5", willRetry: true } } },
      {
        exists: true,
        activeTurn: { turnId: "r", status: "inProgress", startedAt: 5, completedAt: undefined, retrying: "Reconnecting... 1/5" },
        lastTurn: { turnId: "r", status: "inProgress", startedAt: 5, completedAt: undefined, retrying: "Reconnecting... 1/5" },
      },
    ],
    [
      "finished last turn",
      { thread: {}, activeTurn: null, lastTurn: { turnId: "c", status: "failed", startedAt: 1, completedAt: 2 } },
      { exists: true, activeTurn: null, lastTurn: { turnId: "c", status: "failed", startedAt: 1, completedAt: 2 } },
    ],
    [
      "the component's shape: recentTurns, newest first",
      {
        thread: { lastTurnId: "e" },
        activeTurn: null,
        recentTurns: [
          { turnId: "e", status: "interrupted", startedAt: 3, completedAt: 4 },
          { turnId: "d", status: "completed", startedAt: 1, completedAt: 2 },
        ],
      },
      {
        exists: true,
        activeTurn: null,
        lastTurn: { turnId: "e", status: "interrupted", startedAt: 3, completedAt: 4 },
        recentTurns: [
          { turnId: "e", status: "interrupted", startedAt: 3, completedAt: 4 },
          { turnId: "d", status: "completed", startedAt: 1, completedAt: 2 },
        ],
      },
    ],
    [
      "a failed turn's stored error and a turn's plan",
      {
        thread: {},
        activeTurn: { turnId: "g", status: "inProgress", startedAt: 5, plan: { explanation: "why", steps: [{ step: "a", status: "inProgress" }, { nope: 1 }] } },
        recentTurns: [{ turnId: "f", status: "failed", startedAt: 3, completedAt: 4, error: { message: "model unavailable", codexErrorInfo: "x" } }],
      },
      {
        exists: true,
        activeTurn: { turnId: "g", status: "inProgress", startedAt: 5, completedAt: undefined, plan: { explanation: "why", steps: [{ step: "a", status: "inProgress" }] } },
        lastTurn: { turnId: "f", status: "failed", startedAt: 3, completedAt: 4, error: "model unavailable" },
        recentTurns: [{ turnId: "f", status: "failed", startedAt: 3, completedAt: 4, error: "model unavailable" }],
      },
    ],
    ["garbage fields", { activeTurn: 42, lastTurn: { status: "x" } }, { exists: true, activeTurn: null, lastTurn: null }],
  ])("%s", (_name, value, expected) => {
    expect(readThreadState(value)).toEqual(expected);
  });
});
