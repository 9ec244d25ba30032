/**
 * Message text as Markdown (GitHub flavour: lists, tables, headings, links, fenced code with
 * highlighting). Raw HTML is never rendered: react-markdown shows it as text, and its default
 * URL transform empties `javascript:` and other unsafe links.
 */

import { memo } from "react";
import Markdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";

const REMARK_PLUGINS = [remarkGfm];
// Only fenced code that names its language is highlighted: guessing is slow and often wrong.
const REHYPE_PLUGINS = [rehypeHighlight];

/** Whether a link leaves the app (it then opens in a new tab that cannot reach this one). */
export function isExternalHref(href: string | undefined): boolean {
  return Boolean(href && /^(https?:)?\/\//i.test(href));
}

const COMPONENTS: Components = {
  a: ({ node: _node, href, children, ...props }) => {
    // The URL transform left no address (an unsafe one): an empty href would reload the page.
    if (!href) return <span className="link-removed">{children}</span>;
    return isExternalHref(href) ? (
      <a {...props} href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <a {...props} href={href}>
        {children}
      </a>
    );
  },
  // Long code and wide tables scroll inside their box, never the page; focusable to scroll by keyboard.
  pre: ({ node: _node, ...props }) => <pre {...props} className="code-block" tabIndex={0} />,
  table: ({ node: _node, ...props }) => (
    <div className="table-scroll" tabIndex={0}>
      <table {...props} />
    </div>
  ),
};

export const MessageBody = memo(function MessageBody({ text }: { text: string }) {
  return (
    <div className="message-body">
      <Markdown remarkPlugins={REMARK_PLUGINS} rehypePlugins={REHYPE_PLUGINS} components={COMPONENTS}>
        {text}
      </Markdown>
    </div>
  );
});
