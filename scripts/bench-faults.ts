/**
 * `pnpm bench:faults`: the fault suite (src/host/testing/faultSuite.ts) with the real
 * durations — backend down 10 s and 30 s mid-stream, every write taking 2 s, codex SIGKILLed
 * mid-turn and during a 20 s backend outage, codex hung mid-turn (found by the bridge's 30 s / 10 s probe), the runtime stopped and restarted mid-turn, a
 * claim reply lost, a completion lost, two runtimes racing, sockets dropped again and again,
 * an approval answered during an outage / while the runtime stops / from two devices, item ids reused across turns — on
 * the real codex binary with the scripted model and the example app + component in process.
 * Per case: events lost, duplicated, commands / turns / approvals left non-final, and the time
 * from the end of the fault until all of it is 0. Prints figures; `pnpm test` asserts them (at
 * short durations). `FAULTS=<substring>` runs only the matching cases.
 */
import { BENCH_SCALE, FAULT_CASES, runFaultCase, summaryLine, type FaultResult } from "../src/host/testing/faultSuite.js";

const only = process.env.FAULTS;
const scale = { ...BENCH_SCALE };
const cases = FAULT_CASES.filter((c) => !only || c.name.includes(only));
const names: Record<string, string> = {
  "backend down (short) mid-stream, calls refused": `backend down ${scale.shortOutageMs / 1000} s mid-stream (calls refused)`,
  "backend down (long) mid-stream, calls held": `backend down ${scale.longOutageMs / 1000} s mid-stream (calls held)`,
  "every write slow": `every write taking ${scale.writeDelayMs / 1000} s`,
  "codex SIGKILLed during a backend outage": `codex SIGKILLed during a ${scale.outageDuringCrashMs / 1000} s backend outage`,
};

console.log(`fault suite on the real codex, node ${process.version}\n`);
console.log("| case | lost | duplicated | commands non-final | turns inProgress | approvals unanswerable | recovery |");
console.log("|---|---|---|---|---|---|---|");
const results: FaultResult[] = [];
for (const fault of cases) {
  const result = await runFaultCase(fault, scale);
  results.push(result);
  const recovery = result.recoveryMs >= 1000 ? `${(result.recoveryMs / 1000).toFixed(1)} s` : `${result.recoveryMs} ms`;
  console.log(
    `| ${names[fault.name] ?? fault.name} | ${result.lost} | ${result.duplicated} | ${result.commands} | ${result.turns} | ${result.approvals} | ${recovery} |`,
  );
  for (const line of result.detail) console.log(`    ${line}`);
}
console.log(`\n${summaryLine(results)}`);
process.exit(0);
