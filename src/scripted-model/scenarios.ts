/**
 * What the scripted model answers. A scenario is picked per request (see `server.ts`) and
 * turned into the Responses-API SSE events codex expects. Tool-calling scenarios answer twice:
 * first the call, then — when codex sends the call's output back — the final text.
 */

export type TextScenario = {
  type: "text";
  text: string;
  /** How to cut `text` into deltas: a number of pieces, or the pieces themselves. */
  chunks?: number | string[];
  /** Pause between deltas. */
  chunkDelayMs?: number;
};

export type ReasoningScenario = {
  type: "reasoning";
  /** One entry per summary part (codex's `summaryIndex`). */
  summary: string[];
  /** Raw reasoning text (codex's `contentIndex` 0), streamed when present. */
  content?: string;
  /** The answer that follows the reasoning. */
  text: string;
};

export type CommandScenario = {
  type: "command";
  /** Shell command codex runs (`bash -lc`). */
  command: string;
  /** Ask for escalated permissions, so `on-request` policies ask for approval. Default true. */
  escalated?: boolean;
  justification?: string;
  /** A message streamed before the call ("Let me run that."), as models often say first. */
  preamble?: string;
  /** Answer given once codex sends the command's output back. */
  finalText: string;
};

export type FileChangeScenario = {
  type: "fileChange";
  /** A complete `apply_patch` body (`*** Begin Patch` ... `*** End Patch`). */
  patch: string;
  /** A message streamed before the call, as for a command. */
  preamble?: string;
  finalText: string;
};

/** The model's `update_plan` tool: codex reports it as `turn/plan/updated`. */
export type PlanScenario = {
  type: "plan";
  explanation?: string;
  steps: Array<{ step: string; status: "pending" | "in_progress" | "completed" }>;
  /** Answer given once codex sends the tool's output back. */
  finalText: string;
};

/** The model's `request_user_input` tool: codex asks the client (`item/tool/requestUserInput`). */
export type AskUserScenario = {
  type: "askUser";
  questions: Array<{ id: string; header: string; question: string; options?: Array<{ label: string; description: string }> }>;
  /** Answer given once codex sends the answers back. */
  finalText: string;
};

export type SlowScenario = {
  type: "slow";
  /** Deltas to send, one every `chunkDelayMs`; the turn is meant to be interrupted. */
  chunks: number;
  chunkDelayMs: number;
  chunkText?: string;
};

export type ErrorScenario = {
  type: "error";
  /** HTTP status of the failed request. Default 500. */
  status?: number;
  message?: string;
  /** The provider's error code in the body (`rate_limit_exceeded`, `context_length_exceeded`, …). */
  code?: string;
  /** Sent as a `retry-after` header (seconds), as providers do on 429 and 503. */
  retryAfterSeconds?: number;
};

/**
 * How a streamed reply goes wrong, after `afterDeltas` text/reasoning deltas (default 0):
 * - `reset`: the connection is destroyed mid-body;
 * - `truncated`: the body ends cleanly without `response.completed`;
 * - `failed`: a `response.failed` event carrying `code` / `message`;
 * - `error`: a bare `error` event, as some providers send;
 * - `incomplete`: `response.incomplete` (the reply hit `max_output_tokens`, or `code` says why).
 */
export type StreamFault = {
  kind: "reset" | "truncated" | "failed" | "error" | "incomplete";
  afterDeltas?: number;
  code?: string;
  message?: string;
};

/** One item of a composed reply, in the order the model sends them. */
export type ComposedOutput =
  | { type: "message"; text: string; chunks?: number | string[] }
  | { type: "reasoning"; summary: string[]; content?: string }
  | { type: "command"; command: string; escalated?: boolean }
  /** Any function call as sent, arguments verbatim (an unknown tool, malformed JSON, …). */
  | { type: "functionCall"; name: string; arguments: string };

/**
 * A reply of any shape: its items in any order (a message before reasoning, several messages,
 * several tool calls at once). With commands in it, `finalText` answers their outputs.
 */
export type ComposedScenario = {
  type: "composed";
  output: ComposedOutput[];
  finalText?: string;
  chunkDelayMs?: number;
};

/** What the model answers; a streamed one may break off as `fault` says. */
export type Scenario = (
  | TextScenario
  | ReasoningScenario
  | CommandScenario
  | FileChangeScenario
  | PlanScenario
  | AskUserScenario
  | SlowScenario
  | ErrorScenario
  | ComposedScenario
) & { fault?: StreamFault };

export function addFilePatch(path: string, content: string): string {
  const lines = content.split("\n").map((line) => `+${line}`);
  return `*** Begin Patch\n*** Add File: ${path}\n${lines.join("\n")}\n*** End Patch\n`;
}

/**
 * The default router: a tag in the user's message picks the scenario, so a test (or a demo)
 * can drive the model by what it types. Untagged text is echoed back.
 *
 *   `[reasoning]`, `[command] <cmd>`, `[patch] <file>`, `[plan]`, `[ask]`, `[slow]`, `[error]`, anything else → text
 */
export function scenarioFromUserText(text: string): Scenario {
  const trimmed = text.trim();
  const tag = /^\[(\w+)\]\s*(.*)$/s.exec(trimmed);
  const rest = tag?.[2]?.trim() ?? "";
  switch (tag?.[1]) {
    case "reasoning":
      return {
        type: "reasoning",
        summary: ["**Thinking it over**\n\nThe user wants a short answer.", "**Answering**\n\nKeep it brief."],
        content: "Let me consider the request carefully.",
        text: rest || "Here is my considered answer.",
      };
    case "command":
      return {
        type: "command",
        command: rest || "echo hello from codex",
        justification: "The user asked to run this command.",
        finalText: "The command finished.",
      };
    case "patch":
      return {
        type: "fileChange",
        patch: addFilePatch(rest || "hello.txt", "hello from the scripted model"),
        finalText: "I created the file.",
      };
    case "plan":
      return {
        type: "plan",
        explanation: "Three steps to get there.",
        steps: [
          { step: "Read the failing test", status: "completed" },
          { step: "Fix the parser", status: "in_progress" },
          { step: "Run the suite", status: "pending" },
        ],
        finalText: rest || "The plan is set.",
      };
    case "ask":
      return {
        type: "askUser",
        questions: [
          {
            id: "target",
            header: "Target",
            question: rest || "Which branch should I deploy?",
            options: [
              { label: "main", description: "The release branch" },
              { label: "staging", description: "Try it first" },
            ],
          },
        ],
        finalText: "Thanks, noted.",
      };
    case "slow":
      return { type: "slow", chunks: 400, chunkDelayMs: 25 };
    case "error":
      return { type: "error", status: 500, message: rest || "scripted model failure" };
    default:
      return { type: "text", text: `You said: ${trimmed}`, chunks: 4 };
  }
}

/** Cuts on code points, never inside a surrogate pair (codex rejects lone surrogates). */
export function splitIntoChunks(text: string, chunks: number | string[] | undefined): string[] {
  if (Array.isArray(chunks)) return chunks;
  const points = Array.from(text);
  const count = Math.max(1, Math.min(chunks ?? 4, points.length || 1));
  const size = Math.ceil(points.length / count);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(""));
  return out.length > 0 ? out : [""];
}
