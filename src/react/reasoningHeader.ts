/**
 * The status header codex shows while it thinks: the first `**bold**` run of the latest
 * reasoning text. Only a closed pair counts, so a header is never shown half-typed.
 */
export function extractBoldHeader(text: string): string | undefined {
  const match = /\*\*([^*\n]+?)\*\*/.exec(text);
  const header = match?.[1]?.trim();
  return header ? header : undefined;
}
