/**
 * The builder's commands: the palette, undo and redo, copy, paste and delete, auto-layout and
 * zoom to fit, import and export, the sandbox, the problems with their count, and "save version" —
 * kept unavailable while problems remain or the graph is being checked, and saying why.
 */

import { useId } from "react";
import { useTranslation } from "react-i18next";

export interface ToolbarState {
  readOnly: boolean;
  paletteOpen: boolean;
  problemsOpen: boolean;
  canUndo: boolean;
  canRedo: boolean;
  canCopy: boolean;
  canPaste: boolean;
  canDelete: boolean;
  problems: number;
  checking: boolean;
  /** The check itself failed (not the graph): saving is still possible, the server checks again. */
  checkFailed: boolean;
  problemsId: string;
  /** The sandbox panel is open (its toggle shows when `toggleSandbox` is given). */
  sandboxOpen?: boolean;
  sandboxId?: string;
}

export interface ToolbarActions {
  togglePalette: () => void;
  toggleProblems: () => void;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  remove: () => void;
  layout: () => void;
  fit: () => void;
  importFile: () => void;
  exportFile: () => void;
  save: () => void;
  toggleSandbox?: () => void;
}

/** Why saving is not possible now (a key of `toolbar.saveBlocked`), or null when it is. */
export function saveBlockedBy(state: Pick<ToolbarState, "readOnly" | "problems" | "checking">): string | null {
  if (state.readOnly) return "readOnly";
  if (state.problems > 0) return "problems";
  if (state.checking) return "checking";
  return null;
}

export function Toolbar({ state, actions }: { state: ToolbarState; actions: ToolbarActions }) {
  const { t } = useTranslation("builder");
  const id = useId();
  const blocked = saveBlockedBy(state);
  const status = state.checking
    ? t("toolbar.checking")
    : state.checkFailed
      ? t("toolbar.checkFailed")
      : state.problems === 0
        ? t("toolbar.valid")
        : null;
  return (
    <div className="builder-toolbar" role="toolbar" aria-label={t("toolbar.label")}>
      {state.readOnly ? null : (
        <button
          type="button"
          className="button button--small"
          aria-expanded={state.paletteOpen}
          aria-controls="builder-palette"
          onClick={actions.togglePalette}
        >
          {state.paletteOpen ? t("toolbar.hidePalette") : t("toolbar.showPalette")}
        </button>
      )}
      {state.readOnly ? null : (
        <span className="builder-toolbar-group">
          <button
            type="button"
            className="button button--small"
            disabled={!state.canUndo}
            onClick={actions.undo}
            title={t("toolbar.undoKeys")}
          >
            {t("toolbar.undo")}
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={!state.canRedo}
            onClick={actions.redo}
            title={t("toolbar.redoKeys")}
          >
            {t("toolbar.redo")}
          </button>
        </span>
      )}
      {state.readOnly ? null : (
        <span className="builder-toolbar-group">
          <button type="button" className="button button--small" disabled={!state.canCopy} onClick={actions.copy}>
            {t("toolbar.copy")}
          </button>
          <button type="button" className="button button--small" disabled={!state.canPaste} onClick={actions.paste}>
            {t("toolbar.paste")}
          </button>
          <button type="button" className="button button--small" disabled={!state.canDelete} onClick={actions.remove}>
            {t("toolbar.delete")}
          </button>
        </span>
      )}
      <span className="builder-toolbar-group">
        {state.readOnly ? null : (
          <button type="button" className="button button--small" onClick={actions.layout}>
            {t("toolbar.layout")}
          </button>
        )}
        <button type="button" className="button button--small" onClick={actions.fit}>
          {t("toolbar.fit")}
        </button>
      </span>
      <span className="builder-toolbar-group">
        {state.readOnly ? null : (
          <button type="button" className="button button--small" onClick={actions.importFile}>
            {t("toolbar.import")}
          </button>
        )}
        <button type="button" className="button button--small" onClick={actions.exportFile}>
          {t("toolbar.export")}
        </button>
      </span>
      {actions.toggleSandbox ? (
        <button
          type="button"
          className={`button button--small${state.sandboxOpen ? " builder-sandbox-toggle--open" : ""}`}
          aria-expanded={state.sandboxOpen ?? false}
          aria-controls={state.sandboxOpen ? state.sandboxId : undefined}
          data-sandbox-toggle=""
          onClick={actions.toggleSandbox}
        >
          {t("sandbox:toggle")}
        </button>
      ) : null}
      {state.readOnly ? null : (
        <>
          <button
            type="button"
            className={`button button--small${state.problems ? " builder-problems-button--some" : ""}`}
            aria-expanded={state.problemsOpen}
            aria-controls={state.problemsId}
            onClick={actions.toggleProblems}
          >
            {t("toolbar.problems", { count: state.problems })}
          </button>
          <span className="builder-toolbar-status muted" role="status">
            {status}
          </span>
          <span className="builder-toolbar-save">
            {blocked ? (
              <span id={`${id}-blocked`} className="builder-save-blocked muted">
                {t(`toolbar.saveBlocked.${blocked}`, { count: state.problems })}
              </span>
            ) : null}
            <button
              type="button"
              className="button button--small button--primary"
              aria-disabled={blocked ? true : undefined}
              aria-describedby={blocked ? `${id}-blocked` : undefined}
              title={blocked ? t(`toolbar.saveBlocked.${blocked}`, { count: state.problems }) : undefined}
              onClick={() => {
                if (!blocked) actions.save();
              }}
            >
              {t("toolbar.save")}
            </button>
          </span>
        </>
      )}
    </div>
  );
}
