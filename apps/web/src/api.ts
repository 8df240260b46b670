/** The example app's wrappers (apps/example/convex/chat.ts): what every component here calls. */
import { api } from "../../example/convex/_generated/api.js";

export const chat = api.chat;
