/**
 * CodeMirror 6 with Python highlighting, for the `code` node's source. Loaded on demand (see
 * CodeWidget): the editor and its language support are a chunk of their own, not part of the app's
 * first load.
 */

import { python } from "@codemirror/lang-python";
import CodeMirror, { EditorView } from "@uiw/react-codemirror";
import { useMemo } from "react";
import { useResolvedTheme } from "../../../../../lib/theme";

export interface PythonEditorProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  /** The editor's name for screen readers (its content is not a form control a label can point at). */
  label: string;
  describedBy?: string;
}

export default function PythonEditor({ id, value, onChange, readOnly, label, describedBy }: PythonEditorProps) {
  const theme = useResolvedTheme(); // the app's theme, not only the device's
  const extensions = useMemo(
    () => [
      python(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({
        "aria-label": label,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      }),
    ],
    [label, describedBy],
  );
  return (
    <CodeMirror
      id={id}
      className="inspector-code-editor"
      value={value}
      onChange={(next) => onChange(next)}
      extensions={extensions}
      editable={!readOnly}
      readOnly={readOnly}
      theme={theme}
      minHeight="12rem"
      maxHeight="28rem"
      basicSetup={{ foldGutter: false, highlightActiveLine: !readOnly }}
    />
  );
}
