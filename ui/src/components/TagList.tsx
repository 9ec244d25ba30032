/**
 * An item's tags as chips; nothing at all when it has none. Given `tagHref`, each tag is a link
 * (the store filters by it); without it the tags are plain text, as before.
 */

import { Link } from "react-router";

interface Props {
  tags: readonly string[];
  className?: string;
  /** Inside phrasing content (a button, a line of text) the list is a span instead of a paragraph. */
  inline?: boolean;
  /** Where a tag leads; tags stay plain text when it is absent (never inside a link or button). */
  tagHref?: (tag: string) => string;
  /** A link's accessible name, which should contain the tag ("Agents tagged support"); the tag alone otherwise. */
  tagLabel?: (tag: string) => string;
}

export function TagList({ tags, className, inline, tagHref, tagLabel }: Props) {
  if (tags.length === 0) return null;
  const Wrapper = inline ? "span" : "p";
  return (
    <Wrapper className={className}>
      {tags.map((tag) =>
        tagHref ? (
          <Link key={tag} className="tag tag--link" to={tagHref(tag)} aria-label={tagLabel?.(tag)}>
            {tag}
          </Link>
        ) : (
          <span key={tag} className="tag">
            {tag}
          </span>
        ),
      )}
    </Wrapper>
  );
}
