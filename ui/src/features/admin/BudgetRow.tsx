/** One agent's or user's monthly token budget: what it used this month and its limit, editable. */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatNumber, useLocale } from "../../lib/format";
import { parseLimit, setBudgetMutation, type Budget } from "./budgetsApi";

export function BudgetRow({ budget }: { budget: Budget }) {
  const { t } = useTranslation("budgets");
  const locale = useLocale();
  const { client } = useServices();
  const save = useMutation(setBudgetMutation(client));
  const [text, setText] = useState(budget.limit === null ? "" : String(budget.limit));
  const limit = parseLimit(text);
  const count = (n: number) => formatNumber(n, locale);
  const inputId = `budget-${budget.scope}-${budget.subject_id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (limit !== undefined) save.mutate({ scope: budget.scope, subjectId: budget.subject_id, limit });
  };
  const used = budget.used + budget.reserved;
  const full = budget.limit !== null && budget.remaining === 0;
  return (
    <li className={`budget-row${full ? " budget-row--full" : ""}`}>
      <div className="budget-head">
        <strong className="budget-name">{budget.subject_name || budget.subject_id}</strong>
        <span className="budget-use">
          {budget.limit === null
            ? t("row.usedNoLimit", { used: count(used) })
            : t("row.usedOf", { used: count(used), limit: count(budget.limit) })}
        </span>
        {full ? <span className="badge badge--warn">{t("row.full")}</span> : null}
        {budget.waiting_runs > 0 ? (
          <span className="badge">{t("row.waiting", { count: budget.waiting_runs })}</span>
        ) : null}
      </div>
      <form className="budget-form" onSubmit={submit} aria-label={t("row.formLabel", { name: budget.subject_name })}>
        <label htmlFor={inputId}>{t("row.limit")}</label>
        <input
          id={inputId}
          inputMode="numeric"
          value={text}
          placeholder={t("row.noLimit")}
          aria-invalid={limit === undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button button--small" disabled={limit === undefined || save.isPending}>
          {save.isPending ? t("row.saving") : t("row.save")}
        </button>
      </form>
      {limit === undefined ? <p className="field-error">{t("row.invalid")}</p> : null}
      {save.data && save.data.woken_runs > 0 ? (
        <p className="muted" role="status">
          {t("row.woken", { count: save.data.woken_runs })}
        </p>
      ) : null}
      <ProblemMessage error={save.error} context={t("row.saveError")} />
    </li>
  );
}
