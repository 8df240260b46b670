export { codexHostWrappers, defineCodexHostApi } from "./define.js";
export type {
  CodexActorResolver,
  CodexHostApi,
  CodexHostApiOptions,
  CodexHostOperation,
  CodexHostWrap,
  CodexHostWrapperName,
  CodexHostWrappers,
} from "./define.js";
export { hostMutation, hostQuery } from "./wrapper.js";
export type { HostWrapper, WrapperKind, WrapperRole } from "./wrapper.js";
