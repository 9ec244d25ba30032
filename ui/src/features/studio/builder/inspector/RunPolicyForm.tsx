/**
 * A node's retry policy and timeouts (`RetryPolicySpec`, `TimeoutSpec`), folded away as
 * "advanced". An empty field means the node type's default: `GET /node-types` gives each type's
 * defaults as the compiler resolves them, and each field shows its own as the placeholder ("none"
 * for a timeout the type does not set). A node that runs inside the workflow (no activity) has
 * neither, and says so.
 */

import { deepEquals, type RJSFSchema, type UiSchema } from "@rjsf/utils";
import type { TFunction } from "i18next";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { SchemaForm } from "../../../../components/SchemaForm";
import type { BuilderProblem, NodeSpec, NodeTypePublic, RetryPolicySpec, TimeoutSpec } from "../definition";
import { placeProblems } from "./configForm";
import { ProblemList } from "./ProblemList";

type Json = Record<string, unknown>;

const POLICY_PATH = /^\/(retry|timeouts)(\/|$)/;

const seconds = (maximum: number) => ({ type: "number", exclusiveMinimum: 0, maximum }) as const;

/** The IR's bounds (`node_types/ir.py`), so the form refuses what the server would. */
const POLICY_SCHEMA: RJSFSchema = {
  type: "object",
  properties: {
    retry: {
      type: "object",
      properties: {
        max_attempts: { type: "integer", minimum: 1, maximum: 100 },
        initial_interval_seconds: seconds(86_400),
        backoff_coefficient: { type: "number", minimum: 1, maximum: 100 },
        maximum_interval_seconds: seconds(86_400),
        non_retryable_error_types: { type: "array", items: { type: "string", minLength: 1 } },
      },
    },
    timeouts: {
      type: "object",
      properties: {
        start_to_close_seconds: seconds(7 * 86_400),
        schedule_to_close_seconds: seconds(30 * 86_400),
        heartbeat_seconds: seconds(86_400),
      },
    },
  },
};

const RETRY_FIELDS = [
  "max_attempts",
  "initial_interval_seconds",
  "backoff_coefficient",
  "maximum_interval_seconds",
  "non_retryable_error_types",
] as const;
const TIMEOUT_FIELDS = ["start_to_close_seconds", "schedule_to_close_seconds", "heartbeat_seconds"] as const;

/** A node type's resolved default for `part`, or null when the type has none to show (unknown type). */
function typeDefaults(nodeType: NodeTypePublic | undefined, part: "default_retry" | "default_timeouts"): Json | null {
  const value = nodeType?.[part];
  return value ? (value as Json) : null;
}

/**
 * The placeholder of one field: the type's default value, "none" where the type sets none (no
 * such timeout, no error types), or just "type default" when the defaults are not known.
 */
export function defaultHint(t: TFunction, defaults: Json | null, field: string): string {
  if (defaults === null || !(field in defaults)) return t("policy.noDefault");
  const value = defaults[field];
  if (value === null || (Array.isArray(value) && value.length === 0)) return t("policy.typeDefaultNone");
  return t("policy.typeDefault", { value: Array.isArray(value) ? value.join(", ") : String(value) });
}

function fieldUi(t: TFunction, group: "retry" | "timeouts", field: string, defaults: Json | null): UiSchema {
  return { "ui:title": t(`policy.${group}.${field}`), "ui:placeholder": defaultHint(t, defaults, field) };
}

/** The spec with unset fields left out, or null when nothing is set (all defaults). */
export function compactSpec<T extends object>(spec: T | undefined): T | null {
  const entries = Object.entries(spec ?? {}).filter(
    ([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0),
  );
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : null;
}

interface Props {
  node: NodeSpec;
  nodeType: NodeTypePublic | undefined;
  execution: string | undefined;
  problems: readonly BuilderProblem[];
  readOnly: boolean;
  onChange: (next: NodeSpec) => void;
}

export function RunPolicyForm({ node, nodeType, execution, problems, readOnly, onChange }: Props) {
  const { t } = useTranslation("nodeConfig");
  const { t: tForm } = useTranslation("schemaForm");
  const retryDefaults = typeDefaults(nodeType, "default_retry");
  const timeoutDefaults = typeDefaults(nodeType, "default_timeouts");
  const uiSchema: UiSchema = {
    retry: {
      "ui:title": t("policy.retry.title"),
      ...Object.fromEntries(RETRY_FIELDS.map((field) => [field, fieldUi(t, "retry", field, retryDefaults)])),
    },
    timeouts: {
      "ui:title": t("policy.timeouts.title"),
      ...Object.fromEntries(TIMEOUT_FIELDS.map((field) => [field, fieldUi(t, "timeouts", field, timeoutDefaults)])),
    },
  };
  const placed = useMemo(() => placeProblems(problems, "", POLICY_SCHEMA, tForm("errors.required")), [problems, tForm]);
  const policyProblems = problems.filter((problem) => POLICY_PATH.test(problem.path));
  return (
    // Unfolded when something in it needs the person's attention.
    <details className="inspector-advanced" open={policyProblems.length > 0 || undefined}>
      <summary>{t("policy.title")}</summary>
      {execution === "inline" ? (
        <p className="muted">{t("policy.inline")}</p>
      ) : (
        <>
          <p className="muted field-hint">{t("policy.help")}</p>
          <ProblemList
            label={t("problems.policy")}
            problems={placed.other.filter((problem) => POLICY_PATH.test(problem.path))}
          />
          <SchemaForm<Json>
            className="inspector-policy"
            idPrefix={`node-${node.name}-policy`}
            schema={POLICY_SCHEMA}
            uiSchema={uiSchema}
            formData={{ retry: node.retry ?? {}, timeouts: node.timeouts ?? {} }}
            extraErrors={placed.errorSchema}
            liveValidate
            noSubmit
            disabled={readOnly}
            onChange={(data) => {
              const retry = compactSpec(data.retry as RetryPolicySpec | undefined);
              const timeouts = compactSpec(data.timeouts as TimeoutSpec | undefined);
              // rjsf reports changes that change nothing (e.g. while it first renders).
              if (deepEquals(retry, node.retry ?? null) && deepEquals(timeouts, node.timeouts ?? null)) return;
              const { retry: _retry, timeouts: _timeouts, ...rest } = node;
              onChange({ ...rest, ...(retry ? { retry } : {}), ...(timeouts ? { timeouts } : {}) });
            }}
            onSubmit={() => undefined}
          />
        </>
      )}
    </details>
  );
}
