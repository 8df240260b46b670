import type { UserIdentity } from "convex/server";
import { describe, expect, test } from "vitest";
import { ErrorCode, isCodexLocalError } from "../contract/errors.js";
import { actorFromAuth } from "./auth.js";

const identity: UserIdentity = { tokenIdentifier: "https://issuer|user-1", subject: "user-1", issuer: "https://issuer", org: "acme" };
const ctxOf = (who: UserIdentity | null) => ({ auth: { getUserIdentity: async () => who } });

describe("actorFromAuth", () => {
  test("uses the token identifier and the default tenant", async () => {
    expect(await actorFromAuth(ctxOf(identity))).toEqual({ tenantId: "default", userId: "https://issuer|user-1" });
  });

  test("takes the tenant from the identity and the device from the options", async () => {
    const actor = await actorFromAuth(ctxOf(identity), {
      tenantId: (who) => String(who.org),
      deviceId: " phone ",
      userIdFrom: "subject",
    });
    expect(actor).toEqual({ tenantId: "acme", userId: "user-1", deviceId: "phone" });
  });

  test("a blank device id is dropped rather than stored", async () => {
    expect(await actorFromAuth(ctxOf(identity), { deviceId: "  " })).not.toHaveProperty("deviceId");
  });

  test("no identity is a coded E_UNAUTHENTICATED error", async () => {
    const error = await actorFromAuth(ctxOf(null)).catch((e: unknown) => e);
    expect(isCodexLocalError(error, ErrorCode.unauthenticated)).toBe(true);
  });

  test("an empty tenant from the identity is refused", async () => {
    const error = await actorFromAuth(ctxOf(identity), { tenantId: () => "" }).catch((e: unknown) => e);
    expect(isCodexLocalError(error, ErrorCode.unauthenticated)).toBe(true);
  });
});
