/**
 * Follows one thread as any device sees it, from Convex alone: the history first (durable
 * messages, oldest first), then what arrives — a running stream replayed from its start and
 * then live, other devices' messages, approvals to answer (or answered elsewhere), each turn's
 * end. A CLI polls (`pollMs`); the React hooks do the same through subscriptions.
 */
import type { ConvexCaller } from "codex-local-component/host";
import type { FunctionReference } from "convex/server";
import type { ApprovalAnswer, Terminal } from "../cli/terminal.js";

/** The generated host API's functions this view reads and calls (names as in `api.codex`). */
export type FollowApi = {
  threadMessages: FunctionReference<"query">;
  streamSync: FunctionReference<"query">;
  threadState: FunctionReference<"query">;
  pendingApprovals: FunctionReference<"query">;
  approvalHistory: FunctionReference<"query">;
  approvalRespond: FunctionReference<"mutation">;
};

type Message = { turnId: string; itemId: string; role: "user" | "assistant"; status: string; text: string; streamId?: string };
type Stream = { streamId: string; turnId: string; itemId: string; channel: string; status: string };
type Replay = { streams: Stream[]; deltas: Array<{ streamId: string; text: string }>; nextCheckpoints: Array<{ streamId: string; cursor: number }> };
type Approval = { turnId: string; itemId: string; kind: string; command?: string; reason?: string; status: string; decidedByDeviceId?: string };
type ThreadState = { activeTurn: { turnId: string } | null; recentTurns: Array<{ turnId: string; status: string; error?: { message?: string } }> };

const DECISIONS: Record<ApprovalAnswer, string> = { accept: "accepted", decline: "declined", cancel: "cancelled" };

export class ThreadFollower {
  /** Messages shown, by `turnId/itemId` (streamed or printed whole). */
  private readonly shown = new Set<string>();
  /** Streams being shown live, with how far. */
  private readonly cursors = new Map<string, number>();
  private readonly asked = new Set<string>();
  /** Texts this terminal sent: their durable copies are not echoed back. */
  private readonly sentTexts: string[] = [];
  private activeTurn: string | null = null;
  /** Turns whose end was shown (or that had ended before this view started). */
  private readonly endedTurns = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly client: ConvexCaller,
    private readonly api: FollowApi,
    private readonly threadId: string,
    private readonly term: Terminal,
    private readonly options: { deviceId: string; pollMs: number },
  ) {}

  /** Prints the history and starts following. */
  async start(): Promise<void> {
    const page = (await this.client.query(this.api.threadMessages, { threadId: this.threadId, paginationOpts: { numItems: 50, cursor: null } })) as {
      page: Message[];
    };
    const history = [...page.page].reverse();
    if (history.length) this.term.line(`── history (${history.length} message${history.length === 1 ? "" : "s"})`);
    for (const m of history) if (m.status !== "streaming") this.printWhole(m);
    const { streams } = (await this.client.query(this.api.streamSync, { threadId: this.threadId, streamCursorsById: [] })) as Replay;
    for (const s of streams) if (s.channel === "agentMessage" && s.status === "streaming") this.follow(s, "replaying the running reply from its start");
    const state = (await this.client.query(this.api.threadState, { threadId: this.threadId })) as ThreadState;
    this.activeTurn = state.activeTurn?.turnId ?? null;
    for (const turn of state.recentTurns) if (turn.status !== "inProgress") this.endedTurns.add(turn.turnId);
    this.schedule();
  }

  /** Remembers a text this terminal sent (so its durable copy is not printed again). */
  sent(text: string): void {
    this.sentTexts.push(text);
  }

  get turnRunning(): boolean {
    return this.activeTurn !== null;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick().then(
        () => this.schedule(),
        (error: unknown) => {
          this.term.line(`! ${(error as Error).message}`);
          this.schedule();
        },
      );
    }, this.options.pollMs);
  }

  private async tick() {
    // The turn's state first: whatever it says has ended, the reads below already include.
    const state = (await this.client.query(this.api.threadState, { threadId: this.threadId })) as ThreadState;
    // Approvals answered elsewhere are said before what followed them (the command's output, the reply).
    const pending = (await this.client.query(this.api.pendingApprovals, { threadId: this.threadId })) as Approval[];
    await this.sayAnswered(pending);
    const streamCursorsById = [...this.cursors].map(([streamId, cursor]) => ({ streamId, cursor }));
    const replay = (await this.client.query(this.api.streamSync, { threadId: this.threadId, streamCursorsById })) as Replay;
    for (const delta of replay.deltas) if (this.cursors.has(delta.streamId)) this.term.write(delta.text);
    for (const { streamId, cursor } of replay.nextCheckpoints) if (this.cursors.has(streamId)) this.cursors.set(streamId, cursor);
    for (const s of replay.streams) if (s.channel === "agentMessage" && !this.shown.has(key(s)) && s.status === "streaming") this.follow(s);

    const page = (await this.client.query(this.api.threadMessages, { threadId: this.threadId, paginationOpts: { numItems: 20, cursor: null } })) as {
      page: Message[];
    };
    for (const m of [...page.page].reverse()) {
      if (m.status === "streaming") continue;
      const followed = m.streamId === undefined ? undefined : this.cursors.get(m.streamId);
      if (followed !== undefined) {
        // Done: whatever the last deltas did not show yet is the stored text's tail.
        this.term.write(`${m.text.slice(followed)}\n`);
        this.cursors.delete(m.streamId!);
      } else if (!this.shown.has(key(m))) {
        this.printWhole(m);
      }
    }

    this.ask(pending);
    this.activeTurn = state.activeTurn?.turnId ?? null;
    // Every turn that ended since the last look, oldest first (a short one may start and end
    // between two looks).
    for (const turn of [...state.recentTurns].reverse()) {
      if (turn.status === "inProgress" || this.endedTurns.has(turn.turnId)) continue;
      this.endedTurns.add(turn.turnId);
      for (const [streamId] of this.cursors) this.cursors.delete(streamId);
      if (this.term.dropQuestions()) this.term.line("  (the turn ended before the approval was answered)");
      this.term.line(`— turn ${turn.status}${turn.error?.message ? `: ${turn.error.message}` : ""}`);
      this.term.prompt();
    }
  }

  private async sayAnswered(pending: Approval[]) {
    const pendingKeys = new Set(pending.map(key));
    for (const id of [...this.asked]) {
      if (pendingKeys.has(id)) continue;
      this.asked.delete(id);
      // Answered, here or on another device: say which, once.
      const history = (await this.client.query(this.api.approvalHistory, {
        threadId: this.threadId,
        turnId: id.split("/")[0],
        paginationOpts: { numItems: 20, cursor: null },
      })) as { page: Approval[] };
      const answered = history.page.find((a) => key(a) === id);
      if (answered && answered.decidedByDeviceId !== this.options.deviceId) {
        this.term.dropQuestions();
        this.term.line(`  answered on another device: ${answered.status}${answered.decidedByDeviceId ? ` (${answered.decidedByDeviceId})` : ""}`);
      }
    }
  }

  /** Asks at this terminal each approval codex is waiting for that it has not asked yet. */
  private ask(pending: Approval[]) {
    for (const approval of pending) {
      const id = key(approval);
      if (this.asked.has(id)) continue;
      this.asked.add(id);
      const what = approval.kind === "commandExecution" ? `run: ${approval.command ?? "(a command)"}` : `make a ${approval.kind} change`;
      void this.term.askApproval(`? codex wants to ${what}${approval.reason ? ` — ${approval.reason}` : ""}`).then(async (answer) => {
        if (answer === undefined) return;
        await this.client
          .mutation(this.api.approvalRespond, { threadId: this.threadId, turnId: approval.turnId, itemId: approval.itemId, decision: DECISIONS[answer], deviceId: this.options.deviceId })
          .catch((error: unknown) => this.term.line(`  ! ${(error as { data?: { message?: string } }).data?.message ?? (error as Error).message}`));
      });
    }
  }

  private follow(stream: Stream, note?: string) {
    if (this.cursors.has(stream.streamId)) return;
    this.shown.add(key(stream));
    this.cursors.set(stream.streamId, 0);
    if (note) this.term.line(`── ${note}`);
  }

  private printWhole(m: Message) {
    this.shown.add(key(m));
    if (m.role === "user") {
      const mine = this.sentTexts.indexOf(m.text);
      if (mine >= 0) return void this.sentTexts.splice(mine, 1);
      this.term.line(`user › ${m.text}`);
    } else {
      this.term.line(`${m.text}${m.status === "completed" ? "" : ` [${m.status}]`}`);
    }
  }
}

const key = (x: { turnId: string; itemId: string }) => `${x.turnId}/${x.itemId}`;
