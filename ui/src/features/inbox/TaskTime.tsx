/** A task's times in the current language: relative ("5 min ago"), the full timestamp on hover, "—" when there is none. */

import { useTranslation } from "react-i18next";
import { useLocale } from "../../lib/format";
import { formatRelativeTime, formatTimestamp } from "../../text/time";

export function TaskTime({ iso, now }: { iso: string | null; now?: number }) {
  const { t } = useTranslation("inbox");
  const locale = useLocale();
  if (!iso) return <>{t("table.none")}</>;
  return (
    <time dateTime={iso} title={formatTimestamp(iso, locale)}>
      {formatRelativeTime(iso, now, locale)}
    </time>
  );
}

/** A deadline, said to be overdue once it has passed ("overdue · 1 hour ago"). */
export function DueTime({ iso, overdue, now }: { iso: string | null; overdue: boolean; now: number }) {
  const { t } = useTranslation("inbox");
  const locale = useLocale();
  if (!iso) return <>{t("table.none")}</>;
  const when = formatRelativeTime(iso, now, locale);
  return (
    <time dateTime={iso} title={formatTimestamp(iso, locale)}>
      {overdue ? t("table.overdue", { when }) : when}
    </time>
  );
}
