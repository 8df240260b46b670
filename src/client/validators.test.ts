import { v } from "convex/values";
import { describe, expect, test } from "vitest";
import { vCodexResults, withStringIds } from "./validators.js";

/** Every concrete validator class carries its wire form in `json`. */
const json = (validator: unknown) => (validator as { json: unknown }).json;

describe("withStringIds", () => {
  test("replaces ids at any depth and keeps optional fields optional", () => {
    const converted = withStringIds(
      v.object({
        id: v.id("commands"),
        maybe: v.optional(v.id("turns")),
        list: v.array(v.union(v.id("threads"), v.null())),
        kind: v.literal("x"),
      }),
    );
    expect(json(converted)).toEqual(
      json(
        v.object({
          id: v.string(),
          maybe: v.optional(v.string()),
          list: v.array(v.union(v.string(), v.null())),
          kind: v.literal("x"),
        }),
      ),
    );
  });

  test("app-side result validators contain no document ids", () => {
    for (const validator of Object.values(vCodexResults)) {
      expect(JSON.stringify(json(validator))).not.toContain('"type":"id"');
    }
    expect(JSON.stringify(json(vCodexResults.threadState))).toContain("pendingApprovalCount");
  });
});
