/**
 * Why the bridge could not start, in words a user can act on. Errors are sorted by what they
 * look like where they come from: fetch (network), Convex's HTTP API and function errors,
 * the app's generated host API (coded errors), and spawning codex.
 */
import { errorCodeOf } from "../contract/errors.js";

export class BridgeStartError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

type Context = { url: string; module: string; hasToken: boolean };

export function explainDeploymentError(error: unknown, context: Context): BridgeStartError {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCodeOf(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const whoami = `${context.module}:whoami`;

  if (error instanceof TypeError && /fetch failed/i.test(message)) {
    const why = typeof cause?.code === "string" ? cause.code : String(cause?.message ?? message);
    return new BridgeStartError(
      `cannot reach the deployment at ${context.url} (${why})`,
      "check --url / CONVEX_URL, and that the deployment (or `npx convex dev`) is running",
    );
  }
  if (/timed out/i.test(message) && /deployment/i.test(message)) {
    return new BridgeStartError(message, "check --url / CONVEX_URL and your network");
  }
  if (/Could not find (public )?function|Could not find module|Expected a Convex function exported/i.test(message)) {
    return new BridgeStartError(
      `the deployment has no codex host API (${whoami} not found)`,
      `export the wrappers from convex/${context.module}.ts — \`export const { … } = defineCodexHostApi(components.codexLocal)\` — ` +
        "and push them (`npx convex dev` or `npx convex deploy`); --module names another module",
    );
  }
  if (code === "E_UNAUTHENTICATED") {
    return context.hasToken
      ? new BridgeStartError(
          "the deployment accepted the token but sees no user in it",
          "pass a token your app's auth provider issued for the user (--token or --token-command)",
        )
      : new BridgeStartError(
          "no identity: the host API needs a signed-in user",
          "pass the user's token with --token (or CONVEX_AUTH_TOKEN), or a login command with --token-command",
        );
  }
  if (code === "E_FORBIDDEN") {
    return new BridgeStartError(`the app refused this bridge: ${dataMessage(error) ?? message}`, "see your authorize() in convex/codex.ts");
  }
  if (/InvalidAuthHeader|Unauthenticated|NoAuthProvider|AuthError|OIDC|JWT|token (is )?(expired|invalid)/i.test(message)) {
    return new BridgeStartError(
      `the deployment refused the token: ${firstLine(message)}`,
      "get a fresh token for the user (--token / --token-command) and check the app's auth.config.ts",
    );
  }
  return new BridgeStartError(`the deployment answered with an error: ${firstLine(message)}`, `is ${whoami} the generated host API?`);
}

export function explainCodexError(error: unknown, codexBin: string | undefined): BridgeStartError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (code === "ENOENT" || /ENOENT|not found/i.test(message)) {
    return new BridgeStartError(
      `codex was not found${codexBin ? ` at ${codexBin}` : ""}`,
      "install it (`npm install -g @openai/codex`, then `codex login`), or pass --codex <path>",
    );
  }
  return new BridgeStartError(`codex app-server did not start: ${firstLine(message)}`, "run `codex app-server` yourself to see why");
}

function dataMessage(error: unknown): string | undefined {
  const data = (error as { data?: { message?: unknown } } | null)?.data;
  return typeof data?.message === "string" ? data.message : undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.slice(0, 300);
}
