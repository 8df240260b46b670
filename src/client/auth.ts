/**
 * Who is acting, decided by the app from Convex auth. The component trusts the actor it is
 * given, so wrappers must derive it here and never accept a `userId` from the client.
 */
import type { Auth, UserIdentity } from "convex/server";
import { ErrorCode, codexError } from "../contract/errors.js";
import type { Actor } from "../component/validators.js";

/** The tenant used when the app has only one. */
export const DEFAULT_TENANT_ID = "default";

export type ActorFromAuthOptions = {
  /** A fixed tenant, or one read from the identity (e.g. an org claim). Default `"default"`. */
  tenantId?: string | ((identity: UserIdentity) => string);
  /** The calling device, as the client names it; a label, not a credential. */
  deviceId?: string;
  /**
   * Which identity field is the user id. `tokenIdentifier` (default) is unique across auth
   * providers; `subject` is shorter but only unique within one issuer.
   */
  userIdFrom?: "tokenIdentifier" | "subject";
};

export async function actorFromAuth(ctx: { auth: Auth }, options: ActorFromAuthOptions = {}): Promise<Actor> {
  const identity = await ctx.auth.getUserIdentity();
  if (!identity) throw codexError(ErrorCode.unauthenticated, "sign in to use codex threads");
  const userId = options.userIdFrom === "subject" ? identity.subject : identity.tokenIdentifier;
  const tenantId =
    typeof options.tenantId === "function" ? options.tenantId(identity) : (options.tenantId ?? DEFAULT_TENANT_ID);
  if (!userId || !tenantId) throw codexError(ErrorCode.unauthenticated, "the identity has no usable user or tenant id");
  const deviceId = options.deviceId?.trim();
  return deviceId ? { tenantId, userId, deviceId } : { tenantId, userId };
}
