/** thread/started, thread/name/updated, the archive flag: the thread row's metadata, cut to its caps. */
import { ID_MAX_BYTES, ITEM_TEXT_PREVIEW_BYTES, NAME_MAX_BYTES, PATH_MAX_BYTES, truncateUtf8, utf8PrefixEnd } from "../../contract/limits.js";
import { openCommandsOfThread } from "../lib/commands.js";
import { patchThread, type IngestBatch } from "./batch.js";

type ThreadInfo = { name?: string | null; preview?: string | null; model?: string | null; cwd?: string | null; forkedFromId?: string | null };

const caps = { name: NAME_MAX_BYTES, preview: ITEM_TEXT_PREVIEW_BYTES, model: NAME_MAX_BYTES, cwd: PATH_MAX_BYTES } as const;

/** The start of a thread's first message, as a list shows it (a prefix, no marker). */
export function threadPreview(text: string): string {
  return text.slice(0, utf8PrefixEnd(text, ITEM_TEXT_PREVIEW_BYTES));
}

export function threadStarted(batch: IngestBatch, info: ThreadInfo): void {
  const fields: Record<string, string> = {};
  for (const key of ["name", "preview", "model", "cwd"] as const) {
    const raw = info[key];
    if (typeof raw !== "string" || raw === "") continue;
    const value = key === "preview" ? threadPreview(raw) : truncateUtf8(raw, caps[key]).text;
    if (batch.thread[key] !== value) fields[key] = value;
  }
  // A fork names its parent: the link a UI shows ("forked from …").
  if (info.forkedFromId && batch.thread.forkedFromThreadId === undefined) fields.forkedFromThreadId = truncateUtf8(info.forkedFromId, ID_MAX_BYTES).text;
  patchThread(batch, fields);
}

/** thread/archived, thread/unarchived: codex's archive flag, wherever it was changed. */
export function threadArchived(batch: IngestBatch, archived: boolean): void {
  if (batch.thread.archived !== archived) patchThread(batch, { archived });
}

/** Open commands read to tell whether an archive or unarchive is on its way. */
const OPEN_CONTROLS_READ = 50;

/**
 * A turn is running in codex, which runs none in an archived thread (it unloads one when
 * archiving it, and will not resume it archived): a row still flagged archived — an archive
 * whose fate is unknown, one withdrawn after codex got it — is not, unless an archive or
 * unarchive is still on its way (codex reports its outcome itself).
 */
export async function threadRunsTurn(batch: IngestBatch): Promise<void> {
  if (!batch.thread.archived) return;
  const open = await openCommandsOfThread(batch.ctx, batch.owner, batch.threadId, OPEN_CONTROLS_READ);
  if (open.some((c) => c.kind === "archiveThread" || c.kind === "unarchiveThread")) return;
  patchThread(batch, { archived: false });
}

export function threadRenamed(batch: IngestBatch, name: string | null | undefined): void {
  patchThread(batch, { name: name ? truncateUtf8(name, NAME_MAX_BYTES).text : undefined });
}
