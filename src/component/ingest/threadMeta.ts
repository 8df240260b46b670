/** thread/started and thread/name/updated: the thread row's metadata. */
import { patchThread, type IngestBatch } from "./batch.js";

type ThreadInfo = { name?: string | null; preview?: string | null; model?: string | null; cwd?: string | null };

export function threadStarted(batch: IngestBatch, info: ThreadInfo): void {
  const fields: Record<string, string> = {};
  for (const key of ["name", "preview", "model", "cwd"] as const) {
    const value = info[key];
    if (typeof value === "string" && value !== "" && batch.thread[key] !== value) fields[key] = value;
  }
  patchThread(batch, fields);
}

export function threadRenamed(batch: IngestBatch, name: string | null | undefined): void {
  patchThread(batch, { name: name ?? undefined });
}
