/**
 * One WebSocket of Convex's sync protocol. Messages are handled one at a time, in order, and
 * every Transition follows the rules the 1.48 clients check:
 *
 *  - versions chain: each Transition starts exactly where the last one ended; `querySet` is
 *    the client's last ModifyQuerySet, `identity` its last Authenticate;
 *  - a Transition at timestamp T reflects every commit up to T in every query of this socket,
 *    so a mutation (answered with its commit's T first) resolves only once its writes show;
 *  - only queries whose read set a commit touched re-run (or all, in "rerun-all" mode), and
 *    only changed results are sent.
 * Mutations run one at a time in their own queue, beside the message queue (query changes
 * keep flowing while one waits). From a mutation's commit until its MutationResponse is
 * out, commits are not applied here: the answer goes before any Transition carrying its
 * write (an optimistic update and the write never show together), then a Transition at or
 * past its ts follows. Actions run beside both (they may take long and call mutations).
 * Expired or refused tokens get an AuthError and the socket is closed, as a deployment does.
 */
import type { UserIdentity } from "convex/server";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { identityFromToken, type TokenIdentity } from "../auth.js";
import type { CommitBatch, Engine, Outcome } from "../engine.js";
import type { ReadSet } from "../readSet.js";
import type { MutationLog } from "./mutationLog.js";
import { decodeJournal, encodeJournal, encodeTs, wireVersion, type AddQuery, type ClientMessage, type StateModification, type StateVersion } from "./wire.js";

export type Reactivity = "read-set" | "rerun-all";

export type ConnectionDeps = {
  engine: Engine;
  mutations: MutationLog;
  reactivity: Reactivity;
  send(message: object): void;
  close(code: number, reason: string): void;
  /** Told about every query result this socket sends (tests measure what reaches clients). */
  onQueryResult?(udfPath: string, args: Value, value: Value): void;
};

type LiveQuery = {
  udfPath: string;
  args: Record<string, Value>;
  journal: string | null;
  reads: ReadSet | null;
  /** What the client last got (result + journal), to send only changes. */
  lastSent: string | null;
};

type Modifications = Map<number, StateModification>;

const PING_MS = 15_000;

export class SyncConnection {
  private sessionId: string | null = null;
  private querySet = 0;
  private identityVersion = 0;
  private identity: TokenIdentity | null = null;
  private sent: StateVersion = { querySet: 0, identity: 0, ts: 0n };
  /** Commits up to here are reflected in every query of this socket. */
  private processedTs: bigint;
  private readonly queries = new Map<number, LiveQuery>();
  private readonly inbox: ClientMessage[] = [];
  private readonly batches: CommitBatch[] = [];
  private running = false;
  /** A mutation was answered: the next Transition must go out even if nothing changed. */
  private answered = false;
  private mutationQueue: Promise<void> = Promise.resolve();
  /** Mutations of this socket committed but not yet answered. */
  private committedUnanswered = 0;
  private closed = false;
  private clockSkew: number | undefined;
  private lastSendAt = Date.now();
  private readonly ping: ReturnType<typeof setInterval>;

  constructor(private readonly deps: ConnectionDeps) {
    this.processedTs = deps.engine.ts;
    this.ping = setInterval(() => {
      if (Date.now() - this.lastSendAt >= PING_MS) this.send({ type: "Ping" });
    }, 1_000);
    this.ping.unref?.();
  }

  receive(message: ClientMessage): void {
    this.inbox.push(message);
    void this.pump();
  }

  onCommit(batch: CommitBatch): void {
    this.batches.push(batch);
    void this.pump();
  }

  /** (path, args) of every live query, for tests that check what a client subscribed to. */
  liveQueries(): Array<{ udfPath: string; args: Record<string, Value> }> {
    return [...this.queries.values()].map(({ udfPath, args }) => ({ udfPath, args }));
  }

  get busy(): boolean {
    return this.running || this.hasWork();
  }

  private hasWork(): boolean {
    return this.inbox.length > 0 || this.answered || (this.batches.length > 0 && this.committedUnanswered === 0);
  }

  dispose(): void {
    this.closed = true;
    clearInterval(this.ping);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && this.hasWork()) await this.step();
    } catch (error) {
      this.fail(`dev backend: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }

  private async step(): Promise<void> {
    const modifications: Modifications = new Map();
    const message = this.inbox.shift();
    let versionMoved = message ? await this.handle(message, modifications) : false;
    if (this.closed) return;
    if (this.batches.length > 0 && this.committedUnanswered === 0) {
      if (!this.identityStillValid()) return;
      await this.applyCommits(modifications);
    }
    // Commits up to every answered mutation's ts are applied by now (its batch was queued
    // here before its answer went out).
    if (this.answered) [versionMoved, this.answered] = [true, false];
    if (modifications.size > 0 || versionMoved) this.transition(modifications);
  }

  /** Handles one client message; true when a Transition must follow even if nothing changed. */
  private async handle(message: ClientMessage, modifications: Modifications): Promise<boolean> {
    switch (message.type) {
      case "Connect":
        this.sessionId = message.sessionId;
        if (typeof message.clientTs === "number") this.clockSkew = message.clientTs - Date.now();
        return false;
      case "ModifyQuerySet":
        return await this.modifyQuerySet(message, modifications);
      case "Authenticate":
        return await this.authenticate(message, modifications);
      case "Mutation":
        this.enqueueMutation(message);
        return false;
      case "Action":
        this.action(message);
        return false;
      case "Event":
        return false;
    }
  }

  private async modifyQuerySet(message: Extract<ClientMessage, { type: "ModifyQuerySet" }>, modifications: Modifications) {
    if (message.baseVersion !== this.querySet) {
      this.fail(`Base version ${message.baseVersion} passed up doesn't match the current version ${this.querySet}`);
      return false;
    }
    const added: number[] = [];
    for (const change of message.modifications) {
      if (change.type === "Remove") {
        this.queries.delete(change.queryId);
        modifications.set(change.queryId, { type: "QueryRemoved", queryId: change.queryId });
      } else {
        this.queries.set(change.queryId, liveQuery(change));
        added.push(change.queryId);
      }
    }
    this.querySet = message.newVersion;
    await Promise.all(added.map((id) => this.run(id, modifications, message.modifications.find((m) => m.type === "Add" && m.queryId === id) as AddQuery)));
    return true;
  }

  private async authenticate(message: Extract<ClientMessage, { type: "Authenticate" }>, modifications: Modifications) {
    if (message.baseVersion !== this.identityVersion) {
      this.fail(`Identity version ${message.baseVersion} passed up doesn't match the current version ${this.identityVersion}`);
      return false;
    }
    if (message.tokenType === "None") this.identity = null;
    else {
      try {
        if (message.tokenType === "Admin") throw new Error("Admin keys are not supported by the dev backend");
        this.identity = identityFromToken(message.value ?? "");
      } catch (error) {
        this.authError(error instanceof Error ? error.message : String(error), true);
        return false;
      }
    }
    this.identityVersion = message.baseVersion + 1;
    // Every query runs again as the new user.
    await Promise.all([...this.queries.keys()].map((id) => this.run(id, modifications)));
    return true;
  }

  private enqueueMutation(message: Extract<ClientMessage, { type: "Mutation" }>) {
    if (!this.identityStillValid()) return;
    const identity = this.user(); // as of its place in the message order
    this.mutationQueue = this.mutationQueue.then(() => this.mutation(message, identity));
  }

  private async mutation(message: Extract<ClientMessage, { type: "Mutation" }>, identity: UserIdentity | null) {
    const { engine } = this.deps;
    let held = false;
    const record = await this.deps.mutations.run(this.sessionId, message.requestId, async () => {
      const outcome = message.componentPath
        ? adminOnly(message.componentPath)
        : await engine.mutation(message.udfPath, argsOf(message.args), identity);
      // Set before its commit can be announced (announcing waits for a later tick).
      if (outcome.ok) [held, this.committedUnanswered] = [true, this.committedUnanswered + 1];
      return { outcome, ts: outcome.ok ? await engine.flush() : engine.ts };
    });
    const { outcome, ts } = record;
    this.send(
      outcome.ok
        ? { type: "MutationResponse", requestId: message.requestId, success: true, result: convexToJson(outcome.value), ts: encodeTs(ts), logLines: outcome.logLines }
        : { type: "MutationResponse", requestId: message.requestId, success: false, result: outcome.message, logLines: outcome.logLines, ...errorData(outcome) },
    );
    // The client resolves a committed mutation on the first Transition at or past its ts
    // that comes after this answer.
    if (held) this.committedUnanswered--;
    if (outcome.ok) this.answered = true;
    void this.pump();
  }

  private action(message: Extract<ClientMessage, { type: "Action" }>) {
    if (!this.identityStillValid()) return;
    void (async () => {
      const outcome = message.componentPath
        ? adminOnly(message.componentPath)
        : await this.deps.engine.action(message.udfPath, argsOf(message.args), this.user());
      this.send(
        outcome.ok
          ? { type: "ActionResponse", requestId: message.requestId, success: true, result: convexToJson(outcome.value), logLines: outcome.logLines }
          : { type: "ActionResponse", requestId: message.requestId, success: false, result: outcome.message, logLines: outcome.logLines, ...errorData(outcome) },
      );
    })();
  }

  private async applyCommits(modifications: Modifications) {
    const batches = this.batches.splice(0);
    const writes = batches.flatMap((b) => b.writes);
    const touched = [...this.queries.entries()].filter(
      ([id, q]) => !modifications.has(id) && (this.deps.reactivity === "rerun-all" || !q.reads || q.reads.touchedBy(writes)),
    );
    await Promise.all(touched.map(([id]) => this.run(id, modifications)));
    const ts = batches.reduce((max, b) => (b.ts > max ? b.ts : max), this.processedTs);
    this.processedTs = ts;
  }

  /** Runs one live query; records a modification when its result changed. */
  private async run(queryId: number, modifications: Modifications, added?: AddQuery) {
    const query = this.queries.get(queryId);
    if (!query) return;
    const outcome = added?.componentPath
      ? { ...adminOnly(added.componentPath), reads: null, journal: null }
      : await this.deps.engine.query(query.udfPath, query.args, this.user(), query.journal);
    if (this.queries.get(queryId) !== query) return; // removed meanwhile
    query.reads = outcome.reads;
    if (outcome.journal !== null) query.journal = outcome.journal;
    const journal = encodeJournal(query.journal);
    const modification: StateModification = outcome.ok
      ? { type: "QueryUpdated", queryId, value: convexToJson(outcome.value), logLines: outcome.logLines, journal }
      : { type: "QueryFailed", queryId, errorMessage: outcome.message, logLines: outcome.logLines, journal, ...errorData(outcome) };
    const fingerprint = JSON.stringify([modification.type, "value" in modification ? modification.value : modification.errorMessage, journal]);
    if (fingerprint === query.lastSent && !added) return;
    query.lastSent = fingerprint;
    modifications.set(queryId, modification);
    if (outcome.ok) this.deps.onQueryResult?.(query.udfPath, query.args, outcome.value);
  }

  private transition(modifications: Modifications) {
    const endVersion: StateVersion = { querySet: this.querySet, identity: this.identityVersion, ts: this.processedTs };
    this.send({
      type: "Transition",
      startVersion: wireVersion(this.sent),
      endVersion: wireVersion(endVersion),
      modifications: [...modifications.values()],
      ...(this.clockSkew !== undefined ? { clientClockSkew: this.clockSkew } : {}),
    });
    this.sent = endVersion;
  }

  private identityStillValid(): boolean {
    if (!this.identity || this.identity.expiresAtMs > Date.now()) return true;
    this.authError("Token expired", false);
    return false;
  }

  private authError(error: string, authUpdateAttempted: boolean) {
    this.send({ type: "AuthError", error, baseVersion: this.identityVersion, authUpdateAttempted });
    this.closed = true;
    this.deps.close(1000, "AuthError");
  }

  private fail(error: string) {
    this.send({ type: "FatalError", error });
    this.closed = true;
    this.deps.close(1011, "InternalServerError");
  }

  private user(): UserIdentity | null {
    return this.identity?.identity ?? null;
  }

  private send(message: object) {
    if (this.closed && (message as { type: string }).type !== "AuthError" && (message as { type: string }).type !== "FatalError") return;
    this.lastSendAt = Date.now();
    this.deps.send(message);
  }
}

function liveQuery(add: AddQuery): LiveQuery {
  return { udfPath: add.udfPath, args: argsOf(add.args), journal: decodeJournal(add.journal), reads: null, lastSent: null };
}

function argsOf(args: JSONValue[]): Record<string, Value> {
  return (args[0] === undefined ? {} : jsonToConvex(args[0])) as Record<string, Value>;
}

function errorData(outcome: Outcome) {
  return !outcome.ok && outcome.data !== undefined ? { errorData: outcome.data } : {};
}

/** Only admin keys may call a component's functions directly; the dev backend has none. */
function adminOnly(componentPath: string): Outcome {
  return { ok: false, message: `Calling component "${componentPath}" directly needs an admin key`, logLines: [] };
}
