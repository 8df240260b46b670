/**
 * The recorded transcripts (`pnpm transcripts:record`), loaded through Vite so tests need no
 * file-system access: raw codex stdout lines per conversation shape.
 */
const files = import.meta.glob("../testdata/transcripts/*.stdout.jsonl", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export type Transcript = { name: string; lines: string[] };

export const transcripts: Transcript[] = Object.entries(files)
  .map(([path, text]) => ({
    name: /([^/]+)\.stdout\.jsonl$/.exec(path)![1]!,
    lines: text.split("\n").filter((l) => l.length > 0),
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

export function transcript(name: string): Transcript {
  const found = transcripts.find((t) => t.name === name);
  if (!found) throw new Error(`no transcript named ${name}; run pnpm transcripts:record`);
  return found;
}
