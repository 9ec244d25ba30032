/** Message text as paragraphs, fenced code blocks and inline code (no HTML is ever injected). */

import { memo } from "react";
import { splitBlocks, splitInline } from "./blocks";

export const MessageBody = memo(function MessageBody({ text }: { text: string }) {
  return (
    <div className="message-body">
      {splitBlocks(text).map((block, index) =>
        block.kind === "code" ? (
          <pre key={index} className="code-block" data-lang={block.lang ?? undefined} tabIndex={0}>
            <code>{block.text}</code>
          </pre>
        ) : (
          <p key={index}>
            {splitInline(block.text).map((part, i) =>
              part.kind === "code" ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>,
            )}
          </p>
        ),
      )}
    </div>
  );
});
