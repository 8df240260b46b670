import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";

// react-markdown renders to React elements: raw HTML in the text is not rendered, and
// react-markdown's own URL check drops `javascript:` and other unsafe links.
const components = {
  a: ({ href, children }: { href?: string; children?: React.ReactNode }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
};

/** Agent text as Markdown (GitHub flavour), safely; code blocks monospaced and scrolled in place. */
export function MarkdownText({ text }: { text: string }) {
  return (
    <div className="markdown">
      <Markdown remarkPlugins={[remarkGfm]} skipHtml components={components}>
        {text}
      </Markdown>
    </div>
  );
}
