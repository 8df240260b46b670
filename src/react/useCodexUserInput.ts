/**
 * codex's questions to the user (`item/tool/requestUserInput`, asked in plan mode): each
 * pending request with its questions read from the request's params, and a way to answer
 * them from any device. An answered request leaves the list at once (optimistic update)
 * and comes back if the answer fails; answered on another device, it leaves by subscription.
 */
import { useMutation, useQuery } from "convex/react";
import type { FunctionArgs, FunctionReference, OptionalRestArgs } from "convex/server";
import { useCallback, useMemo } from "react";

const USER_INPUT_METHOD = "item/tool/requestUserInput";

export type CodexQuestion = {
  id: string;
  header: string;
  question: string;
  /** codex accepts a free-text answer besides the options. */
  isOther: boolean;
  /** The answer should not be shown as typed (a password field). */
  isSecret: boolean;
  options: Array<{ label: string; description: string }>;
};

export type CodexUserInputRequest = {
  _id: string;
  sessionId: string;
  requestId: string | number;
  turnId: string | undefined;
  itemId: string | undefined;
  createdAt: number;
  questions: CodexQuestion[];
};

/** A pending server request as the app's wrapper returns it (the component's `server_requests` row). */
export type ServerRequestRow = {
  _id: string;
  sessionId: string;
  requestId: string | number;
  method: string;
  turnId?: string;
  itemId?: string;
  paramsJson: string;
  createdAt: number;
};

export type PendingServerRequestsQuery = FunctionReference<"query", "public", { threadId: string }, ServerRequestRow[]>;
export type ResolveServerRequestMutation = FunctionReference<
  "mutation",
  "public",
  { threadId?: string; sessionId: string; requestId: string | number; responseJson: string },
  unknown
>;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** The questions of a `requestUserInput` request's params, read defensively. */
export function readQuestions(paramsJson: string): CodexQuestion[] {
  let params: unknown;
  try {
    params = JSON.parse(paramsJson);
  } catch {
    return [];
  }
  if (!isRecord(params) || !Array.isArray(params.questions)) return [];
  return params.questions.flatMap((q: unknown): CodexQuestion[] => {
    if (!isRecord(q) || typeof q.id !== "string") return [];
    const options = Array.isArray(q.options)
      ? q.options.flatMap((o: unknown) => (isRecord(o) && typeof o.label === "string" ? [{ label: o.label, description: typeof o.description === "string" ? o.description : "" }] : []))
      : [];
    return [
      {
        id: q.id,
        header: typeof q.header === "string" ? q.header : "",
        question: typeof q.question === "string" ? q.question : "",
        isOther: q.isOther === true,
        isSecret: q.isSecret === true,
        options,
      },
    ];
  });
}

/** codex's answer shape: every question id → the chosen labels or typed text. */
export function userInputResponse(answers: Record<string, string[]>): string {
  return JSON.stringify({ answers: Object.fromEntries(Object.entries(answers).map(([id, list]) => [id, { answers: list }])) });
}

export type CodexUserInput = {
  requests: CodexUserInputRequest[];
  isLoading: boolean;
  /** Answers one request: question id → answers (option labels, or free text). */
  answer: (request: Pick<CodexUserInputRequest, "_id" | "sessionId" | "requestId">, answers: Record<string, string[]>) => Promise<void>;
};

export function useCodexUserInput<Query extends PendingServerRequestsQuery, Resolve extends ResolveServerRequestMutation>(
  query: Query,
  args: FunctionArgs<Query> | "skip",
  resolve: Resolve,
): CodexUserInput {
  const pending = useQuery(query, args as never) as ServerRequestRow[] | undefined;
  const key = args === "skip" ? "skip" : JSON.stringify(args);
  const mutate = useMutation(resolve);
  const requests = useMemo(
    () =>
      (pending ?? [])
        .filter((r) => r.method === USER_INPUT_METHOD)
        .map((r) => ({
          _id: r._id,
          sessionId: r.sessionId,
          requestId: r.requestId,
          turnId: r.turnId,
          itemId: r.itemId,
          createdAt: r.createdAt,
          questions: readQuestions(r.paramsJson),
        })),
    [pending],
  );
  const answer = useCallback(
    async (request: Pick<CodexUserInputRequest, "_id" | "sessionId" | "requestId">, answers: Record<string, string[]>) => {
      if (key === "skip") throw new Error('useCodexUserInput: cannot answer while args are "skip"');
      const queryArgs = JSON.parse(key) as FunctionArgs<Query>;
      const resolveArgs = { ...queryArgs, sessionId: request.sessionId, requestId: request.requestId, responseJson: userInputResponse(answers) };
      await mutate.withOptimisticUpdate((store) => {
        const current = store.getQuery(query, ...([queryArgs] as never as OptionalRestArgs<Query>)) as ServerRequestRow[] | undefined;
        if (current) store.setQuery(query, queryArgs, current.filter((r) => r._id !== request._id) as never);
      })(resolveArgs as never);
    },
    [key, mutate, query],
  );
  return { requests, isLoading: pending === undefined && key !== "skip", answer };
}
