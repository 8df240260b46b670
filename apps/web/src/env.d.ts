/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** A Convex deployment running the example app's `convex/codex.ts`; unset = the local stand-in. */
  readonly VITE_CONVEX_URL?: string;
  /** A token for that deployment (its identity is the user). */
  readonly VITE_CONVEX_AUTH_TOKEN?: string;
}
