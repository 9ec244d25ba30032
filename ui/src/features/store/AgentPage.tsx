/** An agent's store page: description, rating and use, versions with changelogs, reviews. */

import { Link } from "react-router";
import { getAgent, listReviews } from "../../api/store";
import { useServices, useSession } from "../../app/context";
import { useLoad } from "../../hooks/useLoad";
import { routeHref } from "../../lib/paths";
import { formatCount, formatRating, starString } from "./rating";
import { formatTimestamp } from "../../text/time";
import { MessageBody } from "../chat/MessageBody";
import { MyReviewForm } from "./MyReviewForm";
import { ProblemMessage } from "../../components/ProblemMessage";
import { StartChatButton } from "../../components/StartChatButton";

export function AgentPage({ agentId }: { agentId: string }) {
  const { client } = useServices();
  const session = useSession();
  const myId = session.status === "ready" ? session.me.id : "";
  const agent = useLoad((signal) => getAgent(client, agentId, signal), [client, agentId]);
  const reviews = useLoad((signal) => listReviews(client, agentId, signal), [client, agentId]);
  const detail = agent.data;
  const mine = reviews.data?.find((r) => r.user_id === myId) ?? null;

  return (
    <section className="page agent-page" aria-labelledby="agent-title">
      <p className="breadcrumb">
        <Link to={routeHref({ name: "store" })}>← Store</Link>
      </p>
      <ProblemMessage error={agent.error} context="Could not load this agent" onRetry={agent.reload} />
      {!detail && agent.loading ? <p role="status">Loading…</p> : null}
      {detail ? (
        <>
          <header className="agent-head">
            <div>
              <h1 id="agent-title">{detail.name}</h1>
              <p className="muted agent-stats">
                {detail.current_version ? <span className="badge">v{detail.current_version.version}</span> : null}
                <span>{formatRating(detail.average_rating, detail.rating_count)}</span>
                <span>
                  {formatCount(detail.download_count)} {detail.download_count === 1 ? "user" : "users"}
                </span>
              </p>
            </div>
            <StartChatButton agent={detail} />
          </header>
          {detail.description ? <p className="agent-description-long">{detail.description}</p> : null}
          {detail.tags.length > 0 ? (
            <p>
              {detail.tags.map((tag) => (
                <span key={tag} className="tag">
                  {tag}
                </span>
              ))}
            </p>
          ) : null}
          <h2>Versions</h2>
          {detail.versions.length === 0 ? <p className="muted">No published versions.</p> : null}
          <ol className="version-list">
            {detail.versions.map((version) => (
              <li key={version.id} className="version">
                <p className="version-head">
                  <strong>v{version.version}</strong>
                  {version.is_current ? <span className="badge">current</span> : null}
                  {version.published_at ? (
                    <time className="muted" dateTime={version.published_at}>
                      {formatTimestamp(version.published_at)}
                    </time>
                  ) : null}
                </p>
                {version.changelog ? <MessageBody text={version.changelog} /> : <p className="muted">No changelog.</p>}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <h2 id="reviews-title">Ratings and reviews</h2>
      {detail ? (
        <MyReviewForm
          key={mine?.id ?? "new"}
          agentId={agentId}
          existing={mine}
          onSaved={() => {
            reviews.reload();
            agent.reload();
          }}
        />
      ) : null}
      <ProblemMessage error={reviews.error} context="Could not load reviews" onRetry={reviews.reload} />
      {reviews.data && reviews.data.length === 0 ? <p className="muted">No reviews yet.</p> : null}
      <ul className="review-list" aria-labelledby="reviews-title">
        {(reviews.data ?? []).map((review) => (
          <li key={review.id} className="review">
            <p className="review-head">
              <span className="stars" aria-label={`${review.rating} out of 5 stars`}>
                {starString(review.rating)}
              </span>
              <span className="muted">{review.user_id === myId ? "You" : "A user"}</span>
              <time className="muted" dateTime={review.updated_at}>
                {formatTimestamp(review.updated_at)}
              </time>
            </p>
            {review.comment ? <p className="review-comment">{review.comment}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
