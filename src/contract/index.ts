/**
 * The contract between the machine side (`./protocol`, `./host`) and Convex (the component,
 * `./client`, `./react`): inbound-event validators and types, size limits, error codes.
 * Everything here is pure and importable from any layer.
 */
export * from "./events.js";
export * from "./limits.js";
export * from "./errors.js";
