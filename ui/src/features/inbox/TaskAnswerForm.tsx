/**
 * Answer a task: a form built from its `required_input_schema` when the schema is simple,
 * else a JSON editor. Each answer is one attempt with its own Idempotency-Key; the key is
 * kept when resending after a lost response, so a retry cannot collide with itself.
 */

import { useMemo, useRef, useState, type FormEvent } from "react";
import { newUuid } from "../../api/ids";
import { ApiError, toApiError } from "../../api/problem";
import { completeTask, type ReviewTaskDetail } from "../../api/reviews";
import { useServices } from "../../app/context";
import { placeFieldErrors } from "./fieldErrors";
import {
  collectInput,
  formSpecFor,
  initialValues,
  jsonSkeleton,
  parseJsonObject,
  type FieldValue,
  type FormValues,
} from "./schemaForm";
import { ProblemMessage } from "../../components/ProblemMessage";
import { SchemaFields } from "./SchemaFields";

interface Props {
  task: ReviewTaskDetail;
  onCompleted: () => void;
  /** Someone else answered first (409): the page says so and reloads the task. */
  onConflict: () => void;
}

/** Problems after which the same attempt may be sent again (the answer may not have arrived). */
const sameAttempt = (error: ApiError) => error.status === 0 || error.status >= 500;

export function TaskAnswerForm({ task, onCompleted, onConflict }: Props) {
  const { client } = useServices();
  const schema = task.required_input_schema;
  const spec = useMemo(() => formSpecFor(schema), [schema]);
  const [mode, setMode] = useState<"form" | "json">(spec ? "form" : "json");
  const [values, setValues] = useState<FormValues>(() => (spec ? initialValues(spec, schema) : {}));
  const [json, setJson] = useState(() => jsonSkeleton(schema));
  const [note, setNote] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const attemptKey = useRef<string | null>(null);

  const fieldNames = spec?.fields.map((f) => f.name) ?? [];
  const placed = placeFieldErrors(problem?.status === 422 ? problem.errors : [], mode === "form" ? fieldNames : []);

  /** A changed answer is a new attempt. */
  const edited = () => {
    attemptKey.current = null;
  };

  const setValue = (name: string, value: FieldValue) => {
    edited();
    setValues((v) => ({ ...v, [name]: value }));
    setClientErrors(({ [name]: _cleared, ...rest }) => rest);
  };

  const switchMode = (next: "form" | "json") => {
    edited();
    if (next === "json" && spec) {
      // Carry what was typed into the editor.
      setJson(JSON.stringify(collectInput(spec, values).input, null, 2));
    }
    setProblem(null);
    setJsonError(null);
    setMode(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    let input: Record<string, unknown>;
    if (mode === "form" && spec) {
      const collected = collectInput(spec, values);
      setClientErrors(collected.errors);
      if (Object.keys(collected.errors).length > 0) return;
      input = collected.input;
    } else {
      const parsed = parseJsonObject(json);
      if (!parsed.ok) {
        setJsonError(parsed.error);
        return;
      }
      setJsonError(null);
      input = parsed.value;
    }
    attemptKey.current ??= newUuid();
    setPending(true);
    setProblem(null);
    try {
      const body = note.trim() ? { input, completion_note: note.trim() } : { input };
      await completeTask(client, task.task_id, body, attemptKey.current);
      onCompleted();
    } catch (caught) {
      const error = toApiError(caught);
      if (!sameAttempt(error)) attemptKey.current = null;
      if (error.status === 409) {
        onConflict();
      } else {
        setProblem(error);
      }
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="answer-form" onSubmit={submit} noValidate aria-labelledby="answer-title">
      <div className="page-head">
        <h2 id="answer-title">Your answer</h2>
        {spec ? (
          <button
            type="button"
            className="button button--small button--ghost"
            onClick={() => switchMode(mode === "form" ? "json" : "form")}
          >
            {mode === "form" ? "Edit as JSON" : "Use the form"}
          </button>
        ) : null}
      </div>
      {mode === "form" && spec ? (
        <SchemaFields
          spec={spec}
          values={values}
          errors={{ ...clientErrors, ...joinMessages(placed.byField) }}
          onChange={setValue}
        />
      ) : (
        <label className="field">
          <span className="field-label">Input (JSON)</span>
          <span className="muted field-hint">Must match the schema below.</span>
          <textarea
            className="json-editor"
            rows={10}
            spellCheck={false}
            value={json}
            aria-invalid={jsonError !== null}
            aria-describedby={jsonError ? "json-error" : undefined}
            onChange={(e) => {
              edited();
              setJson(e.target.value);
            }}
          />
          {jsonError ? (
            <span id="json-error" className="field-error">
              {jsonError}
            </span>
          ) : null}
        </label>
      )}
      {mode === "json" || !spec ? (
        <details className="schema-details">
          <summary>Required input schema</summary>
          <pre className="code-block" tabIndex={0}>
            <code>{JSON.stringify(schema, null, 2)}</code>
          </pre>
        </details>
      ) : null}
      <label className="field">
        <span className="field-label">Note (optional)</span>
        <textarea
          rows={2}
          maxLength={10_000}
          value={note}
          onChange={(e) => {
            edited();
            setNote(e.target.value);
          }}
        />
      </label>
      {problem ? (
        <ProblemMessage
          error={
            problem.status === 422
              ? new ApiError({ status: 422, title: problem.title, detail: problem.detail, errors: placed.other })
              : problem
          }
          context={problem.status === 422 ? "The answer does not fit the task" : "Could not send the answer"}
        />
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? "Sending…" : problem && sameAttempt(problem) ? "Send again" : "Send answer"}
        </button>
      </div>
    </form>
  );
}

function joinMessages(byField: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(byField).map(([field, messages]) => [field, messages.join(" ")]));
}
