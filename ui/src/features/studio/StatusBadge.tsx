/** A version's or agent's status as a coloured badge, in the reader's words. */

import { useTranslation } from "react-i18next";

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("studio");
  return <span className={`badge status--${status}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}
