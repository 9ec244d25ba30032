/**
 * "Try it" on a submission: the reviewer chats with the submitted version in the builder's own
 * sandbox panel, on a sandbox chat of their own (`POST /reviews/versions/{id}/sandbox`). Closing
 * the panel — or leaving the page, or deciding on the version — cancels a run still going.
 */

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Submission } from "../../api/reviews";
import { useServices } from "../../app/context";
// The builder's sandbox, reused as it is: one panel for developers and reviewers.
import { SandboxPanel } from "../studio/builder/sandbox/SandboxPanel";
import { SandboxRuns } from "../studio/builder/sandbox/sandboxRuns";

/** Each opening (or "new sandbox chat") is a session of its own, with its own chat. */
let sessions = 0;
const nextSession = () => ++sessions;

export function SubmissionSandbox({ submission }: { submission: Submission }) {
  const { t } = useTranslation("inbox");
  const { client } = useServices();
  const [runs] = useState(() => new SandboxRuns(client));
  const [session, setSession] = useState<number | null>(null);
  useEffect(() => () => runs.close(), [runs]);
  const panelId = "submission-sandbox-panel";
  const close = () => {
    runs.close();
    setSession(null);
  };
  return (
    <section className="submission-sandbox" aria-labelledby="submission-sandbox-title">
      <h2 id="submission-sandbox-title">{t("submissions.sandbox.title")}</h2>
      <p className="muted">{t("submissions.sandbox.help", { version: submission.version })}</p>
      <p className="actions">
        <button
          type="button"
          className={`button${session === null ? " button--primary" : ""}`}
          aria-expanded={session !== null}
          aria-controls={session !== null ? panelId : undefined}
          // The panel gives the keyboard back here when it closes.
          data-sandbox-toggle
          onClick={() => (session === null ? setSession(nextSession()) : close())}
        >
          {t("submissions.sandbox.try")}
        </button>
      </p>
      {session !== null ? (
        <SandboxPanel
          id={panelId}
          className="sandbox--page"
          runs={runs}
          target={{ kind: "review", versionId: submission.id }}
          saved={{ id: submission.id, version: submission.version, status: submission.status }}
          session={session}
          onNewChat={() => {
            runs.close();
            setSession(nextSession());
          }}
          onClose={close}
        />
      ) : null}
    </section>
  );
}
