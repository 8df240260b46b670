/**
 * Dev auth: tokens shaped like the JWTs an identity provider issues (`sub`, `iss`, `iat`,
 * `exp`, profile claims), UNSIGNED and NOT VERIFIED — anyone can mint one for any user. The
 * backend only decodes them and refuses expired ones. Development and tests only.
 */
import type { UserIdentity } from "convex/server";

export const DEV_ISSUER = "https://dev-backend.codex-local.invalid";

export type DevTokenOptions = {
  subject: string;
  issuer?: string;
  name?: string;
  email?: string;
  /** Lifetime from now. Default one hour. */
  expiresInSeconds?: number;
  /** Other claims, passed through to the identity as is. */
  claims?: Record<string, unknown>;
};

export function mintDevToken(options: DevTokenOptions): string {
  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    ...options.claims,
    iss: options.issuer ?? DEV_ISSUER,
    sub: options.subject,
    aud: "convex",
    iat,
    exp: iat + (options.expiresInSeconds ?? 3600),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.email !== undefined ? { email: options.email } : {}),
  };
  return `${base64Url({ alg: "none", typ: "JWT" })}.${base64Url(claims)}.`;
}

export type TokenIdentity = { identity: UserIdentity; expiresAtMs: number };

/** Decodes a dev token into the identity functions see; throws why it is refused. */
export function identityFromToken(token: string, nowMs = Date.now()): TokenIdentity {
  const payload = token.split(".")[1];
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new Error("Could not parse the token as a JWT");
  }
  if (typeof claims.sub !== "string" || typeof claims.iss !== "string") throw new Error("The token has no `sub` or `iss` claim");
  const exp = typeof claims.exp === "number" ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
  if (exp <= nowMs) throw new Error("Token expired");
  const { sub, iss, aud: _aud, iat: _iat, exp: _exp, ...rest } = claims;
  const profile = Object.fromEntries(Object.entries(rest).map(([claim, value]) => [attributeOf[claim] ?? claim, value]));
  return {
    identity: { ...profile, subject: sub, issuer: iss, tokenIdentifier: `${iss}|${sub}` } as UserIdentity,
    expiresAtMs: exp,
  };
}

/** OpenID claim → `UserIdentity` attribute, where the names differ. */
const attributeOf: Record<string, string> = {
  given_name: "givenName",
  family_name: "familyName",
  preferred_username: "preferredUsername",
  profile: "profileUrl",
  picture: "pictureUrl",
  email_verified: "emailVerified",
  birthdate: "birthday",
  zoneinfo: "timezone",
  locale: "language",
  phone_number: "phoneNumber",
  phone_number_verified: "phoneNumberVerified",
  updated_at: "updatedAt",
};

function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}
