import type { PatchChange } from "codex-local-component/react";

type Line = { kind: "add" | "del" | "hunk" | "meta" | "context"; text: string };

/**
 * A file change's diff as lines a person reads: codex gives a unified diff for an update
 * and the file's content for an added (or deleted) file.
 */
export function diffLines(change: Pick<PatchChange, "kind" | "diff">): Line[] {
  const text = (change.diff ?? "").replace(/\n$/, "");
  if (text === "") return [];
  const lines = text.split("\n");
  if (change.kind === "add") return lines.map((l) => ({ kind: "add", text: `+${l}` }));
  if (change.kind === "delete") return lines.map((l) => ({ kind: "del", text: `-${l}` }));
  return lines.map((l): Line => {
    if (l.startsWith("@@")) return { kind: "hunk", text: l };
    if (l.startsWith("+++") || l.startsWith("---") || l.startsWith("diff ") || l.startsWith("index ")) return { kind: "meta", text: l };
    if (l.startsWith("+")) return { kind: "add", text: l };
    if (l.startsWith("-")) return { kind: "del", text: l };
    return { kind: "context", text: l };
  });
}

export function Diff({ change }: { change: Pick<PatchChange, "kind" | "diff"> }) {
  const lines = diffLines(change);
  if (lines.length === 0) return null;
  return (
    <pre className="diff" data-testid="diff">
      {lines.map((l, i) => (
        <span key={i} className={`diff-${l.kind}`} data-testid="diff-line">
          {l.text}
        </span>
      ))}
    </pre>
  );
}

/** The diff's added / removed line counts (what a collapsed file change shows). */
export function diffStat(change: Pick<PatchChange, "kind" | "diff">): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of diffLines(change)) {
    if (l.kind === "add") added++;
    else if (l.kind === "del") removed++;
  }
  return { added, removed };
}

/** A path relative to the thread's working directory when it lies inside it. */
export function shortPath(path: string, cwd: string | undefined): string {
  if (!cwd) return path;
  const root = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}
