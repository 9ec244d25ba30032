/**
 * A `human` node's approval policy: off, or sequential stages — each with a name, its assignees
 * (roles, groups, people as tags), how many must agree, and an optional deadline with a reminder
 * and what happens then — plus which answer field means "agree" and what a rejection does.
 */

import { NumberField } from "./NumberField";
import type { ErrorSchema, FieldProps } from "@rjsf/utils";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { listGroups } from "../../../../../api/groups";
import { USER_ROLES } from "../../../../../api/users";
import { useServices } from "../../../../../app/context";
import {
  ASSIGNEE_KINDS,
  STAGE_DEADLINE_POLICIES,
  addStage,
  moveStage,
  newPolicy,
  newStageDeadline,
  patchPolicy,
  patchStage,
  readPolicy,
  removeStage,
  setAssignees,
  type ApprovalPolicy,
  type Assignees,
  type Stage,
  type StageDeadline,
} from "../approvalPolicy";
import { FieldErrors, FieldFrame, errorsUnder } from "./FieldFrame";
import { TagInput } from "./TagInput";
import "./approvalField.css";

/** An error tree's own messages (not its children's). */
const ownErrors = (errorSchema: ErrorSchema | undefined): string[] =>
  (errorSchema as { __errors?: string[] } | undefined)?.__errors ?? [];

/** The group names to suggest (anyone signed in may list groups; none when that fails). */
function useGroupNames(): string[] {
  const { client } = useServices();
  const groups = useQuery({
    queryKey: ["studio", "inspector", "groups"],
    queryFn: ({ signal }) => listGroups(client, { limit: 200 }, signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
  return (groups.data?.items ?? []).map((group) => group.name);
}

export function ApprovalField(props: FieldProps) {
  const { t } = useTranslation("approvals");
  const { fieldPathId, formData, onChange, disabled, readonly, errorSchema } = props;
  const id = fieldPathId.$id;
  const policy = readPolicy(formData);
  const locked = Boolean(disabled || readonly);
  const groupNames = useGroupNames();
  const set = (next: ApprovalPolicy | null) => onChange(next, fieldPathId.path);
  const stageErrors = (errorSchema as Record<string, ErrorSchema> | undefined)?.stages;
  // What is not about one stage shows below the policy; a stage's problems show in the stage.
  const policyErrors = [
    ...ownErrors(errorSchema),
    ...ownErrors(stageErrors),
    ...errorsUnder(errorSchema, "decision_key"),
    ...errorsUnder(errorSchema, "on_rejection"),
  ];
  return (
    <FieldFrame id={id} label={t("title")} description={t("builder.help")}>
      <label className="checkbox" htmlFor={`${id}-on`}>
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={policy !== null}
          disabled={locked}
          onChange={(event) => set(event.target.checked ? newPolicy() : null)}
        />
        {t("builder.on")}
      </label>
      {policy ? (
        <div className="inspector-rows approval-policy">
          <ol className="approval-stages">
            {policy.stages.map((stage, index) => (
              <li key={index}>
                <StageEditor
                  id={`${id}-stage-${index}`}
                  stage={stage}
                  index={index}
                  count={policy.stages.length}
                  locked={locked}
                  groupNames={groupNames}
                  errors={errorsUnder(stageErrors, String(index))}
                  onChange={(patch) => set(patchStage(policy, index, patch))}
                  onMove={(by) => set(moveStage(policy, index, by))}
                  onRemove={() => set(removeStage(policy, index))}
                />
              </li>
            ))}
          </ol>
          <div>
            <button
              type="button"
              className="button button--small"
              disabled={locked || policy.stages.length >= 10}
              onClick={() => set(addStage(policy))}
            >
              {t("builder.addStage")}
            </button>
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-decision`}>
              {t("builder.decisionKey")}
            </label>
            <span className="muted field-hint">{t("builder.decisionKeyHelp")}</span>
            <input
              id={`${id}-decision`}
              type="text"
              value={policy.decision_key ?? ""}
              placeholder="approved"
              disabled={locked}
              onChange={(event) => set(patchPolicy(policy, { decision_key: event.target.value || undefined }))}
            />
          </div>
          <fieldset className="schema-form-choice">
            <legend className="field-label">{t("builder.onRejection")}</legend>
            {(["branch", "fail"] as const).map((choice) => (
              <label key={choice} className="inspector-radio" htmlFor={`${id}-rejection-${choice}`}>
                <input
                  id={`${id}-rejection-${choice}`}
                  type="radio"
                  name={`${id}-rejection`}
                  checked={(policy.on_rejection ?? "branch") === choice}
                  disabled={locked}
                  onChange={() => set(patchPolicy(policy, { on_rejection: choice === "branch" ? undefined : choice }))}
                />
                <span>{choice === "branch" ? t("builder.onRejectionBranch") : t("builder.onRejectionFail")}</span>
              </label>
            ))}
          </fieldset>
          <FieldErrors id={`${id}-errors`} messages={policyErrors} />
        </div>
      ) : null}
    </FieldFrame>
  );
}

interface StageProps {
  id: string;
  stage: Stage;
  index: number;
  count: number;
  locked: boolean;
  groupNames: string[];
  errors: string[];
  onChange: (patch: Partial<Stage>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

function StageEditor({ id, stage, index, count, locked, groupNames, errors, onChange, onMove, onRemove }: StageProps) {
  const { t } = useTranslation("approvals");
  const number = index + 1;
  const deadline = stage.deadline ?? null;
  const patchDeadline = (patch: Partial<StageDeadline>) => {
    const next: Record<string, unknown> = { ...deadline, ...patch };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    onChange({ deadline: next as StageDeadline });
  };
  return (
    <fieldset className="approval-stage-editor">
      <legend className="field-label">{t("builder.stage", { number })}</legend>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-name`}>
          {t("builder.stageName")}
        </label>
        <input
          id={`${id}-name`}
          type="text"
          maxLength={100}
          value={stage.name ?? ""}
          placeholder={t("builder.stageNamePlaceholder")}
          disabled={locked}
          onChange={(event) => onChange({ name: event.target.value || undefined })}
        />
      </div>
      <AssigneeTags
        id={`${id}-assignees`}
        assignees={stage.assignees ?? {}}
        locked={locked}
        groupNames={groupNames}
        onChange={(assignees) => onChange({ assignees })}
      />
      <NumberField
        id={`${id}-quorum`}
        label={t("builder.quorum")}
        value={stage.quorum}
        min={1}
        max={100}
        step={1}
        placeholder="1"
        disabled={locked}
        onChange={(value) => onChange({ quorum: value })}
      />
      <label className="checkbox" htmlFor={`${id}-deadline`}>
        <input
          id={`${id}-deadline`}
          type="checkbox"
          checked={deadline !== null}
          disabled={locked}
          onChange={(event) => onChange({ deadline: event.target.checked ? newStageDeadline() : undefined })}
        />
        {t("builder.deadline")}
      </label>
      {deadline ? (
        <StageDeadlineEditor
          id={`${id}-dl`}
          deadline={deadline}
          locked={locked}
          groupNames={groupNames}
          onPatch={patchDeadline}
        />
      ) : null}
      <FieldErrors id={`${id}-errors`} messages={errors} />
      <div className="inspector-toolbar">
        <button
          type="button"
          className="button button--small button--ghost"
          disabled={locked || index === 0}
          aria-label={t("builder.moveUp", { number })}
          onClick={() => onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="button button--small button--ghost"
          disabled={locked || index === count - 1}
          aria-label={t("builder.moveDown", { number })}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="button button--small button--danger-outline"
          disabled={locked || count === 1}
          onClick={onRemove}
        >
          {t("builder.removeStage", { number })}
        </button>
      </div>
    </fieldset>
  );
}

function AssigneeTags({
  id,
  assignees,
  locked,
  groupNames,
  onChange,
  prefix = "",
}: {
  id: string;
  assignees: Assignees;
  locked: boolean;
  groupNames: string[];
  onChange: (assignees: Assignees) => void;
  /** "escalate" for the escalation's assignees (their labels say so). */
  prefix?: "" | "escalate";
}) {
  const { t } = useTranslation("approvals");
  const labels = {
    roles: prefix ? t("builder.escalateRoles") : t("builder.roles"),
    groups: prefix ? t("builder.escalateGroups") : t("builder.groups"),
    users: prefix ? t("builder.escalateUsers") : t("builder.users"),
  };
  const suggestions = { roles: USER_ROLES as readonly string[], groups: groupNames, users: undefined };
  return (
    <>
      {ASSIGNEE_KINDS.map((kind) => (
        <TagInput
          key={kind}
          id={`${id}-${kind}`}
          label={labels[kind]}
          values={assignees[kind] ?? []}
          suggestions={suggestions[kind]}
          disabled={locked}
          onChange={(values) => onChange(setAssignees(assignees, kind, values))}
        />
      ))}
    </>
  );
}

function StageDeadlineEditor({
  id,
  deadline,
  locked,
  groupNames,
  onPatch,
}: {
  id: string;
  deadline: StageDeadline;
  locked: boolean;
  groupNames: string[];
  onPatch: (patch: Partial<StageDeadline>) => void;
}) {
  const { t } = useTranslation("approvals");
  return (
    <div className="inspector-rows approval-stage-deadline">
      <NumberField
        id={`${id}-after`}
        label={t("builder.after")}
        value={deadline.after_seconds}
        min={1}
        disabled={locked}
        onChange={(value) => onPatch({ after_seconds: value })}
      />
      <NumberField
        id={`${id}-remind`}
        label={t("builder.remindBefore")}
        value={deadline.remind_before_seconds}
        min={1}
        disabled={locked}
        onChange={(value) => onPatch({ remind_before_seconds: value })}
      />
      <fieldset className="schema-form-choice">
        <legend className="field-label">{t("builder.policy")}</legend>
        {STAGE_DEADLINE_POLICIES.map((policy) => (
          <label key={policy} className="inspector-radio" htmlFor={`${id}-policy-${policy}`}>
            <input
              id={`${id}-policy-${policy}`}
              type="radio"
              name={`${id}-policy`}
              checked={deadline.policy === policy}
              disabled={locked}
              onChange={() => onPatch({ policy })}
            />
            <span>{t(`builder.policies.${policy}`)}</span>
          </label>
        ))}
      </fieldset>
      {deadline.policy === "escalate" ? (
        <>
          <AssigneeTags
            id={`${id}-escalate`}
            prefix="escalate"
            assignees={deadline.escalate_to ?? {}}
            locked={locked}
            groupNames={groupNames}
            onChange={(assignees) =>
              onPatch({ escalate_to: Object.keys(assignees).length > 0 ? assignees : undefined })
            }
          />
          <NumberField
            id={`${id}-priority`}
            label={t("builder.escalatePriority")}
            value={deadline.escalate_priority}
            min={1}
            max={10}
            step={1}
            disabled={locked}
            onChange={(value) => onPatch({ escalate_priority: value })}
          />
        </>
      ) : null}
    </div>
  );
}
