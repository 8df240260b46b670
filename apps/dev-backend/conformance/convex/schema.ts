import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  notes: defineTable({ list: v.string(), text: v.string(), rank: v.optional(v.number()) })
    .index("by_list", ["list"])
    .index("by_list_rank", ["list", "rank"]),
  lists: defineTable({ name: v.string(), owner: v.optional(v.string()) }).index("by_name", ["name"]),
});
