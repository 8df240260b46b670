/**
 * A stand-in for a Convex deployment's HTTP API on 127.0.0.1, backed by the in-process
 * backend, so `ConvexHttpClient` itself (the deployment path) can be exercised without a
 * deployment: `POST /api/query|/api/mutation {path, args}`, answered as Convex answers
 * (`{status: "success", value}` or status 560 `{status: "error", errorMessage, errorData}`).
 * The bearer token is taken as the user's subject — a test convenience, not auth.
 * With `staticDir` it also serves a built page (apps/web) on GET, so the page calls the
 * API from its own origin (no CORS).
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { makeFunctionReference } from "convex/server";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { InProcessConvex } from "./inProcessConvex.js";

export type HttpStandIn = { url: string; close(): Promise<void> };

export type HttpStandInOptions = {
  /** A built static site served on GET (unknown paths get its `index.html`). */
  staticDir?: string;
};

export async function startHttpStandIn(backend: InProcessConvex, options: HttpStandInOptions = {}): Promise<HttpStandIn> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === "GET" && options.staticDir) {
        await serveStatic(options.staticDir, req.url ?? "/", res);
        return;
      }
      const kind = req.url === "/api/query" ? "query" : req.url === "/api/mutation" ? "mutation" : undefined;
      if (req.method !== "POST" || !kind) {
        res.writeHead(404).end(`no route for ${req.method} ${req.url}`);
        return;
      }
      const body = JSON.parse(await readBody(req)) as { path: string; args: JSONValue[] };
      const subject = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const caller = backend.as(subject ?? "anonymous");
      const args = jsonToConvex(body.args[0] ?? {}) as Record<string, unknown>;
      try {
        const value =
          kind === "query"
            ? await caller.query(makeFunctionReference<"query">(body.path), args)
            : await caller.mutation(makeFunctionReference<"mutation">(body.path), args);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "success", value: convexToJson(value as Value), logLines: [] }));
      } catch (error) {
        const data = (error as { data?: Value }).data;
        res.writeHead(560, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            status: "error",
            errorMessage: error instanceof Error ? error.message : String(error),
            ...(data !== undefined ? { errorData: convexToJson(data) } : {}),
            logLines: [],
          }),
        );
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser keeps idle connections open; they would hold `close` forever.
        server.closeAllConnections();
      }),
  };
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

async function serveStatic(dir: string, url: string, res: ServerResponse) {
  const path = normalize(decodeURIComponent(new URL(url, "http://x").pathname));
  const file = join(dir, path);
  // Nothing outside `dir`; directories and unknown paths get the page itself.
  const inside = file.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  for (const candidate of inside && extname(file) ? [file] : [join(dir, "index.html")]) {
    try {
      const body = await readFile(candidate);
      res.writeHead(200, { "content-type": contentTypes[extname(candidate)] ?? "application/octet-stream" });
      res.end(body);
      return;
    } catch {
      // fall through to 404
    }
  }
  res.writeHead(404).end(`not found: ${url}`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
