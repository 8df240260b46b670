/**
 * What is the example app's own, next to the generated codex API (`codex.ts`): its policy for
 * deleting a thread — not at once, but a week later, so the user can still undo it
 * (`api.codex.cancelDeletion`). Written by hand the way any app adds to the API — a
 * component helper, the actor from the signed-in identity, a `returns` validator.
 */
import { v } from "convex/values";
import { actorFromAuth, scheduleDeleteThread, vCodexResults } from "codex-local-component/client";
import { components } from "./_generated/api";
import { mutation } from "./_generated/server";

/** How long a deleted thread can still be restored. */
export const DELETE_GRACE_MS = 7 * 24 * 3600 * 1000;

export const deleteThreadLater = mutation({
  args: { threadId: v.string() },
  returns: vCodexResults.deletionTicket,
  handler: async (ctx, args) =>
    scheduleDeleteThread(ctx, components.codexLocal, { actor: await actorFromAuth(ctx), threadId: args.threadId, delayMs: DELETE_GRACE_MS }),
});
