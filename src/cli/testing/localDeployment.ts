/**
 * A deployment on 127.0.0.1 for tests that run the bridge command (or the CLI examples) as a
 * user would, against a URL: the dev backend (apps/dev-backend) serving the example app — or
 * another app — over Convex's sync protocol and HTTP API, with its dev tokens.
 */
import { ConvexClient } from "convex/browser";
import { appFromDir, modulesUnder, startDevBackend, type DevBackend } from "../../../apps/dev-backend/src/index.js";

export type LocalDeployment = {
  url: string;
  /** A token the deployment takes as the signed-in user `subject` (a dev token, good for a day). */
  tokenFor(subject: string): string;
  /** A token it refuses (expired). */
  expiredToken(subject: string): string;
  /** Another device of `subject`: a real `ConvexClient` (closed with the deployment). */
  as(subject: string): ConvexClient;
  backend: DevBackend;
  close(): Promise<void>;
};

/** `app`: another app than the example (its `convex/` folder, and the component it mounts as `codexLocal`). */
export async function startLocalDeployment(app?: { convexDir: string; componentDir: string }): Promise<LocalDeployment> {
  const backend = await startDevBackend(app ? { app: await appWithComponent(app.convexDir, app.componentDir) } : {});
  const clients = new Map<string, ConvexClient>();
  const tokenFor = (subject: string) => backend.mintToken({ subject, expiresInSeconds: 24 * 3600 });
  return {
    url: backend.url,
    tokenFor,
    expiredToken: (subject) => backend.mintToken({ subject, expiresInSeconds: -60 }),
    as(subject) {
      let client = clients.get(subject);
      if (!client) {
        client = new ConvexClient(backend.url, { logger: false });
        client.setAuth(async () => tokenFor(subject));
        clients.set(subject, client);
      }
      return client;
    },
    backend,
    async close() {
      for (const client of clients.values()) await client.close();
      await backend.stop();
    },
  };
}

async function appWithComponent(convexDir: string, componentDir: string) {
  const component = modulesUnder(componentDir, "/component");
  const schemaKey = Object.keys(component).find((k) => /\/component\/schema\.[jt]s$/.test(k))!;
  const { default: schema } = (await component[schemaKey]!()) as { default: never };
  return appFromDir(convexDir, [{ name: "codexLocal", schema, modules: component }]);
}
