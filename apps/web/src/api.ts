/** The example app's generated host API (apps/example/convex/codex.ts): what every component here calls. */
import { api } from "../../example/convex/_generated/api.js";

export const chat = api.codex;
