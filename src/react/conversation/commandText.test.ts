import { describe, expect, test } from "vitest";
import { commandStatusWord, displayCommand, formatDuration, formatElapsed } from "./commandText.js";

describe("displayCommand", () => {
  test.each([
    ["/bin/bash -lc 'echo hi'", "echo hi"],
    ["bash -lc 'for i in 1 2; do echo $i; done'", "for i in 1 2; do echo $i; done"],
    ["/bin/zsh -lc 'echo '\\''quoted'\\'''", "echo 'quoted'"],
    ['/usr/bin/bash -c "echo \\"hi\\" \\$HOME"', 'echo "hi" $HOME'],
    ["/bin/bash -lc ls", "ls"],
    ["/bin/bash -lc 'a' 'b'", "'a' 'b'"],
    ["pnpm test", "pnpm test"],
    ["bashful -lc x", "bashful -lc x"],
  ])("%s", (command, shown) => {
    expect(displayCommand(command)).toBe(shown);
  });
});

describe("commandStatusWord", () => {
  test.each([
    [{ done: false, exploring: false }, "Running"],
    [{ done: false, exploring: true }, "Exploring"],
    [{ done: false, exploring: false, awaitingApproval: true }, "Waiting for approval"],
    [{ done: false, exploring: true, awaitingApproval: true }, "Waiting for approval"],
    [{ done: true, exploring: false, exitCode: 0, status: "completed" }, "Ran"],
    [{ done: true, exploring: true, exitCode: 0, status: "completed" }, "Explored"],
    [{ done: true, exploring: false, exitCode: 2, status: "completed" }, "Failed"],
    [{ done: true, exploring: false, exitCode: 1, status: "failed" }, "Failed"],
    [{ done: true, exploring: false, exitCode: undefined, status: "declined" }, "Declined"],
    [{ done: true, exploring: false, exitCode: undefined, status: "interrupted" }, "Interrupted"],
    [{ done: true, exploring: false, exitCode: undefined }, "Stopped"],
  ])("%j → %s", (call, word) => {
    expect(commandStatusWord({ exitCode: undefined, ...call })).toBe(word);
  });
});

test.each([
  [0, "0ms", "0s"],
  [430, "430ms", "0s"],
  [1_250, "1.2s", "1s"],
  [9_990, "9.9s", "9s"],
  [42_000, "42s", "42s"],
  [65_000, "1m 05s", "1m 05s"],
  [3_723_000, "1h 02m 03s", "1h 02m 03s"],
  [-5, "0ms", "0s"],
])("durations: %i ms", (ms, duration, elapsed) => {
  expect(formatDuration(ms)).toBe(duration);
  expect(formatElapsed(ms)).toBe(elapsed);
});
