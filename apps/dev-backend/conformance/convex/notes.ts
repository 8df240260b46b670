// The conformance suite's app: one function per protocol behaviour the dev backend serves.
import { paginationOptsValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import { action, internalMutation, internalQuery, mutation, query } from "./_generated/server";

const note = v.object({ _id: v.id("notes"), _creationTime: v.number(), list: v.string(), text: v.string(), rank: v.optional(v.number()) });

export const all = query({
  args: { list: v.string() },
  returns: v.array(v.string()),
  handler: async (ctx, { list }) =>
    (await ctx.db.query("notes").withIndex("by_list", (q) => q.eq("list", list)).take(500)).map((n) => n.text),
});

/** The built-in `.paginate()` (allowed in an app): pages the client keeps stable with journals. */
export const page = query({
  args: { list: v.string(), paginationOpts: paginationOptsValidator },
  returns: v.object({
    page: v.array(note),
    isDone: v.boolean(),
    continueCursor: v.string(),
    splitCursor: v.optional(v.union(v.string(), v.null())),
    pageStatus: v.optional(v.union(v.literal("SplitRecommended"), v.literal("SplitRequired"), v.null())),
  }),
  handler: async (ctx, { list, paginationOpts }) =>
    await ctx.db.query("notes").withIndex("by_list_rank", (q) => q.eq("list", list)).paginate(paginationOpts),
});

export const add = mutation({
  args: { list: v.string(), text: v.string(), rank: v.optional(v.number()) },
  returns: v.id("notes"),
  handler: async (ctx, args) => {
    console.log("adding", args.text);
    return await ctx.db.insert("notes", args);
  },
});

export const remove = mutation({
  args: { id: v.id("notes") },
  returns: v.null(),
  handler: async (ctx, { id }) => {
    await ctx.db.delete(id);
    return null;
  },
});

export const refuse = mutation({
  args: { code: v.string() },
  returns: v.null(),
  handler: async (_ctx, { code }) => {
    throw new ConvexError({ code, detail: { limit: 3, tags: ["a", "b"] } });
  },
});

export const whoami = query({
  args: {},
  returns: v.union(v.null(), v.object({ subject: v.string(), tokenIdentifier: v.string(), name: v.optional(v.string()) })),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    return identity ? { subject: identity.subject, tokenIdentifier: identity.tokenIdentifier, name: identity.name } : null;
  },
});

export const addLater = mutation({
  args: { list: v.string(), text: v.string(), delayMs: v.number() },
  returns: v.null(),
  handler: async (ctx, { delayMs, ...note }) => {
    await ctx.scheduler.runAfter(delayMs, internal.notes.addInternal, note);
    return null;
  },
});

export const addInternal = internalMutation({
  args: { list: v.string(), text: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    await ctx.db.insert("notes", args);
    return null;
  },
});

export const secret = internalQuery({ args: {}, returns: v.string(), handler: async () => "internal" });

export const addViaAction = action({
  args: { list: v.string(), text: v.string() },
  returns: v.string(),
  handler: async (ctx, args): Promise<string> => {
    const id: string = await ctx.runMutation(internal.notes.addInternalReturningId, args);
    return `added ${id}`;
  },
});

export const addInternalReturningId = internalMutation({
  args: { list: v.string(), text: v.string() },
  returns: v.id("notes"),
  handler: async (ctx, args) => await ctx.db.insert("notes", args),
});

export const renameList = mutation({
  args: { name: v.string(), owner: v.string() },
  returns: v.null(),
  handler: async (ctx, { name, owner }) => {
    const row = await ctx.db.query("lists").withIndex("by_name", (q) => q.eq("name", name)).unique();
    if (row) await ctx.db.patch(row._id, { owner });
    else await ctx.db.insert("lists", { name, owner });
    return null;
  },
});

export const listOwner = query({
  args: { name: v.string() },
  returns: v.union(v.null(), v.string()),
  handler: async (ctx, { name }) => (await ctx.db.query("lists").withIndex("by_name", (q) => q.eq("name", name)).unique())?.owner ?? null,
});
