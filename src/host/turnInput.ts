/** A device's turn input (component `vTurnInput`) as codex's `UserInput`. */
import type { TurnInput } from "../contract/events.js";
import type { UserInput } from "../protocol/generated/v2/UserInput.js";

export function toCodexInput(input: TurnInput[]): UserInput[] {
  return input.map((part): UserInput => {
    switch (part.type) {
      case "text":
        return { type: "text", text: part.text, text_elements: [] };
      case "image":
        return { type: "image", url: part.url };
      case "localImage":
        return { type: "localImage", path: part.path };
      case "mention":
        return { type: "mention", name: part.name, path: part.path };
    }
  });
}
