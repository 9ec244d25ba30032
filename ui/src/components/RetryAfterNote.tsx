/** "You can try again in 1 min 30 sec (at 12:01:30)": a countdown under a 429 (or 503) that said how long to wait. */

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocale } from "../lib/format";
import { formatWait, retryClock } from "../text/retry";

export function RetryAfterNote({ seconds }: { seconds: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  // The deadline is fixed when the problem is first shown; the text counts down to it.
  const [deadline] = useState(() => Date.now() + seconds * 1000);
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));
  const done = left <= 0;
  useEffect(() => {
    if (done) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [done]);
  return (
    <p className="problem-retry">
      {done
        ? t("problem.retryNow")
        : t("problem.retryIn", { wait: formatWait(left, locale), time: retryClock(left, deadline, locale) })}
    </p>
  );
}
