// The fault suite (src/host/testing/faultSuite.ts) on the REAL codex binary with the scripted
// model: one fault per case, short durations with the same code paths as `pnpm bench:faults`
// (which runs the real ones and prints the figures). Every figure must be 0.
import { describe, expect, test } from "vitest";
import { FAULT_CASES, TEST_SCALE, runFaultCase, summaryLine, type FaultResult } from "./testing/faultSuite.js";

const results: FaultResult[] = [];

describe("fault suite", () => {
  test.each(FAULT_CASES.map((c) => [c.name, c] as const))("%s: nothing lost, duplicated or stuck", async (_name, fault) => {
    const result = await runFaultCase(fault, TEST_SCALE);
    results.push(result);
    expect({ ...result, recoveryMs: undefined }).toEqual({
      name: fault.name,
      lost: 0,
      duplicated: 0,
      commands: 0,
      turns: 0,
      approvals: 0,
      detail: [],
      recoveryMs: undefined,
    });
  }, 90_000);

  test("the summary line counts every case", () => {
    expect(summaryLine(results)).toBe(`faults: ${FAULT_CASES.length} cases, 0 lost, 0 duplicated, 0 stuck`);
  });
});
