/** Previous / next for an offset-paged list, with "51–100 of 230" in the current language. */

import { useTranslation } from "react-i18next";
import { formatNumber, useLocale } from "../lib/format";

interface Props {
  /** Names the navigation landmark, e.g. "Audit log pages" (translated by the caller). */
  label: string;
  total: number;
  limit: number;
  offset: number;
  count: number;
  disabled?: boolean;
  onOffset: (offset: number) => void;
}

/** Where a page sits in its list and where the buttons go. */
export function pagerState({ total, limit, offset, count }: Omit<Props, "label" | "onOffset" | "disabled">) {
  return {
    first: count > 0 ? offset + 1 : 0,
    last: offset + count,
    hasPrevious: offset > 0,
    hasNext: offset + count < total,
    previousOffset: Math.max(0, offset - limit),
    nextOffset: offset + limit,
  };
}

export function Pager({ label, total, limit, offset, count, disabled, onOffset }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const state = pagerState({ total, limit, offset, count });
  const n = (value: number) => formatNumber(value, locale);
  const text =
    count > 0
      ? t("pager.range", { first: n(state.first), last: n(state.last), total: n(total) })
      : offset > 0
        ? t("pager.nothingAfter", { offset: n(offset) })
        : t("pager.none");
  if (!state.hasPrevious && !state.hasNext) {
    return <p className="pager-text muted">{text}</p>;
  }
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button button--small"
        disabled={disabled || !state.hasPrevious}
        onClick={() => onOffset(state.previousOffset)}
      >
        {t("pager.previous")}
      </button>
      <span className="pager-text" aria-live="polite">
        {text}
      </span>
      <button
        type="button"
        className="button button--small"
        disabled={disabled || !state.hasNext}
        onClick={() => onOffset(state.nextOffset)}
      >
        {t("pager.next")}
      </button>
    </nav>
  );
}
