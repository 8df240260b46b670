import { describe, expect, test } from "vitest";
import { ErrorCode, codexError } from "../contract/errors.js";
import { isBackendRefusal } from "./retry.js";

describe("isBackendRefusal: what asking again cannot change", () => {
  test.each([
    [codexError(ErrorCode.commandNotFound, "no such command"), true],
    [codexError(ErrorCode.sessionNotActive, "stale"), true],
    [new Error("ArgumentValidationError: Object is missing the required field `kind`."), true],
    [new Error("Could not find public function for 'codex:commandComplete'."), true],
    // A lapsed sign-in: the client refreshes its token, and the same call lands.
    [codexError(ErrorCode.unauthenticated, "signed out"), false],
    [new Error("TypeError: fetch failed"), false],
  ])("%s → %s", (error, final) => {
    expect(isBackendRefusal(error)).toBe(final);
  });
});
