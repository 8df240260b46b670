/**
 * The app side of the two peers, as their READMEs wire them: thin wrappers over the
 * mounted components (`components.agent`, `components.persistentTextStreaming`). Bench
 * only: arguments unvalidated, no auth.
 */
import { componentsGeneric, mutationGeneric, queryGeneric } from "convex/server";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- no codegen for a bench app: references built at run time.
const components = componentsGeneric() as any;
const userId = "alice";

export const agentSetup = mutationGeneric({
  handler: async (ctx) => {
    const thread = await ctx.runMutation(components.agent.threads.createThread, { userId });
    await ctx.runMutation(components.agent.messages.addMessages, {
      threadId: thread._id,
      userId,
      messages: [{ message: { role: "user", content: "Write a long answer." } }],
    });
    return thread._id;
  },
});

export const agentStart = mutationGeneric({
  handler: async (ctx, { threadId }) =>
    await ctx.runMutation(components.agent.streams.create, { threadId, userId, order: 0, stepOrder: 1, format: "UIMessageChunk" }),
});

export const agentDelta = mutationGeneric({
  handler: async (ctx, delta) => await ctx.runMutation(components.agent.streams.addDelta, delta),
});

/** The final assistant message, saved with `finishStreamId` so the stream ends in the same transaction. */
export const agentFinish = mutationGeneric({
  handler: async (ctx, { threadId, streamId, text }) => {
    await ctx.runMutation(components.agent.messages.addMessages, {
      threadId,
      userId,
      messages: [{ message: { role: "assistant", content: text } }],
      finishStreamId: streamId,
    });
    return null;
  },
});

type ThreadArgs = {
  threadId: string;
  paginationOpts: { numItems: number; cursor: string | null };
  streamArgs?: { kind: "list"; startOrder?: number } | { kind: "deltas"; cursors: Array<{ streamId: string; cursor: number }> };
};

/** `listUIMessages` + `syncStreams`, as the agent's docs write the thread query. */
export const agentThread = queryGeneric({
  handler: async (ctx, { threadId, paginationOpts, streamArgs }: ThreadArgs) => {
    const paginated =
      paginationOpts.numItems === 0
        ? { page: [], isDone: false, continueCursor: "" }
        : await ctx.runQuery(components.agent.messages.listMessagesByThreadId, { threadId, order: "desc", paginationOpts });
    if (!streamArgs) return paginated;
    if (streamArgs.kind === "list") {
      const messages = await ctx.runQuery(components.agent.streams.list, { threadId, startOrder: streamArgs.startOrder });
      return { ...paginated, streams: { kind: "list", messages } };
    }
    const deltas = await ctx.runQuery(components.agent.streams.listDeltas, { threadId, cursors: streamArgs.cursors });
    return { ...paginated, streams: { kind: "deltas", deltas } };
  },
});

export const ptsStart = mutationGeneric({
  handler: async (ctx) => await ctx.runMutation(components.persistentTextStreaming.lib.createStream, {}),
});

export const ptsChunk = mutationGeneric({
  handler: async (ctx, args) => {
    await ctx.runMutation(components.persistentTextStreaming.lib.addChunk, args);
    return null;
  },
});

/** What a client that is not driving the stream subscribes to (`useStream` → `getStreamBody`). */
export const ptsBody = queryGeneric({
  handler: async (ctx, { streamId }) => await ctx.runQuery(components.persistentTextStreaming.lib.getStreamText, { streamId }),
});
