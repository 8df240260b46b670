/** Reads of reasoning segments (summary and raw channels), newest first. */
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { paginator } from "convex-helpers/server/pagination";
import { v } from "convex/values";
import { query } from "./lib/functions.js";
import { ownerAndThread } from "./lib/owner.js";
import { pageOf } from "./lib/pages.js";
import schema, { vv } from "./schema.js";
import { vActor } from "./validators.js";

/** Newest first, in pages (see lib/pages.ts: pass `endCursor` to keep a page's end pinned). */
export const listReasoningByThread = query({
  args: { actor: vActor, threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(vv.doc("reasoning_segments")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const segments = paginator(ctx.db, schema)
      .query("reasoning_segments")
      .withIndex("by_owner_thread_order", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId),
      )
      .order("desc");
    return await pageOf(segments, args.paginationOpts);
  },
});
