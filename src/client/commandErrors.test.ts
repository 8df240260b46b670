// A failed command's `error` is text the host writes; a coded one starts with its code.
import { describe, expect, test } from "vitest";
import { ErrorCode, codedCommandError, commandErrorCode } from "../contract/errors.js";

describe("commandErrorCode", () => {
  test("reads back the code a host wrote, and only a known one at the start", () => {
    const text = codedCommandError(ErrorCode.threadNotResumable, "codex would not resume thread t (session t is archived)");
    expect(text).toBe("E_THREAD_NOT_RESUMABLE: codex would not resume thread t (session t is archived)");
    expect(commandErrorCode(text)).toBe(ErrorCode.threadNotResumable);
    expect(commandErrorCode("codex said E_THREAD_NOT_RESUMABLE: somewhere inside")).toBeUndefined();
    expect(commandErrorCode("E_MADE_UP: not a code of ours")).toBeUndefined();
    expect(commandErrorCode("thread not found: t")).toBeUndefined();
    expect(commandErrorCode(undefined)).toBeUndefined();
  });
});
