/** A time in a list: relative ("5 min ago"), the full timestamp on hover, or a word when there is none. */

import { useLocale } from "../lib/format";
import { formatRelativeTime, formatTimestamp } from "../text/time";

export function When({ iso, none }: { iso: string | null | undefined; none: string }) {
  const locale = useLocale();
  if (!iso) return <>{none}</>;
  return (
    <time dateTime={iso} title={formatTimestamp(iso, locale)}>
      {formatRelativeTime(iso, Date.now(), locale)}
    </time>
  );
}
