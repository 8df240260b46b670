/**
 * Turning a scenario into Responses-API stream events, each with the pause to take before it.
 * codex keeps no server state: only `response.completed` ends a reply successfully, and the
 * item ids we invent here become codex ThreadItem ids (unique unless the server is told to
 * number them per response, as some providers do).
 */
import { splitIntoChunks, type Scenario, type StreamFault } from "./scenarios.js";

export type StreamStep = { delayMs: number; event: Record<string, unknown> };

/** Makes the ids of one response; `next("msg")` → `msg_<prefix>_<n>`. */
export type IdSource = { next(kind: string): string };

/** Tool calls awaiting their output, and the answer to give once it comes back. */
export type PendingCall = { callIds: string[]; finalText: string };

export type ScriptedReply =
  /** `reset`: destroy the connection after the steps instead of ending the body. */
  | { kind: "stream"; steps: StreamStep[]; pendingCall?: PendingCall; reset?: boolean }
  | { kind: "httpError"; status: number; message: string; code?: string; retryAfterSeconds?: number };

const usage = (outputTokens: number) => ({
  input_tokens: 100,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: outputTokens,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 100 + outputTokens,
});

class StepWriter {
  readonly steps: StreamStep[] = [];
  private outputIndex = 0;
  constructor(private readonly ids: IdSource, readonly responseId: string) {
    this.push(0, { type: "response.created", response: { id: responseId } });
  }
  push(delayMs: number, event: Record<string, unknown>) {
    this.steps.push({ delayMs, event });
  }
  nextOutputIndex() {
    return this.outputIndex++;
  }
  message(text: string, chunks: string[], chunkDelayMs: number) {
    const id = this.ids.next("msg");
    const output_index = this.nextOutputIndex();
    const inProgress = { type: "message", id, role: "assistant", status: "in_progress", content: [] };
    this.push(0, { type: "response.output_item.added", output_index, item: inProgress });
    this.push(0, {
      type: "response.content_part.added",
      item_id: id,
      output_index,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    });
    for (const delta of chunks) {
      this.push(chunkDelayMs, { type: "response.output_text.delta", item_id: id, output_index, content_index: 0, delta });
    }
    const done = {
      type: "message",
      id,
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text, annotations: [] }],
    };
    this.push(0, { type: "response.output_item.done", output_index, item: done });
  }
  completed(outputTokens: number) {
    this.push(0, {
      type: "response.completed",
      response: { id: this.responseId, status: "completed", usage: usage(outputTokens) },
    });
  }
}

export function scriptReply(scenario: Scenario, ids: IdSource): ScriptedReply {
  if (scenario.type === "error") {
    const { status = 500, message = "scripted model failure", code, retryAfterSeconds } = scenario;
    return { kind: "httpError", status, message, code, retryAfterSeconds };
  }
  const reply = scriptStream(scenario, ids);
  return scenario.fault && reply.kind === "stream" ? breakOff(reply, scenario.fault) : reply;
}

const DELTA_TYPES = new Set(["response.output_text.delta", "response.reasoning_summary_text.delta", "response.reasoning_text.delta"]);

/** Cuts a stream after its `afterDeltas`-th delta and ends it the way the fault says. */
function breakOff(reply: Extract<ScriptedReply, { kind: "stream" }>, fault: StreamFault): ScriptedReply {
  const limit = fault.afterDeltas ?? 0;
  let deltas = 0;
  let cut = reply.steps.findIndex((step) => DELTA_TYPES.has(String(step.event.type)) && ++deltas > limit);
  if (cut < 0) cut = reply.steps.findIndex((step) => step.event.type === "response.completed");
  const steps = reply.steps.slice(0, cut < 0 ? reply.steps.length : cut);
  const error = { code: fault.code ?? "server_error", message: fault.message ?? "scripted stream failure" };
  const responseId = (reply.steps[0]?.event.response as { id?: string } | undefined)?.id;
  if (fault.kind === "failed") {
    steps.push({ delayMs: 0, event: { type: "response.failed", response: { id: responseId, status: "failed", error } } });
  } else if (fault.kind === "incomplete") {
    const incomplete_details = { reason: fault.code ?? "max_output_tokens" };
    steps.push({ delayMs: 0, event: { type: "response.incomplete", response: { id: responseId, status: "incomplete", incomplete_details } } });
  } else if (fault.kind === "error") {
    steps.push({ delayMs: 0, event: { type: "error", ...error, param: null } });
  }
  return { kind: "stream", steps, reset: fault.kind === "reset" };
}

function scriptStream(scenario: Exclude<Scenario, { type: "error" }>, ids: IdSource): ScriptedReply {
  const w = new StepWriter(ids, ids.next("resp"));
  switch (scenario.type) {
    case "text": {
      w.message(scenario.text, splitIntoChunks(scenario.text, scenario.chunks), scenario.chunkDelayMs ?? 0);
      w.completed(scenario.text.length);
      return { kind: "stream", steps: w.steps };
    }
    case "reasoning": {
      reasoning(w, ids.next("rs"), scenario.summary, scenario.content);
      w.message(scenario.text, splitIntoChunks(scenario.text, 3), 0);
      w.completed(scenario.text.length + 20);
      return { kind: "stream", steps: w.steps };
    }
    case "slow": {
      const chunk = scenario.chunkText ?? "still going… ";
      const chunks = Array.from({ length: scenario.chunks }, () => chunk);
      w.message(chunks.join(""), chunks, scenario.chunkDelayMs);
      w.completed(scenario.chunks);
      return { kind: "stream", steps: w.steps };
    }
    case "composed": {
      const callIds: string[] = [];
      for (const out of scenario.output) {
        if (out.type === "message") w.message(out.text, splitIntoChunks(out.text, out.chunks), scenario.chunkDelayMs ?? 0);
        else if (out.type === "reasoning") reasoning(w, ids.next("rs"), out.summary, out.content);
        else if (out.type === "command") callIds.push(execCommand(w, ids, out.command, out.escalated ?? false, "The command needs to run."));
        else callIds.push(functionCall(w, ids, out.name, out.arguments));
      }
      w.completed(10);
      const pendingCall = callIds.length > 0 ? { callIds, finalText: scenario.finalText ?? "Done." } : undefined;
      return { kind: "stream", steps: w.steps, pendingCall };
    }
    case "command": {
      preamble(w, scenario.preamble);
      const callId = execCommand(w, ids, scenario.command, scenario.escalated ?? true, scenario.justification ?? "The command needs to run.");
      w.completed(10);
      return { kind: "stream", steps: w.steps, pendingCall: { callIds: [callId], finalText: scenario.finalText } };
    }
    case "plan": {
      const callId = ids.next("call");
      const args = { explanation: scenario.explanation ?? null, plan: scenario.steps };
      toolCall(w, { type: "function_call", id: ids.next("fc"), call_id: callId, name: "update_plan", arguments: JSON.stringify(args), status: "completed" });
      w.completed(10);
      return { kind: "stream", steps: w.steps, pendingCall: { callIds: [callId], finalText: scenario.finalText } };
    }
    case "askUser": {
      const callId = ids.next("call");
      const args = { questions: scenario.questions };
      toolCall(w, { type: "function_call", id: ids.next("fc"), call_id: callId, name: "request_user_input", arguments: JSON.stringify(args), status: "completed" });
      w.completed(10);
      return { kind: "stream", steps: w.steps, pendingCall: { callIds: [callId], finalText: scenario.finalText } };
    }
    case "fileChange": {
      preamble(w, scenario.preamble);
      const callId = ids.next("call");
      const item = {
        type: "custom_tool_call",
        id: ids.next("ctc"),
        call_id: callId,
        name: "apply_patch",
        input: scenario.patch,
        status: "completed",
      };
      toolCall(w, item);
      w.completed(10);
      return { kind: "stream", steps: w.steps, pendingCall: { callIds: [callId], finalText: scenario.finalText } };
    }
  }
}

/** The reply to a tool call's output: the final answer of the scenario that made the call. */
export function scriptFinalAnswer(text: string, ids: IdSource): ScriptedReply {
  const w = new StepWriter(ids, ids.next("resp"));
  w.message(text, splitIntoChunks(text, 2), 0);
  w.completed(text.length);
  return { kind: "stream", steps: w.steps };
}

/** An `exec_command` call; returns its call id. */
function execCommand(w: StepWriter, ids: IdSource, command: string, escalated: boolean, justification: string): string {
  const args: Record<string, unknown> = { cmd: command };
  if (escalated) Object.assign(args, { sandbox_permissions: "require_escalated", justification });
  return functionCall(w, ids, "exec_command", JSON.stringify(args));
}

function functionCall(w: StepWriter, ids: IdSource, name: string, args: string): string {
  const callId = ids.next("call");
  toolCall(w, { type: "function_call", id: ids.next("fc"), call_id: callId, name, arguments: args, status: "completed" });
  return callId;
}

function preamble(w: StepWriter, text: string | undefined) {
  if (text !== undefined) w.message(text, splitIntoChunks(text, 2), 0);
}

function toolCall(w: StepWriter, item: Record<string, unknown>) {
  const output_index = w.nextOutputIndex();
  w.push(0, { type: "response.output_item.added", output_index, item });
  w.push(0, { type: "response.output_item.done", output_index, item });
}

function reasoning(w: StepWriter, id: string, summary: string[], content: string | undefined) {
  const output_index = w.nextOutputIndex();
  w.push(0, { type: "response.output_item.added", output_index, item: { type: "reasoning", id, summary: [] } });
  summary.forEach((text, summary_index) => {
    w.push(0, {
      type: "response.reasoning_summary_part.added",
      item_id: id,
      output_index,
      summary_index,
      part: { type: "summary_text", text: "" },
    });
    for (const delta of splitIntoChunks(text, 3)) {
      w.push(0, { type: "response.reasoning_summary_text.delta", item_id: id, output_index, summary_index, delta });
    }
    w.push(0, { type: "response.reasoning_summary_part.done", item_id: id, output_index, summary_index, part: { type: "summary_text", text } });
  });
  if (content !== undefined) {
    for (const delta of splitIntoChunks(content, 3)) {
      w.push(0, { type: "response.reasoning_text.delta", item_id: id, output_index, content_index: 0, delta });
    }
  }
  w.push(0, {
    type: "response.output_item.done",
    output_index,
    item: {
      type: "reasoning",
      id,
      summary: summary.map((text) => ({ type: "summary_text", text })),
      content: content === undefined ? undefined : [{ type: "reasoning_text", text: content }],
      encrypted_content: null,
    },
  });
}
