/** The dev backend as a library: start it (port 0 for tests), give clients its `url`. */
export { startDevBackend, type DevBackend, type DevBackendOptions, type DevBackendTesting } from "./server.js";
export { mintDevToken, identityFromToken, DEV_ISSUER, type DevTokenOptions } from "./auth.js";
export { exampleApp, appFromDir, modulesUnder, type AppDefinition, type ComponentDefinition } from "./app.js";
export type { Reactivity } from "./sync/connection.js";
export { spawnDevBackend, type DevBackendProcess } from "./spawn.js";
