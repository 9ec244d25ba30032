/** Store submissions: agent versions waiting for a reviewer, oldest first. */

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatTimestamp } from "../../text/time";
import { useLocale } from "../../lib/format";
import { asProblem } from "./queries";
import { ReviewTabs } from "./ReviewTabs";
import { useSubmissions } from "./submissionQueries";

export function SubmissionsPage() {
  const { t } = useTranslation("inbox");
  const locale = useLocale();
  const submissions = useSubmissions();
  const items = submissions.data ?? [];
  return (
    <section className="page inbox" aria-labelledby="submissions-title">
      <h1 id="submissions-title">{t("submissions.title")}</h1>
      <ReviewTabs />
      <p className="muted">{t("submissions.intro")}</p>
      <ProblemMessage error={asProblem(submissions.error)} context={t("submissions.loadFailed")} />
      {submissions.data && items.length === 0 ? <p className="muted">{t("submissions.empty")}</p> : null}
      <ul className="submission-list">
        {items.map((item) => (
          <li key={item.id} className="card">
            <Link to={`/reviews/submissions/${encodeURIComponent(item.id)}`}>
              {t("submissions.linkName", { agent: item.agent_name, version: item.version })}
            </Link>
            <p className="muted">{t("submissions.created", { when: formatTimestamp(item.created_at, locale) })}</p>
            {item.changelog ? <p className="submission-changelog">{item.changelog}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
