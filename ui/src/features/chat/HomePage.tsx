/** The landing page when no chat is open. */

import { Link } from "react-router";
import { routeHref } from "../../lib/paths";

export function HomePage({ onNewChat }: { onNewChat: () => void }) {
  return (
    <section className="home" aria-labelledby="home-title">
      <h1 id="home-title">Chat with your agents</h1>
      <p className="muted">
        Pick a chat on the left, or start a new one. Several chats can run at once: a run keeps streaming while you look
        at another chat.
      </p>
      <p className="home-actions">
        <button type="button" className="button button--primary" onClick={onNewChat}>
          New chat
        </button>
        <Link className="button" to={routeHref({ name: "store" })}>
          Browse the store
        </Link>
      </p>
    </section>
  );
}
