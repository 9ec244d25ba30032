/** A conversation's verdict as a badge: a colour and a mark of its own, and the verdict in words. */

import { useTranslation } from "react-i18next";
import type { Verdict } from "./api";

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation("replayCheck");
  return (
    <span className={`badge replay-verdict replay-verdict--${verdict}`} data-verdict={verdict}>
      <span className="replay-verdict-icon" aria-hidden="true" />
      {t(`verdict.${verdict}`)}
    </span>
  );
}
