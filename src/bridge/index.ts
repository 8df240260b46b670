/**
 * `codex-local-component/bridge`: the local process adapter. Spawns `codex app-server`,
 * reads its stdout strictly in order and hands thread events, global messages, protocol
 * errors, server requests and the process's exit to your handlers.
 */
export { CodexLocalBridge } from "./bridge.js";
export type {
  BridgeEvent,
  BridgeExit,
  BridgeRestartPolicy,
  CodexLocalBridgeConfig,
  CodexLocalBridgeHandlers,
} from "./bridge.js";
export { resolveCodexBinary } from "./codexBinary.js";
export { RingLog } from "./ringLog.js";
export { SerialQueue } from "./serialQueue.js";
export { createLinePipeline } from "./linePipeline.js";
export type { LinePipeline } from "./linePipeline.js";
