/** "4.3 ★ (12 ratings)", "1.2K users": an agent's rating and use in the reader's language. */

import { useTranslation } from "react-i18next";
import { useLocale } from "../../lib/format";
import { formatAverage, formatCount } from "./rating";

/** The average rating, with the number of ratings when `count` is given. */
export function RatingText({ value, count }: { value: number | string | null | undefined; count?: number }) {
  const { t } = useTranslation("store");
  const locale = useLocale();
  const rating = formatAverage(value, locale);
  if (rating === null) return <>{t("rating.none")}</>;
  if (count === undefined) return <>{t("rating.average", { rating })}</>;
  return <>{t("rating.withCount", { rating, count, formatted: formatCount(count, locale) })}</>;
}

/** How many people use an agent. */
export function UsersText({ count }: { count: number }) {
  const { t } = useTranslation("store");
  const locale = useLocale();
  return <>{t("users", { count, formatted: formatCount(count, locale) })}</>;
}
