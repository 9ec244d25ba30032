/** The top of the tree: the login page or the signed-in shell. */

import { useSession } from "./context";
import { LoginPage } from "../features/auth/LoginPage";
import { Shell } from "./Shell";

export function App() {
  const session = useSession();
  if (session.status === "checking") {
    return (
      <div className="splash" role="status">
        Loading…
      </div>
    );
  }
  if (session.status === "anonymous") return <LoginPage notice={session.notice} />;
  return <Shell me={session.me} />;
}
