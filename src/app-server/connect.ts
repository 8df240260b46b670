/**
 * Spawn `codex app-server`, wrap it in a JSON-RPC client and run the handshake
 * (`initialize` → `initialized`): the usual first three steps of any host.
 */
import type { ClientInfo } from "../protocol/generated/ClientInfo.js";
import type { InitializeCapabilities } from "../protocol/generated/InitializeCapabilities.js";
import type { InitializeResponse } from "../protocol/generated/InitializeResponse.js";
import { JsonRpcClient, type JsonRpcClientOptions } from "./jsonRpcClient.js";
import { buildInitializeRequest } from "./requests.js";
import { spawnAppServer, type AppServerProcess, type SpawnAppServerOptions } from "./stdioTransport.js";

export type ConnectAppServerOptions = SpawnAppServerOptions &
  JsonRpcClientOptions & {
    clientInfo: ClientInfo;
    capabilities?: Partial<InitializeCapabilities>;
  };

export type AppServerConnection = {
  client: JsonRpcClient;
  process: AppServerProcess;
  initialize: InitializeResponse;
  /** Closes the client and stops the child. */
  close(): Promise<void>;
};

export async function connectAppServer(options: ConnectAppServerOptions): Promise<AppServerConnection> {
  const process = spawnAppServer(options);
  const client = new JsonRpcClient(process.transport, options);
  try {
    const initialize = await client.request(buildInitializeRequest(options.clientInfo, options.capabilities));
    client.notify("initialized");
    return {
      client,
      process,
      initialize,
      close: async () => {
        client.close();
        await process.stop();
      },
    };
  } catch (error) {
    client.close();
    await process.stop();
    throw error;
  }
}
