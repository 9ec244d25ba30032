/** An item's tags as chips; nothing at all when it has none. */

interface Props {
  tags: readonly string[];
  className?: string;
  /** Inside phrasing content (a button, a line of text) the list is a span instead of a paragraph. */
  inline?: boolean;
}

export function TagList({ tags, className, inline }: Props) {
  if (tags.length === 0) return null;
  const Wrapper = inline ? "span" : "p";
  return (
    <Wrapper className={className}>
      {tags.map((tag) => (
        <span key={tag} className="tag">
          {tag}
        </span>
      ))}
    </Wrapper>
  );
}
