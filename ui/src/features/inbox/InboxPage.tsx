/** The reviewer inbox: human-intervention tasks, most urgent first, with filters; refreshed while open. */

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TaskFilter } from "../../api/reviews";
import { useSession } from "../../app/context";
import { canReview } from "../../session/roles";
import { ProblemMessage } from "../../components/ProblemMessage";
import { InboxFilters } from "./InboxFilters";
import { ReviewTabs } from "./ReviewTabs";
import { asProblem, useTaskList } from "./queries";
import { TaskTable } from "./TaskTable";
import { compareTasks } from "./taskView";

/** The filter survives going to a task and back (for this page load). */
let lastFilter: TaskFilter = {};

export function InboxPage() {
  const { t } = useTranslation("inbox");
  const session = useSession();
  const myId = session.status === "ready" ? session.me.id : "";
  // Someone who is not a reviewer sees only the approvals that ask them (the API filters).
  const asked = session.status === "ready" && !canReview(session.me.role);
  const [filter, setFilter] = useState<TaskFilter>(lastFilter);
  const tasks = useTaskList(filter);

  useEffect(() => {
    lastFilter = filter;
  }, [filter]);

  // Only a refresh the person asked for says so; the periodic ones stay quiet.
  const [refreshing, setRefreshing] = useState(false);
  const refresh = () => {
    setRefreshing(true);
    void tasks.refetch().finally(() => setRefreshing(false));
  };

  const items = [...(tasks.data?.items ?? [])].sort(compareTasks);
  const loaded = tasks.data !== undefined;

  return (
    <section className="page inbox" aria-labelledby="inbox-title">
      <div className="page-head">
        <h1 id="inbox-title">{t("title")}</h1>
        <button type="button" className="button button--small" onClick={refresh} disabled={tasks.isFetching}>
          {refreshing ? t("refreshing") : t("refresh")}
        </button>
      </div>
      <ReviewTabs />
      <p className="muted">{asked ? t("approvals:inboxIntro") : t("intro")}</p>
      <InboxFilters filter={filter} onChange={(patch) => setFilter((current) => ({ ...current, ...patch }))} />
      <ProblemMessage error={asProblem(tasks.error)} context={t("loadFailed")} onRetry={refresh} />
      <p className="visually-hidden" role="status">
        {loaded ? t("count", { count: items.length }) : ""}
      </p>
      {loaded && items.length === 0 ? <p className="muted">{t("empty")}</p> : null}
      {items.length > 0 ? <TaskTable tasks={items} myId={myId} now={tasks.dataUpdatedAt || Date.now()} /> : null}
    </section>
  );
}
