/**
 * Convex's HTTP API as `ConvexHttpClient` calls it — POST `/api/query`, `/api/mutation`,
 * `/api/action` (`{path, args: [args]}`), `/api/function` (`{path, args}`), `/api/query_ts`,
 * `/api/query_at_ts` — answered 200 `{status: "success", value, logLines}` or 560
 * `{status: "error", errorMessage, errorData?, logLines}`; a refused token (expired, or revoked
 * through the test hook) is a 401. CORS is
 * open, for pages served elsewhere. Plus, for development: POST `/dev/token` mints a dev
 * token (`{subject, name?, expiresInSeconds?}` → `{token}`), and with `staticDir` GET serves
 * a built page (unknown paths get its `index.html`).
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import type { UserIdentity } from "convex/server";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { identityFromToken, mintDevToken } from "./auth.js";
import { NotPublicError, type Engine, type FunctionKind, type Outcome } from "./engine.js";
import { failure } from "./outcome.js";
import { encodeTs } from "./sync/wire.js";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type, authorization, convex-client",
  "access-control-max-age": "86400",
};

const routes: Record<string, FunctionKind | "function" | undefined> = {
  "/api/query": "query",
  "/api/query_at_ts": "query",
  "/api/mutation": "mutation",
  "/api/action": "action",
  "/api/function": "function",
};

/** `isRevoked`: tokens refused as an expired one is (the test hook `testing.revokeToken`). */
export function createHttpHandler(engine: Engine, options: { staticDir?: string; isRevoked?: (token: string) => boolean }) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    try {
      if (req.method === "OPTIONS") return reply(res, 204, null);
      if (req.method === "POST" && path === "/api/query_ts") return reply(res, 200, { ts: encodeTs(engine.ts) });
      if (req.method === "POST" && path === "/dev/token") {
        const body = JSON.parse((await readBody(req)) || "{}") as { subject?: unknown; name?: unknown; expiresInSeconds?: unknown };
        if (typeof body.subject !== "string" || body.subject === "") return reply(res, 400, { code: "BadRequest", message: "`subject` is required" });
        const token = mintDevToken({
          subject: body.subject,
          ...(typeof body.name === "string" ? { name: body.name } : {}),
          ...(typeof body.expiresInSeconds === "number" ? { expiresInSeconds: body.expiresInSeconds } : {}),
        });
        return reply(res, 200, { token });
      }
      const kind = routes[path];
      if (req.method === "POST" && kind) return await call(engine, kind, req, res, options.isRevoked);
      if (req.method === "GET" && options.staticDir) return await serveStatic(options.staticDir, path, res);
      return reply(res, 404, { code: "NotFound", message: `no route for ${req.method} ${path}` });
    } catch (error) {
      return reply(res, 400, { code: "BadRequest", message: error instanceof Error ? error.message : String(error) });
    }
  };
}

async function call(engine: Engine, route: FunctionKind | "function", req: IncomingMessage, res: ServerResponse, isRevoked?: (token: string) => boolean) {
  let identity: UserIdentity | null = null;
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  if (bearer) {
    try {
      if (isRevoked?.(bearer)) throw new Error("Token revoked (dev backend test hook)");
      identity = identityFromToken(bearer).identity;
    } catch (error) {
      return reply(res, 401, { code: "Unauthenticated", message: error instanceof Error ? error.message : String(error) });
    }
  }
  const body = JSON.parse(await readBody(req)) as { path: string; args: JSONValue[] | JSONValue; componentPath?: string };
  const rawArgs = route === "function" ? body.args : (body.args as JSONValue[])[0];
  const args = (rawArgs === undefined ? {} : jsonToConvex(rawArgs)) as Record<string, Value>;
  let outcome: Outcome;
  if (body.componentPath) outcome = failure(new Error(`Calling component "${body.componentPath}" directly needs an admin key`));
  else {
    let kind: FunctionKind;
    try {
      kind = route === "function" ? await engine.kindOf(body.path) : route;
    } catch (error) {
      if (!(error instanceof NotPublicError)) throw error;
      return reply(res, 560, { status: "error", errorMessage: error.message, logLines: [] });
    }
    outcome =
      kind === "query"
        ? await engine.query(body.path, args, identity, null)
        : kind === "mutation"
          ? await engine.mutation(body.path, args, identity)
          : await engine.action(body.path, args, identity);
    // A mutation over HTTP returns once its commit is announced, like a deployment's.
    if (kind === "mutation" && outcome.ok) await engine.flush();
  }
  return outcome.ok
    ? reply(res, 200, { status: "success", value: convexToJson(outcome.value), logLines: outcome.logLines })
    : reply(res, 560, {
        status: "error",
        errorMessage: outcome.message,
        ...(outcome.data !== undefined ? { errorData: outcome.data } : {}),
        logLines: outcome.logLines,
      });
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { ...CORS, ...(body === null ? {} : { "content-type": "application/json" }) });
  res.end(body === null ? undefined : JSON.stringify(body));
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
};

async function serveStatic(dir: string, urlPath: string, res: ServerResponse) {
  const file = join(dir, normalize(decodeURIComponent(urlPath)));
  // Nothing outside `dir`; directories and unknown paths get the page itself.
  const inside = file.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  for (const candidate of inside && extname(file) ? [file] : [join(dir, "index.html")]) {
    try {
      const body = await readFile(candidate);
      res.writeHead(200, { ...CORS, "content-type": contentTypes[extname(candidate)] ?? "application/octet-stream" });
      res.end(body);
      return;
    } catch {
      // next candidate
    }
  }
  reply(res, 404, { code: "NotFound", message: `not found: ${urlPath}` });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
