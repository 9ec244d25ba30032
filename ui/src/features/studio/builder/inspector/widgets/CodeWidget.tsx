/**
 * The `code` node's Python source in a code editor. The editor is loaded when first shown; until
 * then (and if it cannot load) the source is in a plain text box, so it can always be read and
 * edited.
 */

import { ariaDescribedByIds, type WidgetProps } from "@rjsf/utils";
import { Component, lazy, Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

const PythonEditor = lazy(() => import("./PythonEditor"));

export function CodeWidget({ id, value, onChange, disabled, readonly, label }: WidgetProps) {
  const { t } = useTranslation("nodeConfig");
  const text = typeof value === "string" ? value : "";
  const locked = Boolean(disabled || readonly);
  // rjsf's empty text is undefined; the type's default code then comes back, which is what "empty" means.
  const change = (next: string) => onChange(next === "" ? undefined : next);
  const plain = (
    <textarea
      id={id}
      className="json-editor"
      rows={12}
      value={text}
      disabled={locked}
      spellCheck={false}
      aria-describedby={ariaDescribedByIds(id)}
      onChange={(event) => change(event.target.value)}
    />
  );
  return (
    <div className="inspector-code-field">
      <EditorFailed fallback={plain}>
        <Suspense fallback={plain}>
          <PythonEditor
            id={id}
            value={text}
            onChange={change}
            readOnly={locked}
            label={label || t("code.editor")}
            describedBy={ariaDescribedByIds(id)}
          />
        </Suspense>
      </EditorFailed>
    </div>
  );
}

/** If the editor's chunk fails to load (offline after an upgrade…), the plain text box stays. */
class EditorFailed extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
