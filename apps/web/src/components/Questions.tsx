import type { CodexUserInput, CodexUserInputRequest } from "codex-local-component/react";
import { useState, type FormEvent } from "react";

function QuestionCard({ request, onAnswer }: { request: CodexUserInputRequest; onAnswer(answers: Record<string, string[]>): Promise<void> }) {
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const complete = request.questions.every((q) => (chosen[q.id] ?? "").trim() !== "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!complete) return;
    setError(undefined);
    const answers = Object.fromEntries(request.questions.map((q) => [q.id, [chosen[q.id]!.trim()]]));
    onAnswer(answers).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <form className="approval question" data-testid="question" onSubmit={submit}>
      {request.questions.map((q) => (
        <fieldset key={q.id}>
          <legend>
            {q.header && <strong>{q.header}: </strong>}
            {q.question}
          </legend>
          <div className="options">
            {q.options.map((o) => (
              <button
                key={o.label}
                type="button"
                className={chosen[q.id] === o.label ? "option chosen" : "option"}
                aria-pressed={chosen[q.id] === o.label}
                data-testid="question-option"
                onClick={() => setChosen({ ...chosen, [q.id]: o.label })}
              >
                <span>{o.label}</span>
                {o.description && <span className="muted"> — {o.description}</span>}
              </button>
            ))}
          </div>
          {(q.isOther || q.options.length === 0) && (
            <input
              type={q.isSecret ? "password" : "text"}
              placeholder={q.options.length > 0 ? "Or type an answer" : "Your answer"}
              value={q.options.some((o) => o.label === chosen[q.id]) ? "" : (chosen[q.id] ?? "")}
              onChange={(e) => setChosen({ ...chosen, [q.id]: e.target.value })}
            />
          )}
        </fieldset>
      ))}
      <div className="actions">
        <button type="submit" className="primary" disabled={!complete} data-testid="question-submit">
          Answer
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

/** codex's questions (plan mode), answered from this device; answered elsewhere, gone here. */
export function Questions({ requests, answer }: Pick<CodexUserInput, "requests" | "answer">) {
  if (requests.length === 0) return null;
  return (
    <section className="approvals" aria-label="Questions">
      {requests.map((r) => (
        <QuestionCard key={r._id} request={r} onAnswer={(answers) => answer(r, answers)} />
      ))}
    </section>
  );
}
