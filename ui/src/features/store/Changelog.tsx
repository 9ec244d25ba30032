/**
 * A version's changelog as Markdown (lists, links, code). Raw HTML is never rendered and
 * react-markdown's default URL transform empties `javascript:` links.
 */

import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";

const REMARK_PLUGINS = [remarkGfm];

export function Changelog({ text }: { text: string }) {
  return (
    <div className="changelog">
      <Markdown remarkPlugins={REMARK_PLUGINS} skipHtml>
        {text}
      </Markdown>
    </div>
  );
}
