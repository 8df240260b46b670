/**
 * A deployment on 127.0.0.1 for tests that run the bridge command (or the CLI examples) as a
 * user would, against a URL. The ONLY place those tests learn how one is started.
 *
 * Today it is the example app + component in process behind the HTTP stand-in
 * (`src/host/testing/httpStandIn.ts`): `ConvexHttpClient` works against it, the WebSocket
 * `ConvexClient` does not, so commands get `--poll`; its bearer token is taken as the user's
 * subject (no refusal is possible). When the local dev backend (apps/dev-backend, Convex's
 * sync protocol) is on main, start that here instead and return `clientArgs: []`.
 */
import { startHttpStandIn } from "../../host/testing/httpStandIn.js";
import { createInProcessConvex, type InProcessConvexOptions } from "../../host/testing/inProcessConvex.js";
import type { ConvexCaller } from "../../host/index.js";

export type LocalDeployment = {
  url: string;
  /** What the bridge command needs to reach it (transport flags). */
  clientArgs: string[];
  /** A token the deployment takes as the signed-in user `subject`. */
  tokenFor(subject: string): string;
  /** Calls the app's functions as `subject` (another device of that user). */
  as(subject: string): ConvexCaller;
  close(): Promise<void>;
};

/** `app`: another app than the example (e.g. one built from the packed package). */
export async function startLocalDeployment(app?: InProcessConvexOptions["app"]): Promise<LocalDeployment> {
  const backend = await createInProcessConvex({ app });
  const standIn = await startHttpStandIn(backend);
  return {
    url: standIn.url,
    clientArgs: ["--poll", "--poll-ms", "50"],
    tokenFor: (subject) => subject,
    as: (subject) => backend.as(subject),
    async close() {
      await standIn.close();
      backend.close();
    },
  };
}
