/**
 * Typed helpers for the device side of the control plane: threads, turns, approvals and
 * server requests. Each one calls the mounted component, e.g.
 *
 *     startTurn(ctx, components.codexLocal, { actor, threadId, idempotencyKey, input })
 *
 * `actor` should come from `actorFromAuth(ctx)`, never from client-supplied arguments.
 */
import type { FunctionArgs } from "convex/server";
import type { ComponentApi } from "../component/_generated/component.js";
import type { RunMutationCtx, RunQueryCtx } from "./ctx.js";

type Api = ComponentApi;

/** Creates the thread for this owner if it does not exist yet (idempotent). */
export const createThread = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["threads"]["create"]>) =>
  ctx.runMutation(component.threads.create, args);

/** Get-or-create by codex `threadId`; returns the thread row. */
export const resolveThread = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["threads"]["resolve"]>) =>
  ctx.runMutation(component.threads.resolve, args);

/** Marks the thread resumed by a device and returns its state. */
export const resumeThread = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["threads"]["resume"]>) =>
  ctx.runMutation(component.threads.resume, args);

/** The thread row or `null`; never throws for a missing thread. */
export const getThread = (ctx: RunQueryCtx, component: Api, args: FunctionArgs<Api["threads"]["get"]>) =>
  ctx.runQuery(component.threads.get, args);

/** Thread row, active turn, recent turns, pending approval count, open commands. Throws E_THREAD_NOT_FOUND. */
export const getThreadState = (ctx: RunQueryCtx, component: Api, args: FunctionArgs<Api["threads"]["getState"]>) =>
  ctx.runQuery(component.threads.getState, args);

/** The owner's threads, most recently updated first. */
export const listThreads = (ctx: RunQueryCtx, component: Api, args: FunctionArgs<Api["threads"]["list"]>) =>
  ctx.runQuery(component.threads.list, args);

export const setThreadName = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["threads"]["setName"]>) =>
  ctx.runMutation(component.threads.setName, args);

export const archiveThread = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["threads"]["archive"]>) =>
  ctx.runMutation(component.threads.archive, args);

export const unarchiveThread = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["threads"]["unarchive"]>) =>
  ctx.runMutation(component.threads.unarchive, args);

/**
 * Queues a turn for the bridge; the same `idempotencyKey` returns the same command, in
 * whatever state it reached (a failed one stays failed: retry with a new key).
 */
export const startTurn = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["turns"]["start"]>) =>
  ctx.runMutation(component.turns.start, args);

/** Queues more input for the running turn (codex `turn/steer`); idempotent by key. */
export const steerTurn = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["turns"]["steer"]>) =>
  ctx.runMutation(component.turns.steer, args);

/** Queues an interrupt of the active turn (or `turnId`); a pending interrupt is reused. */
export const interruptTurn = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["turns"]["interrupt"]>) =>
  ctx.runMutation(component.turns.interrupt, args);

export const getTurn = (ctx: RunQueryCtx, component: Api, args: FunctionArgs<Api["turns"]["get"]>) =>
  ctx.runQuery(component.turns.get, args);

export const listTurns = (ctx: RunQueryCtx, component: Api, args: FunctionArgs<Api["turns"]["listByThread"]>) =>
  ctx.runQuery(component.turns.listByThread, args);

export const listPendingApprovals = (
  ctx: RunQueryCtx,
  component: Api,
  args: FunctionArgs<Api["approvals"]["listPending"]>,
) => ctx.runQuery(component.approvals.listPending, args);

/** First answer wins; later ones throw E_APPROVAL_ALREADY_DECIDED. */
export const respondToApproval = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["approvals"]["respond"]>) =>
  ctx.runMutation(component.approvals.respond, args);

export const listPendingServerRequests = (
  ctx: RunQueryCtx,
  component: Api,
  args: FunctionArgs<Api["serverRequests"]["listPending"]>,
) => ctx.runQuery(component.serverRequests.listPending, args);

/** Answers any codex server request with its raw response JSON; first answer wins. */
export const resolvePendingServerRequest = (
  ctx: RunMutationCtx,
  component: Api,
  args: FunctionArgs<Api["serverRequests"]["resolve"]>,
) => ctx.runMutation(component.serverRequests.resolve, args);
