/** An agent's store page: description, tags (each opens the store filtered by it), rating and use, versions with changelogs, reviews. */

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { StartChatButton } from "../../components/StartChatButton";
import { TagList } from "../../components/TagList";
import { When } from "../../components/When";
import { useLocale } from "../../lib/format";
import { routeHref } from "../../lib/paths";
import { formatDate, formatTimestamp } from "../../text/time";
import { useAgentDetail, useAgentReviews } from "./api";
import { Changelog } from "./Changelog";
import { storeHref } from "./filters";
import { MyReviewForm } from "./MyReviewForm";
import { starString } from "./rating";
import { RatingText, UsersText } from "./RatingText";
import "./store.css";

export function AgentPage({ agentId }: { agentId: string }) {
  const { t } = useTranslation("store");
  const locale = useLocale();
  const session = useSession();
  const myId = session.status === "ready" ? session.me.id : "";
  const agent = useAgentDetail(agentId);
  const reviews = useAgentReviews(agentId);
  const detail = agent.data;
  const mine = reviews.data?.find((r) => r.user_id === myId) ?? null;

  return (
    <section className="page agent-page" aria-labelledby="agent-title">
      <p className="breadcrumb">
        <Link to={routeHref({ name: "store" })}>{t("agent.back")}</Link>
      </p>
      <ProblemMessage error={agent.error} context={t("agent.loadError")} onRetry={() => void agent.refetch()} />
      {agent.isPending ? <p role="status">{t("loading")}</p> : null}
      {detail ? (
        <>
          <header className="agent-head">
            <div>
              <h1 id="agent-title">{detail.name}</h1>
              <p className="muted agent-stats">
                {detail.current_version ? (
                  <span className="badge">{t("agent.version", { version: detail.current_version.version })}</span>
                ) : null}
                <span>
                  <RatingText value={detail.average_rating} count={detail.rating_count} />
                </span>
                <span>
                  <UsersText count={detail.download_count} />
                </span>
              </p>
            </div>
            <StartChatButton agent={detail} />
          </header>
          {detail.description ? <p className="agent-description-long">{detail.description}</p> : null}
          <TagList
            tags={detail.tags}
            tagHref={(tag) => storeHref({ tag })}
            tagLabel={(tag) => t("tags.filterBy", { tag })}
          />
          <h2>{t("agent.versions")}</h2>
          {detail.versions.length === 0 ? <p className="muted">{t("agent.noVersions")}</p> : null}
          <ol className="version-list">
            {detail.versions.map((version) => (
              <li key={version.id} className="version">
                <p className="version-head">
                  <strong>{t("agent.version", { version: version.version })}</strong>
                  {version.is_current ? <span className="badge">{t("agent.current")}</span> : null}
                  {version.published_at ? (
                    <time
                      className="muted"
                      dateTime={version.published_at}
                      title={formatTimestamp(version.published_at, locale)}
                    >
                      {formatDate(version.published_at, locale)}
                    </time>
                  ) : null}
                </p>
                {version.changelog ? (
                  <Changelog text={version.changelog} />
                ) : (
                  <p className="muted">{t("agent.noChangelog")}</p>
                )}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <h2 id="reviews-title">{t("reviews.title")}</h2>
      {/* The form waits for the reviews, so it starts from the person's own review when there is one. */}
      {detail && reviews.data ? <MyReviewForm agentId={agentId} existing={mine} /> : null}
      <ProblemMessage error={reviews.error} context={t("reviews.loadError")} onRetry={() => void reviews.refetch()} />
      {reviews.data && reviews.data.length === 0 ? <p className="muted">{t("reviews.none")}</p> : null}
      <ul className="review-list" aria-labelledby="reviews-title">
        {(reviews.data ?? []).map((review) => (
          <li key={review.id} className="review">
            <p className="review-head">
              <span className="stars" role="img" aria-label={t("rating.stars", { rating: review.rating })}>
                {starString(review.rating)}
              </span>
              <span className="muted">{review.user_id === myId ? t("reviews.you") : t("reviews.someone")}</span>
              <span className="muted">
                <When iso={review.updated_at} none="" />
              </span>
            </p>
            {review.comment ? <p className="review-comment">{review.comment}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
