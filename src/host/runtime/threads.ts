/**
 * The threads this runtime answers for: those it started, resumed or forked (`openThread`, a
 * device's command, a restart). Only their events are persisted. codex may report a thread
 * nobody here opened (a request sent through the raw bridge, another client of the same
 * codex): recording it would make a thread no runtime looks after, with a turn that never
 * ends, so its events are reported and left out.
 *
 * A new thread's id is known only from codex's answer to `thread/start` / `thread/fork`, and
 * its first notifications may be read before that answer is handled: while such a request is
 * in flight, events of unknown threads wait here (in order, bounded), and go through once
 * their thread turns out to be the one just opened.
 *
 * A control this runtime ran on a thread it did not open (a device's rename, archive, …, or
 * the runtime's own) is codex's to report: those notifications alone (`METADATA_METHODS`) are
 * persisted. A thread the backend deleted is forgotten: nothing of it is sent again.
 */
import type { BridgeEvent } from "../../bridge/index.js";

/** Events of unknown threads held while a thread is being opened. */
const MAX_HELD_EVENTS = 2_000;
/** What codex reports of a control: the thread's metadata, never a turn. */
export const METADATA_METHODS = new Set(["thread/name/updated", "thread/archived", "thread/unarchived", "thread/reverted"]);

export class OwnedThreads {
  private readonly owned = new Set<string>();
  private inFlight = 0;
  private held: BridgeEvent[] = [];
  private readonly reported = new Set<string>();
  private readonly controlled = new Set<string>();
  private readonly deleted = new Set<string>();

  constructor(
    /** Handles an event of an owned thread. */
    private readonly accept: (event: BridgeEvent) => void,
    /** An event of a thread this runtime did not open (reported once per thread). */
    private readonly onForeign: (threadId: string, event: BridgeEvent) => void,
    /** Every thread counts as owned (nothing is persisted, so none can be a ghost). */
    private readonly options: { ownsAll?: boolean } = {},
  ) {}

  has(threadId: string): boolean {
    return this.options.ownsAll === true || this.owned.has(threadId);
  }

  /** A thread whose id is known before codex answers (resume, a command's thread). */
  add(threadId: string): void {
    this.owned.add(threadId);
  }

  /** A control is about to act on `threadId`: codex's metadata notifications of it are persisted. */
  control(threadId: string): void {
    this.controlled.add(threadId);
  }

  /** The backend deleted the thread: none of its events go anywhere any more. */
  forget(threadId: string): void {
    this.owned.delete(threadId);
    this.controlled.delete(threadId);
    this.deleted.add(threadId);
  }

  isDeleted(threadId: string): boolean {
    return this.deleted.has(threadId);
  }

  /** Resumes a thread: owned from before the request (its notifications may come first), unless codex refuses. */
  async resume<T>(threadId: string, request: () => Promise<T>): Promise<T> {
    const known = this.owned.has(threadId);
    this.owned.add(threadId);
    try {
      return await request();
    } catch (error) {
      if (!known) this.owned.delete(threadId);
      throw error;
    }
  }

  /** Runs a request that opens a thread whose id only codex's answer tells (start, fork). */
  async open<T>(open: () => Promise<T>, idOf: (result: T) => string): Promise<T> {
    this.inFlight++;
    let threadId: string | undefined;
    try {
      const result = await open();
      threadId = idOf(result);
      return result;
    } finally {
      this.inFlight--;
      if (threadId !== undefined) this.owned.add(threadId);
      this.release();
    }
  }

  /** Every thread event codex sent, in order. */
  route(event: BridgeEvent): void {
    if (this.deleted.has(event.threadId)) return;
    if (this.has(event.threadId) || this.isControlReport(event)) return this.accept(event);
    if (this.inFlight > 0 && this.held.length < MAX_HELD_EVENTS) {
      this.held.push(event);
      return;
    }
    this.foreign(event);
  }

  /** Held events of threads now owned go through, in order; the rest are foreign once nothing is being opened. */
  private release() {
    const held = this.held;
    this.held = [];
    for (const event of held) {
      if (this.has(event.threadId)) this.accept(event);
      else if (this.inFlight > 0) this.held.push(event);
      else this.foreign(event);
    }
  }

  private isControlReport(event: BridgeEvent): boolean {
    return this.controlled.has(event.threadId) && event.message.kind === "notification" && METADATA_METHODS.has(event.message.method);
  }

  private foreign(event: BridgeEvent) {
    if (this.reported.has(event.threadId)) return;
    this.reported.add(event.threadId);
    this.onForeign(event.threadId, event);
  }
}
