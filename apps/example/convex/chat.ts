/**
 * What is the example app's own, next to the generated codex API (`codex.ts`): letting a
 * user name threads and hide them from the sidebar. Written by hand the way any app adds to the API —
 * a component helper, the actor from the signed-in identity, a `returns` validator.
 */
import { v } from "convex/values";
import { actorFromAuth, archiveThread as archive, setThreadName, unarchiveThread as unarchive } from "codex-local-component/client";
import { components } from "./_generated/api";
import { mutation } from "./_generated/server";

export const archiveThread = mutation({
  args: { threadId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => archive(ctx, components.codexLocal, { actor: await actorFromAuth(ctx), ...args }),
});

export const unarchiveThread = mutation({
  args: { threadId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => unarchive(ctx, components.codexLocal, { actor: await actorFromAuth(ctx), ...args }),
});

/** The name shown for the thread (in this backend; codex's own name is not changed). */
export const renameThread = mutation({
  args: { threadId: v.string(), name: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => setThreadName(ctx, components.codexLocal, { actor: await actorFromAuth(ctx), ...args }),
});
