/** A time in a list: relative ("5 min ago"), the full timestamp on hover, or a word when there is none. */

import { formatRelativeTime, formatTimestamp } from "../text/time";

export function When({ iso, none }: { iso: string | null | undefined; none: string }) {
  if (!iso) return <>{none}</>;
  return (
    <time dateTime={iso} title={formatTimestamp(iso)}>
      {formatRelativeTime(iso)}
    </time>
  );
}
