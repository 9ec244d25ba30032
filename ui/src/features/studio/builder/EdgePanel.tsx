/**
 * The selected edge: its kind (normal, conditional, fan-out) and what that kind needs. A
 * conditional edge has a condition, a table of outcome → target and a default target; a fan-out
 * runs a fixed set of targets, or one run of a target per item of a list in the state.
 * Every field shows the problems the last check found at its place.
 */

import { useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import {
  END,
  edgeTargets,
  type BuilderProblem,
  type ConditionalEdge,
  type Edge,
  type FanoutEdge,
  type WorkflowDefinition,
} from "./definition";
import { outcomeFor, renameOutcome, setEdgeKind, setFanoutMode, type EdgeKind } from "./edits";
import { ExpressionHelp } from "./ExpressionHelp";
import { FieldProblems } from "./FieldProblems";
import { problemsUnder, toPointer } from "./problems";

interface Props {
  definition: WorkflowDefinition;
  index: number;
  problems: BuilderProblem[];
  readOnly: boolean;
  /** A changed edge; `group` merges a burst of typing in one field into one undo step. */
  onChange: (edge: Edge, group?: string) => void;
  onDelete: () => void;
}

const KINDS: EdgeKind[] = ["normal", "conditional", "fanout"];

export function EdgePanel({ definition, index, problems, readOnly, onChange, onDelete }: Props) {
  const { t } = useTranslation("builder");
  const edge = definition.edges[index];
  const id = useId();
  if (!edge) return null;
  const targets = [...definition.nodes.map((n) => n.name), END];
  const nameOf = (name: string) => (name === END ? t("canvas.end") : name);
  const shown = new Set<string>([
    "/condition",
    "/mapping",
    "/default",
    "/targets",
    "/target",
    "/over",
    "/item_key",
    "/include",
  ]);
  const general = problems.filter((p) => ![...shown].some((path) => p.path === path || p.path.startsWith(`${path}/`)));
  return (
    <section className="builder-edge-panel" aria-labelledby={`${id}-title`} data-edge-index={index}>
      <h2 id={`${id}-title`} className="builder-panel-title">
        {t("edgePanel.title", { source: edge.source === "__start__" ? t("canvas.start") : edge.source })}
      </h2>
      <FieldProblems problems={general} />
      <fieldset className="builder-fieldset" disabled={readOnly}>
        <legend>{t("edgePanel.kind")}</legend>
        {KINDS.map((kind) => (
          <label key={kind} className="builder-radio">
            <input
              type="radio"
              name={`${id}-kind`}
              value={kind}
              checked={edge.type === kind}
              onChange={() => onChange(setEdgeKind(edge, kind))}
            />
            <span>
              <strong>{t(`edgePanel.kinds.${kind}`)}</strong>
              <span className="muted builder-radio-hint">{t(`edgePanel.kindHints.${kind}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {edge.type === "normal" ? (
        <TargetSelect
          label={t("edgePanel.target")}
          value={edge.target}
          options={targets}
          nameOf={nameOf}
          disabled={readOnly}
          problems={problemsUnder(problems, "/target")}
          onChange={(target) => onChange({ ...edge, target })}
        />
      ) : null}
      {edge.type === "conditional" ? (
        <ConditionalFields
          edge={edge}
          index={index}
          targets={targets}
          nameOf={nameOf}
          problems={problems}
          readOnly={readOnly}
          onChange={onChange}
        />
      ) : null}
      {edge.type === "fanout" ? (
        <FanoutFields
          edge={edge}
          index={index}
          targets={targets}
          stateKeys={Object.keys(definition.state)}
          nameOf={nameOf}
          problems={problems}
          readOnly={readOnly}
          onChange={onChange}
        />
      ) : null}
      {readOnly ? null : (
        <button type="button" className="button button--small button--danger-outline" onClick={onDelete}>
          {t("edgePanel.delete")}
        </button>
      )}
    </section>
  );
}

interface SelectProps {
  label: string;
  value: string;
  options: string[];
  nameOf: (name: string) => string;
  disabled: boolean;
  problems: BuilderProblem[];
  onChange: (value: string) => void;
  /** The label of an empty choice, when there may be none. */
  none?: string;
}

function TargetSelect({ label, value, options, nameOf, disabled, problems, onChange, none }: SelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-invalid={problems.length ? true : undefined}
        aria-describedby={problems.length ? `${id}-problems` : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        {none !== undefined ? <option value="">{none}</option> : null}
        {options.includes(value) || !value ? null : <option value={value}>{value}</option>}
        {options.map((name) => (
          <option key={name} value={name}>
            {nameOf(name)}
          </option>
        ))}
      </select>
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

interface KindProps<E extends Edge> {
  edge: E;
  index: number;
  targets: string[];
  nameOf: (name: string) => string;
  problems: BuilderProblem[];
  readOnly: boolean;
  onChange: (edge: Edge, group?: string) => void;
}

function ConditionalFields({ edge, index, targets, nameOf, problems, readOnly, onChange }: KindProps<ConditionalEdge>) {
  const { t } = useTranslation("builder");
  const id = useId();
  const conditionProblems = problemsUnder(problems, "/condition");
  const outcomes = Object.keys(edge.mapping);
  const branches = edgeTargets(edge).length;
  const addOutcome = () => {
    const used = new Set(Object.values(edge.mapping));
    const target = targets.find((name) => !used.has(name) && name !== edge.source) ?? END;
    onChange({ ...edge, mapping: { ...edge.mapping, [outcomeFor(target, edge.mapping)]: target } });
  };
  const removeOutcome = (outcome: string) =>
    onChange({ ...edge, mapping: Object.fromEntries(Object.entries(edge.mapping).filter(([k]) => k !== outcome)) });
  return (
    <>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-condition`}>
          {t("edgePanel.condition")}
        </label>
        <textarea
          id={`${id}-condition`}
          className="builder-code-input"
          rows={2}
          spellCheck={false}
          value={edge.condition}
          readOnly={readOnly}
          aria-invalid={conditionProblems.length ? true : undefined}
          aria-describedby={`${id}-condition-hint${conditionProblems.length ? ` ${id}-condition-problems` : ""}`}
          onChange={(e) => onChange({ ...edge, condition: e.target.value }, `edge:${index}:condition`)}
        />
        <span id={`${id}-condition-hint`} className="field-hint muted">
          {t("edgePanel.conditionHint")}
        </span>
        <FieldProblems id={`${id}-condition-problems`} problems={conditionProblems} />
      </div>
      <ExpressionHelp use="condition" />
      <table className="builder-outcomes">
        <caption>{t("edgePanel.outcomes")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("edgePanel.outcome")}</th>
            <th scope="col">{t("edgePanel.target")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("edgePanel.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((outcome, row) => {
            const path = `/mapping${toPointer([outcome])}`;
            return (
              <tr key={`${row}-${outcome}`}>
                <td>
                  <OutcomeInput
                    value={outcome}
                    label={t("edgePanel.outcomeAria", { row: row + 1 })}
                    readOnly={readOnly}
                    onCommit={(next) => {
                      const renamed = renameOutcome(edge, outcome, next);
                      if (renamed) onChange(renamed);
                      return renamed !== null;
                    }}
                  />
                  <FieldProblems problems={problemsUnder(problems, path)} />
                </td>
                <td>
                  <select
                    aria-label={t("edgePanel.targetAria", { outcome })}
                    value={edge.mapping[outcome]}
                    disabled={readOnly}
                    onChange={(e) => onChange({ ...edge, mapping: { ...edge.mapping, [outcome]: e.target.value } })}
                  >
                    {targets.includes(edge.mapping[outcome]!) ? null : (
                      <option value={edge.mapping[outcome]}>{edge.mapping[outcome]}</option>
                    )}
                    {targets.map((name) => (
                      <option key={name} value={name}>
                        {nameOf(name)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {readOnly ? null : (
                    <button
                      type="button"
                      className="button button--small button--ghost"
                      aria-label={t("edgePanel.removeOutcome", { outcome })}
                      // The last branch stays: an edge that leads nowhere could not be drawn or picked.
                      disabled={branches <= 1 && !edge.default}
                      onClick={() => removeOutcome(outcome)}
                    >
                      ×
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FieldProblems problems={problems.filter((p) => p.path === "/mapping")} />
      {readOnly ? null : (
        <button type="button" className="button button--small" onClick={addOutcome}>
          {t("edgePanel.addOutcome")}
        </button>
      )}
      <TargetSelect
        label={t("edgePanel.default")}
        value={edge.default ?? ""}
        options={targets}
        nameOf={nameOf}
        disabled={readOnly || (outcomes.length === 0 && Boolean(edge.default))}
        none={t("edgePanel.noDefault")}
        problems={problemsUnder(problems, "/default")}
        onChange={(value) => onChange({ ...edge, default: value || null })}
      />
    </>
  );
}

/**
 * An outcome's name, changed when the field is left or Enter is pressed (not per keystroke:
 * renaming a key letter by letter would collide with other outcomes on the way).
 */
function OutcomeInput({
  value,
  label,
  readOnly,
  onCommit,
}: {
  value: string;
  label: string;
  readOnly: boolean;
  onCommit: (next: string) => boolean;
}) {
  const { t } = useTranslation("builder");
  const [draft, setDraft] = useState<string | null>(null);
  const [refused, setRefused] = useState(false);
  const id = useId();
  const commit = () => {
    if (draft === null) return;
    const next = draft.trim();
    if (next === value) {
      setDraft(null);
      setRefused(false);
      return;
    }
    const ok = onCommit(next);
    setRefused(!ok);
    if (ok) setDraft(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      commit();
    } else if (event.key === "Escape") {
      setDraft(null);
      setRefused(false);
    }
  };
  return (
    <>
      <input
        type="text"
        className="builder-code-input"
        aria-label={label}
        value={draft ?? value}
        readOnly={readOnly}
        spellCheck={false}
        aria-invalid={refused ? true : undefined}
        aria-describedby={refused ? `${id}-refused` : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      {refused ? (
        <span id={`${id}-refused`} className="field-error">
          {t("edgePanel.outcomeTaken")}
        </span>
      ) : null}
    </>
  );
}

function FanoutFields({
  edge,
  index,
  targets,
  stateKeys,
  nameOf,
  problems,
  readOnly,
  onChange,
}: KindProps<FanoutEdge> & { stateKeys: string[] }) {
  const { t } = useTranslation("builder");
  const id = useId();
  const dynamic = edge.targets == null;
  const chosen = new Set(edge.targets ?? []);
  const toggle = (name: string, on: boolean) => {
    const next = targets.filter((n) => (n === name ? on : chosen.has(n)));
    if (next.length > 0) onChange({ ...edge, targets: next });
  };
  const overProblems = problemsUnder(problems, "/over");
  const include = new Set(edge.include ?? []);
  return (
    <>
      <fieldset className="builder-fieldset" disabled={readOnly}>
        <legend>{t("edgePanel.fanoutMode")}</legend>
        <label className="builder-radio">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={!dynamic}
            onChange={() => onChange(setFanoutMode(edge, false))}
          />
          <span>
            <strong>{t("edgePanel.static")}</strong>
            <span className="muted builder-radio-hint">{t("edgePanel.staticHint")}</span>
          </span>
        </label>
        <label className="builder-radio">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={dynamic}
            onChange={() => onChange(setFanoutMode(edge, true))}
          />
          <span>
            <strong>{t("edgePanel.dynamic")}</strong>
            <span className="muted builder-radio-hint">{t("edgePanel.dynamicHint")}</span>
          </span>
        </label>
      </fieldset>
      {dynamic ? (
        <>
          <TargetSelect
            label={t("edgePanel.eachTarget")}
            value={edge.target ?? ""}
            options={targets}
            nameOf={nameOf}
            disabled={readOnly}
            problems={problemsUnder(problems, "/target")}
            onChange={(target) => onChange({ ...edge, target })}
          />
          <div className="field">
            <label className="field-label" htmlFor={`${id}-over`}>
              {t("edgePanel.over")}
            </label>
            <input
              id={`${id}-over`}
              type="text"
              className="builder-code-input"
              spellCheck={false}
              value={edge.over ?? ""}
              readOnly={readOnly}
              aria-invalid={overProblems.length ? true : undefined}
              aria-describedby={`${id}-over-hint`}
              onChange={(e) => onChange({ ...edge, over: e.target.value }, `edge:${index}:over`)}
            />
            <span id={`${id}-over-hint`} className="field-hint muted">
              {t("edgePanel.overHint")}
            </span>
            <FieldProblems problems={overProblems} />
          </div>
          <ExpressionHelp use="list" />
          <div className="field">
            <label className="field-label" htmlFor={`${id}-item`}>
              {t("edgePanel.itemKey")}
            </label>
            <input
              id={`${id}-item`}
              type="text"
              className="builder-code-input"
              spellCheck={false}
              value={edge.item_key ?? "item"}
              readOnly={readOnly}
              aria-describedby={`${id}-item-hint`}
              onChange={(e) => onChange({ ...edge, item_key: e.target.value }, `edge:${index}:item_key`)}
            />
            <span id={`${id}-item-hint`} className="field-hint muted">
              {t("edgePanel.itemKeyHint")}
            </span>
            <FieldProblems problems={problemsUnder(problems, "/item_key")} />
          </div>
          <fieldset className="builder-fieldset" disabled={readOnly}>
            <legend>{t("edgePanel.include")}</legend>
            <p className="muted builder-hint">{t("edgePanel.includeHint")}</p>
            {stateKeys.length === 0 ? <p className="muted">{t("edgePanel.noStateKeys")}</p> : null}
            {stateKeys.map((key) => (
              <label key={key} className="builder-check">
                <input
                  type="checkbox"
                  checked={include.has(key)}
                  onChange={(e) =>
                    onChange({
                      ...edge,
                      include: e.target.checked ? [...include, key] : [...include].filter((k) => k !== key),
                    })
                  }
                />
                <code>{key}</code>
              </label>
            ))}
            <FieldProblems problems={problemsUnder(problems, "/include")} />
          </fieldset>
        </>
      ) : (
        <fieldset className="builder-fieldset" disabled={readOnly}>
          <legend>{t("edgePanel.targets")}</legend>
          {targets.map((name) => (
            <label key={name} className="builder-check">
              <input
                type="checkbox"
                checked={chosen.has(name)}
                // The last target stays: a fan-out needs at least one.
                disabled={chosen.has(name) && chosen.size === 1}
                onChange={(e) => toggle(name, e.target.checked)}
              />
              {nameOf(name)}
            </label>
          ))}
          <FieldProblems problems={problemsUnder(problems, "/targets")} />
        </fieldset>
      )}
    </>
  );
}
