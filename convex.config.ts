// Root re-export so `codex-local-component/convex.config` resolves from a source checkout too.
export { default } from "./src/component/convex.config.js";
