export { startScriptedModelServer } from "./server.js";
export type {
  ModelRequestSummary,
  RecordedModelRequest,
  ScriptedModelServer,
  ScriptedModelServerOptions,
} from "./server.js";
export { addFilePatch, scenarioFromUserText } from "./scenarios.js";
export type {
  Scenario,
  TextScenario,
  ReasoningScenario,
  CommandScenario,
  FileChangeScenario,
  PlanScenario,
  AskUserScenario,
  SlowScenario,
  ErrorScenario,
  ComposedScenario,
  ComposedOutput,
  StreamFault,
} from "./scenarios.js";
export { prepareScriptedCodexHome, scriptedCodexConfigToml, defaultCodexBin } from "./codexHome.js";
export type { CodexLaunch, ScriptedCodexHomeOptions } from "./codexHome.js";
