/**
 * Compile-time proof (`pnpm typecheck`) that the generated host API carries its types end to
 * end: from `defineCodexHostApi` in convex/codex.ts, through codegen, into `api.codex.*`, the
 * hooks, the Convex clients and the host runtime's persistence adapter. Nothing here runs.
 */
import type { ConvexClient } from "convex/browser";
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import { createConvexPersistence } from "codex-local-component/host";
import {
  useCodexApprovals,
  useCodexComposer,
  useCodexConversation,
  useCodexInterruptTurn,
  useCodexMessages,
  useCodexReasoning,
  useCodexThreadState,
  useCodexTurn,
} from "codex-local-component/react";
import { api } from "../convex/_generated/api";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
type Expect<T extends true> = T;
type Not<T extends boolean> = T extends true ? false : true;

const codex = api.codex;

export type ArgsAndResults = [
  Expect<Equal<FunctionArgs<typeof codex.threadState>, { threadId: string }>>,
  Expect<
    Equal<FunctionArgs<typeof codex.registerTurnStart>, { threadId: string; inputText: string; idempotencyKey: string; deviceId?: string }>
  >,
  Expect<Equal<FunctionReturnType<typeof codex.registerTurnStart>["status"], "queued" | "claimed" | "done" | "failed" | "cancelled">>,
  Expect<Equal<FunctionReturnType<typeof codex.whoami>, { tenantId: string; userId: string; deviceId?: string }>>,
  Expect<Equal<FunctionReturnType<typeof codex.threadMessages>["page"][number]["role"], "user" | "assistant">>,
  Expect<Equal<FunctionReturnType<typeof codex.commandsPending>[number]["_id"], string>>,
  Expect<Not<IsAny<FunctionReturnType<typeof codex.threadState>>>>,
  Expect<Not<IsAny<FunctionReturnType<typeof codex.pendingApprovals>>>>,
  Expect<Not<IsAny<FunctionArgs<typeof codex.ingestBatch>["events"]>>>,
];

export function Chat({ threadId }: { threadId: string }) {
  const messages = useCodexMessages(codex.threadMessages, { threadId }, { initialNumItems: 20, stream: true, commandStatus: codex.commandStatus });
  const text: string = messages.results[0]?.text ?? "";
  const state = useCodexThreadState(codex.threadState, { threadId });
  const approvals = useCodexApprovals(codex.pendingApprovals, { threadId }, codex.approvalRespond);
  const command: string | undefined = approvals.approvals[0]?.command;
  const composer = useCodexComposer(codex.registerTurnStart, { optimistic: codex.threadMessages, commandStatus: codex.commandStatus });
  const interrupt = useCodexInterruptTurn(codex.interruptActiveTurn);
  const reasoning = useCodexReasoning(codex.threadReasoning, { threadId }, { initialNumItems: 10, stream: codex.threadMessages });
  const turn = useCodexTurn(codex.turnMessages, { threadId, turnId: "t" }, { streamsQuery: codex.threadMessages });
  const conversation = useCodexConversation(codex, { threadId });

  void composer.send({ threadId, inputText: text, deviceId: "phone" }).then((ticket) => ticket.commandId satisfies string);
  // @ts-expect-error inputText is required by registerTurnStart
  void composer.send({ threadId });
  // @ts-expect-error threadState takes a threadId string
  useCodexThreadState(codex.threadState, { threadId: 1 });
  // @ts-expect-error the decision is one of codex's
  void approvals.respond(approvals.approvals[0]!, "maybe");
  void interrupt({ threadId });
  return [state, command, reasoning, turn, conversation.state.transcript.length];
}

export function hostSide(client: ConvexClient) {
  // The adapter's defaults are these names; passing the typed references works the same.
  createConvexPersistence({ client, functions: codex, deviceId: "laptop" });
  void client.mutation(codex.sessionOpen, { sessionId: "s", deviceId: "laptop" }).then((info) => info.staleAfterMs satisfies number);
  // @ts-expect-error sessionOpen needs a sessionId
  void client.mutation(codex.sessionOpen, {});
}
