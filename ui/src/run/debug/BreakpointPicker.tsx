/**
 * Breakpoints for the next message: the graph's nodes, each with "pause before" and "pause
 * after" checkboxes, folded away until opened. What is ticked goes with each message sent
 * until it is unticked.
 */

import { useTranslation } from "react-i18next";
import { breakpointCount, NO_BREAKPOINTS, toggleBreakpoint, type BreakpointSet } from "./breakpoints";
import "./debugger.css";

interface Props {
  /** The graph's node names, in the order the graph lists them. */
  nodes: readonly string[];
  value: BreakpointSet;
  onChange: (next: BreakpointSet) => void;
}

export function BreakpointPicker({ nodes, value, onChange }: Props) {
  const { t } = useTranslation("debugger");
  const count = breakpointCount(value);
  const sides = ["before", "after"] as const;
  return (
    <details className="breakpoint-picker" data-breakpoints={count}>
      <summary>{count ? t("picker.summaryCount", { count }) : t("picker.summary")}</summary>
      <p className="muted breakpoint-hint">{t("picker.hint")}</p>
      {nodes.length === 0 ? (
        <p className="muted">{t("picker.none")}</p>
      ) : (
        <table className="breakpoint-table">
          <thead>
            <tr>
              <th scope="col">{t("picker.node")}</th>
              {sides.map((side) => (
                <th key={side} scope="col">
                  {t(`picker.${side}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {nodes.map((node) => (
              <tr key={node}>
                <th scope="row">
                  <code>{node}</code>
                </th>
                {sides.map((side) => (
                  <td key={side}>
                    <input
                      type="checkbox"
                      aria-label={t(side === "before" ? "picker.pauseBefore" : "picker.pauseAfter", { node })}
                      checked={value[side].includes(node)}
                      onChange={(event) => onChange(toggleBreakpoint(value, side, node, event.target.checked))}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {count ? (
        <button type="button" className="button button--small button--ghost" onClick={() => onChange(NO_BREAKPOINTS)}>
          {t("picker.clear")}
        </button>
      ) : null}
    </details>
  );
}
