/**
 * `importLocalThreadToPersistence`: a thread that exists only in this machine's codex, copied
 * into the backend. The runtime reads codex's record of it in pages of turns
 * (`thread/turns/list`), cuts each page into chunks (`importChunks`: the live events' ids, and
 * the messages to verify) and hands them to the backend's import job, then seals it; from
 * there the backend applies, verifies and finishes the import on its own (`imports.ts` in the
 * component). A host that died while collecting is handed the same job back and goes on from
 * the page it was cut off in; importing a thread again changes nothing that is stored.
 */
import { buildThreadReadRequest } from "../../app-server/index.js";
import type { CodexLocalBridge } from "../../bridge/index.js";
import { importChunks } from "../../protocol/importChunks.js";
import type { CodexPersistence, ImportJob } from "../persistence/port.js";
import { untilSettled, type BackoffOptions } from "../retry.js";
import { turnPages } from "./history.js";

export type ImportOptions = {
  /** Turns per page read from codex. Default 20. */
  pageSize?: number;
  /** Wait until the backend finished the import (default), or return once it is sealed. */
  wait?: boolean;
  /** How long to wait for the end. Default 10 minutes. */
  timeoutMs?: number;
  /** Every state of the job the runtime sees. */
  onProgress?: (job: ImportJob) => void;
};

/** Where an import ended (or stands, without `wait`): the thread to read, and the job with its counts. */
export type ImportResult = { threadId: string; jobId: string; status: ImportJob["status"]; job: ImportJob };

export type ImportDeps = {
  bridge: CodexLocalBridge;
  persistence: CodexPersistence;
  report: (error: unknown, context: string) => void;
  giveUp: () => boolean;
  retry?: BackoffOptions;
};

const TERMINAL = new Set<ImportJob["status"]>(["synced", "failed", "cancelled"]);

export async function importThread(deps: ImportDeps, threadId: string, options: ImportOptions = {}): Promise<ImportResult> {
  const { bridge } = deps;
  const { thread } = await bridge.request(buildThreadReadRequest(threadId, false));
  const land = <T>(what: string, call: () => Promise<T>) => landed(deps, what, call);
  let job = await land("starting the import", () =>
    deps.persistence.startImport({
      threadId,
      name: thread.name ?? undefined,
      preview: thread.preview || undefined,
      model: thread.model ?? undefined,
      cwd: thread.cwd,
      forkedFromThreadId: thread.forkedFromId ?? undefined,
    }),
  );
  options.onProgress?.(job);
  if (job.status === "collecting") job = await collect(deps, threadId, job, options.pageSize, land);
  options.onProgress?.(job);
  if (options.wait === false || TERMINAL.has(job.status)) return { threadId, jobId: job._id, status: job.status, job };
  const done = await untilEnded(deps, job._id, options.timeoutMs ?? 10 * 60_000, options.onProgress);
  return { threadId, jobId: done._id, status: done.status, job: done };
}

/** Reads codex's turns from where the job stands and sends them; resolves with the sealed job. */
async function collect(deps: ImportDeps, threadId: string, job: ImportJob, pageSize: number | undefined, land: <T>(what: string, call: () => Promise<T>) => Promise<T>) {
  let seq = job.sourceCursor === null ? job.chunks : job.sourceSeq;
  if (job.sourceCursor !== null) {
    let cursor = job.sourceCursor ?? null;
    try {
      seq = await sendPages(deps, threadId, job, cursor, seq, pageSize, land);
    } catch (error) {
      if (cursor === null) throw error;
      // codex did not take the cursor a host before this one left (another codex version?): read it all again.
      deps.report(error, `resuming the import of ${threadId} from codex's cursor; reading the thread again`);
      cursor = null;
      seq = await sendPages(deps, threadId, job, cursor, 0, pageSize, land);
    }
  }
  return await land("sealing the import", () => deps.persistence.sealImport({ jobId: job._id, chunkCount: seq }));
}

async function sendPages(
  deps: ImportDeps,
  threadId: string,
  job: ImportJob,
  cursor: string | null,
  seq: number,
  pageSize: number | undefined,
  land: <T>(what: string, call: () => Promise<T>) => Promise<T>,
): Promise<number> {
  for await (const page of turnPages(deps.bridge, threadId, { cursor, pageSize })) {
    const chunks = await importChunks(threadId, page.turns);
    const next = { cursor: page.turns.length > 0 ? page.nextCursor : null, seq: seq + chunks.length };
    for (const [i, chunk] of chunks.entries()) {
      const args = { jobId: job._id, seq: seq + i, ...chunk, ...(i === chunks.length - 1 ? { next } : {}) };
      await land(`sending chunk ${args.seq} of the import`, () => deps.persistence.appendImportChunk(args));
    }
    seq += chunks.length;
  }
  return seq;
}

/** A call that must reach the backend: retried while it cannot (a coded refusal ends it, thrown). */
async function landed<T>(deps: ImportDeps, what: string, call: () => Promise<T>): Promise<T> {
  const result = await untilSettled(call, {
    ...deps.retry,
    giveUp: deps.giveUp,
    onRetry: (error, attempt, delayMs) => deps.report(error, `${what} (attempt ${attempt}, retry in ${Math.round(delayMs)} ms)`),
  });
  if (!result.ok) throw result.error;
  return result.value;
}

/** Resolves with the job once the backend ended it (synced, failed, cancelled). */
function untilEnded(deps: ImportDeps, jobId: string, timeoutMs: number, onProgress?: (job: ImportJob) => void): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    let stop = () => undefined as void;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the import ${jobId} did not end within ${timeoutMs} ms (it goes on in the backend)`));
    }, timeoutMs);
    stop = deps.persistence.watchImport(
      { jobId },
      (job) => {
        if (job === null) {
          clearTimeout(timer);
          // The first result may come before `stop` is the unsubscribe.
          queueMicrotask(() => stop());
          reject(new Error(`the import ${jobId} is gone (its thread was deleted?)`));
          return;
        }
        onProgress?.(job);
        if (!TERMINAL.has(job.status)) return;
        clearTimeout(timer);
        // The first update can come before `watchImport` returned its unsubscribe.
        queueMicrotask(() => stop());
        resolve(job);
      },
      (error) => deps.report(error, `watching the import ${jobId}`),
    );
  });
}
