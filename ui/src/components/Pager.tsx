/** Previous / next for an offset-paged list, with "51–100 of 230". */

import { pageInfo } from "../features/admin/paging";

interface Props {
  /** Names the navigation landmark, e.g. "Audit log pages". */
  label: string;
  total: number;
  limit: number;
  offset: number;
  count: number;
  disabled?: boolean;
  onOffset: (offset: number) => void;
}

export function Pager({ label, total, limit, offset, count, disabled, onOffset }: Props) {
  const info = pageInfo({ total, limit, offset, count });
  if (!info.hasPrevious && !info.hasNext) {
    return <p className="pager-text muted">{info.text}</p>;
  }
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button button--small"
        disabled={disabled || !info.hasPrevious}
        onClick={() => onOffset(info.previousOffset)}
      >
        ← Previous
      </button>
      <span className="pager-text" aria-live="polite">
        {info.text}
      </span>
      <button
        type="button"
        className="button button--small"
        disabled={disabled || !info.hasNext}
        onClick={() => onOffset(info.nextOffset)}
      >
        Next →
      </button>
    </nav>
  );
}
