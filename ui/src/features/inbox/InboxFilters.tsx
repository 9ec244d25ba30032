/** The inbox's filters: status, minimum priority, due within, only mine. */

import { useTranslation } from "react-i18next";
import type { TaskFilter, TaskStatus } from "../../api/reviews";

interface Props {
  filter: TaskFilter;
  onChange: (patch: Partial<TaskFilter>) => void;
}

const PRIORITIES = [3, 5];
const DUE_HOURS = [1, 4, 24, 72];

export function InboxFilters({ filter, onChange }: Props) {
  const { t } = useTranslation("inbox");
  const statuses: { value: "" | TaskStatus; label: string }[] = [
    { value: "", label: t("filters.statusOpen") },
    { value: "pending", label: t("filters.statusPending") },
    { value: "in_progress", label: t("filters.statusInProgress") },
    { value: "completed", label: t("filters.statusCompleted") },
    { value: "expired", label: t("filters.statusExpired") },
    { value: "cancelled", label: t("filters.statusCancelled") },
  ];
  const dueLabel = (hours: number) =>
    hours % 24 === 0 ? t("filters.withinDays", { count: hours / 24 }) : t("filters.withinHours", { count: hours });
  return (
    <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label={t("filters.label")}>
      <label className="field">
        <span className="field-label">{t("filters.status")}</span>
        <select
          value={filter.status ?? ""}
          onChange={(event) => onChange({ status: (event.target.value || undefined) as TaskStatus | undefined })}
        >
          {statuses.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t("filters.priority")}</span>
        <select
          value={filter.min_priority?.toString() ?? ""}
          onChange={(event) => onChange({ min_priority: event.target.value ? Number(event.target.value) : undefined })}
        >
          <option value="">{t("filters.anyPriority")}</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {t("filters.priorityAtLeast", { count: priority })}
            </option>
          ))}
          <option value="8">{t("filters.priorityUrgent")}</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t("filters.due")}</span>
        <select
          value={filter.due_within_hours?.toString() ?? ""}
          onChange={(event) =>
            onChange({ due_within_hours: event.target.value ? Number(event.target.value) : undefined })
          }
        >
          <option value="">{t("filters.anyTime")}</option>
          {DUE_HOURS.map((hours) => (
            <option key={hours} value={hours}>
              {dueLabel(hours)}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={Boolean(filter.mine)}
          onChange={(event) => onChange({ mine: event.target.checked })}
        />
        {t("filters.mine")}
      </label>
    </form>
  );
}
