/**
 * Answer a task: a form generated from its `required_input_schema` (or, for the person who prefers
 * it, a JSON editor checked against the same schema). Both validate before sending; a 422's
 * errors show under the fields they name. Each answer is one attempt with its own Idempotency-Key;
 * the key is kept when resending after a lost response, so a retry cannot collide with itself.
 */

import type { RJSFSchema } from "@rjsf/utils";
import { useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { newUuid } from "../../api/ids";
import { ApiError, toApiError } from "../../api/problem";
import type { PolicyCompletion } from "../../api/approvals";
import type { CompletionResult, ReviewTaskDetail } from "../../api/reviews";
import { ProblemMessage } from "../../components/ProblemMessage";
import {
  SchemaForm,
  schemaFormDefaults,
  validateAgainstSchema,
  type SchemaFormData,
} from "../../components/SchemaForm";
import { placeServerErrors } from "../../components/schemaFormErrors";
import { answerUiSchema, asksNothing, parseJsonObject } from "./answerForm";
import { asProblem, useCompleteTask } from "./queries";

interface Props {
  task: ReviewTaskDetail;
  /** The answer was accepted; for a policy task the result says whether it settled the stage. */
  onCompleted: (result: CompletionResult & PolicyCompletion) => void;
  /** The task was no longer open (409): someone else answered first, or it was closed. */
  onConflict: () => void;
}

/** Where a 422 points into the request for the answer itself. */
const INPUT_PATHS = ["/body/input", "/input"];

/** Problems after which the same attempt may be sent again (the answer may not have arrived). */
const sameAttempt = (error: ApiError) => error.status === 0 || error.status >= 500;

export function TaskAnswerForm({ task, onCompleted, onConflict }: Props) {
  const { t } = useTranslation("inbox");
  const ids = useId();
  const schema = task.required_input_schema as RJSFSchema;
  const uiSchema = useMemo(() => answerUiSchema(schema), [schema]);
  const [formData, setFormData] = useState<SchemaFormData>(() =>
    schemaFormDefaults(schema, {}, { requireBooleanChoice: true }),
  );
  const [mode, setMode] = useState<"form" | "json">("form");
  const [json, setJson] = useState("");
  const [jsonProblems, setJsonProblems] = useState<string[]>([]);
  const [note, setNote] = useState("");
  const attemptKey = useRef<string | null>(null);
  const complete = useCompleteTask(task.task_id);
  const failure = asProblem(complete.error);
  // A 409 is the page's to explain (the task is no longer open); anything else is shown here.
  const problem = failure && failure.status !== 409 ? failure : null;

  const placed = useMemo(
    () =>
      placeServerErrors(problem?.status === 422 ? problem.errors : [], {
        prefixes: mode === "form" ? INPUT_PATHS : [],
        schema,
        requiredMessage: t("schemaForm:errors.required"),
      }),
    [problem, mode, schema, t],
  );

  /** A changed answer is a new attempt, and the server's verdict on the old one no longer applies. */
  const edited = () => {
    attemptKey.current = null;
    if (complete.error) complete.reset();
  };

  const send = (input: Record<string, unknown>) => {
    if (complete.isPending) return;
    attemptKey.current ??= newUuid();
    complete.mutate(
      { input, note, attemptKey: attemptKey.current },
      {
        onSuccess: onCompleted,
        onError: (caught) => {
          const error = toApiError(caught);
          if (!sameAttempt(error)) attemptKey.current = null;
          if (error.status === 409) onConflict();
        },
      },
    );
  };

  const readJson = (): Record<string, unknown> | null => {
    const parsed = parseJsonObject(json);
    if (!parsed.ok) {
      setJsonProblems([
        parsed.reason === "syntax" ? t("answer.jsonSyntax", { detail: parsed.detail }) : t("answer.jsonNotObject"),
      ]);
      return null;
    }
    setJsonProblems([]);
    return parsed.value;
  };

  const switchMode = () => {
    edited();
    if (mode === "form") {
      setJson(JSON.stringify(formData, null, 2));
      setJsonProblems([]);
      setMode("json");
      return;
    }
    const value = readJson();
    if (value === null) return;
    setFormData(value);
    setMode("form");
  };

  const submitJson = (event: FormEvent) => {
    event.preventDefault();
    const value = readJson();
    if (value === null) return;
    const errors = validateAgainstSchema(schema, value, t, uiSchema);
    setJsonProblems(errors.map((error) => error.stack));
    if (errors.length === 0) send(value);
  };

  const submitLabel = complete.isPending
    ? t("answer.sending")
    : problem && sameAttempt(problem)
      ? t("answer.sendAgain")
      : t("answer.send");

  const noteField = (
    <label className="field">
      <span className="field-label">{t("answer.note")}</span>
      <textarea
        rows={2}
        maxLength={10_000}
        value={note}
        onChange={(event) => {
          edited();
          setNote(event.target.value);
        }}
      />
    </label>
  );

  const problemMessage = problem ? (
    <ProblemMessage
      error={
        problem.status === 422
          ? new ApiError({ status: 422, title: problem.title, detail: problem.detail, errors: placed.other })
          : problem
      }
      context={problem.status === 422 ? t("answer.invalid") : t("answer.failed")}
    />
  ) : null;

  return (
    <section className="answer-form" aria-labelledby={`${ids}-title`}>
      <div className="page-head">
        <h2 id={`${ids}-title`}>{t("answer.title")}</h2>
        <button type="button" className="button button--small button--ghost" onClick={switchMode}>
          {mode === "form" ? t("answer.editJson") : t("answer.useForm")}
        </button>
      </div>
      {mode === "form" ? (
        <>
          {asksNothing(schema) ? <p className="muted">{t("answer.noInput")}</p> : null}
          <SchemaForm
            schema={schema}
            uiSchema={uiSchema}
            formData={formData}
            requireBooleanChoice
            idPrefix="answer"
            extraErrors={placed.errorSchema}
            disabled={complete.isPending}
            submitLabel={submitLabel}
            extraFields={
              <>
                {noteField}
                {problemMessage}
              </>
            }
            onChange={(data) => {
              edited();
              setFormData(data);
            }}
            onSubmit={send}
          />
        </>
      ) : (
        <form onSubmit={submitJson} noValidate>
          <label className="field">
            <span className="field-label">{t("answer.jsonLabel")}</span>
            <span className="muted field-hint">{t("answer.jsonHint")}</span>
            <textarea
              className="json-editor"
              rows={10}
              spellCheck={false}
              value={json}
              aria-invalid={jsonProblems.length > 0}
              aria-describedby={jsonProblems.length > 0 ? `${ids}-json-error` : undefined}
              onChange={(event) => {
                edited();
                setJson(event.target.value);
              }}
            />
            {jsonProblems.length > 0 ? (
              <span id={`${ids}-json-error`} className="field-error">
                {jsonProblems.map((message, index) => (
                  <span key={index} className="field-error-item">
                    {message}
                  </span>
                ))}
              </span>
            ) : null}
          </label>
          <details className="schema-details">
            <summary>{t("answer.schema")}</summary>
            <pre className="code-block" tabIndex={0}>
              <code>{JSON.stringify(schema, null, 2)}</code>
            </pre>
          </details>
          {noteField}
          {problemMessage}
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={complete.isPending}>
              {submitLabel}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
