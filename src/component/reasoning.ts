/** Reads of reasoning segments (summary and raw channels), newest first. */
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { v } from "convex/values";
import { query } from "./_generated/server.js";
import { ownerAndThread } from "./lib/owner.js";
import { vv } from "./schema.js";
import { vActor } from "./validators.js";

export const listReasoningByThread = query({
  args: { actor: vActor, threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(vv.doc("reasoning_segments")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    return await ctx.db
      .query("reasoning_segments")
      .withIndex("by_owner_thread_order", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId),
      )
      .order("desc")
      .paginate(args.paginationOpts);
  },
});
