/**
 * The one way this project makes a convex-test backend: with Convex's own limits. Every
 * instance (component tests, example-app tests, the in-process stack of the e2e tests, the
 * demo, the web stand-in, the benchmarks) comes from `createConvexTest`, so none of them
 * lets through what a deployment would refuse:
 * - `transactionLimits: true`: Convex's default limits on documents and bytes read and
 *   written per function (convex-test enforces none unless asked);
 * - a write guard: any document written over DOCUMENT_MAX_BYTES (1 MiB, measured with
 *   Convex's own `getConvexSize`) fails the write as a deployment would, and is recorded
 *   in `oversizeWrites` so a test fails even where the code under test swallows the error.
 *
 * convex-test measures each written document for its transaction metrics; the guard sits
 * on that measurement (its `TransactionMetricsTracker.trackWrite`), so every insert, patch
 * and replace of every instance passes through it.
 */
import { convexTest } from "convex-test";
import { TransactionMetricsTracker } from "convex-test/dist/transactionMetrics.js";
import type { GenericSchema, SchemaDefinition } from "convex/server";
import { DOCUMENT_MAX_BYTES } from "../contract/limits.js";

type Modules = Record<string, () => Promise<unknown>>;

/** Writes the guard refused, oldest first (a test harness may assert this stays empty). */
export const oversizeWrites: Array<{ bytes: number; stack: string | undefined }> = [];

let guarded = false;
function installWriteGuard(): void {
  if (guarded) return;
  guarded = true;
  const proto = TransactionMetricsTracker.prototype as { trackWrite(this: unknown, bytes: number): void };
  const trackWrite = proto.trackWrite;
  proto.trackWrite = function (this: unknown, bytes: number) {
    if (bytes > DOCUMENT_MAX_BYTES) {
      // Worded as a deployment words it, so code that recognises the refusal recognises this one.
      const mib = (bytes / (1024 * 1024)).toFixed(2);
      const error = new Error(`Value is too large (${mib} MiB > maximum size 1 MiB): a document of ${bytes} bytes was written`);
      oversizeWrites.push({ bytes, stack: error.stack });
      throw error;
    }
    trackWrite.call(this, bytes);
  };
}

export function createConvexTest<Schema extends GenericSchema>(
  schema: SchemaDefinition<Schema, boolean> | undefined,
  modules: Modules,
) {
  installWriteGuard();
  return convexTest({ schema, modules, transactionLimits: true });
}
