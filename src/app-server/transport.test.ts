import { describe, expect, test } from "vitest";
import { LineSplitter } from "./transport.js";

function split(chunks: string[], max = 100) {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l), max);
  for (const c of chunks) splitter.push(c);
  splitter.flush();
  return lines;
}

describe("LineSplitter", () => {
  test("joins lines split across chunks and strips CR", () => {
    expect(split(['{"a"', ":1}\r\n{", '"b":2}\n'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  test("several lines in one chunk, and a last line without newline", () => {
    expect(split(["a\nb\nc"])).toEqual(["a", "b", "c"]);
  });

  test("an oversized line is cut to max+1 characters and the rest of it is dropped", () => {
    const long = "x".repeat(250);
    const lines = split([long.slice(0, 60), long.slice(60, 200), long.slice(200) + "\nnext\n"], 100);
    expect(lines).toEqual(["x".repeat(101), "next"]);
  });
});
