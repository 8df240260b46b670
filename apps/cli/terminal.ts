/**
 * The terminal both CLI examples talk through: a prompt, lines the user types, and output
 * that may arrive while they type (streamed text). An approval codex asks for takes the next
 * line as its answer.
 */
import { createInterface } from "node:readline";

export type ApprovalAnswer = "accept" | "decline" | "cancel";

export type Terminal = {
  /** Text as it streams (no newline added). */
  write(text: string): void;
  /** A whole line of output, on a line of its own. */
  line(text: string): void;
  /** Shows the prompt (when nothing is asked). */
  prompt(): void;
  /** Asks a yes/no/cancel question; the next line the user types answers it. */
  askApproval(question: string): Promise<ApprovalAnswer>;
  /** Questions nobody needs answered any more (their turn ended) are dropped, answered `undefined`. */
  dropQuestions(): number;
  close(): void;
};

export type TerminalHandlers = {
  onLine: (line: string) => void;
  /** Ctrl-C at the prompt. */
  onInterrupt: () => void;
  /** Ctrl-D / end of input. */
  onClose: () => void;
};

export function openTerminal({ onLine, onInterrupt, onClose }: TerminalHandlers): Terminal {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true, prompt: "› " });
  const questions: Array<(answer: ApprovalAnswer | undefined) => void> = [];
  let atLineStart = true;
  const write = (text: string) => {
    if (!text) return;
    process.stdout.write(text);
    atLineStart = text.endsWith("\n");
  };
  rl.on("line", (raw) => {
    atLineStart = true;
    const text = raw.trim();
    const answer = questions[0];
    if (answer) {
      const decision = parseAnswer(text);
      if (!decision) {
        write("  answer y (allow), n (decline) or c (cancel the turn): ");
        return;
      }
      questions.shift();
      answer(decision);
      return;
    }
    onLine(text);
  });
  rl.on("SIGINT", onInterrupt);
  rl.on("close", onClose);
  return {
    write,
    line(text) {
      write(`${atLineStart ? "" : "\n"}${text}\n`);
    },
    prompt() {
      if (questions.length === 0) rl.prompt();
      atLineStart = false;
    },
    askApproval(question) {
      return new Promise<ApprovalAnswer>((resolve) => {
        questions.push(resolve as (answer: ApprovalAnswer | undefined) => void);
        write(`${atLineStart ? "" : "\n"}${question}\n  allow? [y]es / [n]o / [c]ancel the turn: `);
      });
    },
    dropQuestions() {
      const dropped = questions.splice(0);
      for (const answer of dropped) answer(undefined);
      return dropped.length;
    },
    close: () => rl.close(),
  };
}

function parseAnswer(text: string): ApprovalAnswer | undefined {
  const t = text.toLowerCase();
  if (t === "y" || t === "yes" || t === "a" || t === "allow") return "accept";
  if (t === "n" || t === "no" || t === "d" || t === "decline") return "decline";
  if (t === "c" || t === "cancel") return "cancel";
  return undefined;
}
