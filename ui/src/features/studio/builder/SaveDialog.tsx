/**
 * Saving the graph as a new version. For a new agent it asks for the agent's name and
 * description first; always for the version number (the next one is offered) and a changelog
 * for the reviewer. The version is created as a draft; the definition was checked already.
 */

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../../app/context";
import { ProblemMessage } from "../../../components/ProblemMessage";
import { TextField } from "../../../components/TextField";
import { invalidates } from "../../../lib/queryClient";
import { studioKeys, type Version } from "../api";
import { saveVersion } from "./api";
import type { WorkflowDefinition } from "./definition";

interface Props {
  open: boolean;
  /** null: a new agent, created on save. */
  agentId: string | null;
  suggestedVersion: string;
  definition: WorkflowDefinition;
  onClose: () => void;
  onSaved: (agentId: string, version: Version) => void;
}

export function SaveDialog({ open, agentId, suggestedVersion, definition, onClose, onSaved }: Props) {
  const { t } = useTranslation("builder");
  const { client } = useServices();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [name, setName] = useState(definition.name ?? "");
  const [description, setDescription] = useState(definition.description ?? "");
  const [version, setVersion] = useState(suggestedVersion);
  const [changelog, setChangelog] = useState("");
  const [nameMissing, setNameMissing] = useState(false);
  // An agent created by a save whose version was then refused: the next try adds the version to it.
  const [createdAgent, setCreatedAgent] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      saveVersion(
        client,
        { agentId: agentId ?? createdAgent, name, description, version, changelog, definition },
        setCreatedAgent,
      ),
    onSuccess: invalidates(studioKeys.agents),
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      // The graph's own name and description (graph settings) are the first guess for the agent's.
      setName((current) => current || definition.name || "");
      setDescription((current) => current || definition.description || "");
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, definition.name, definition.description]);
  useEffect(() => setVersion(suggestedVersion), [suggestedVersion]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (agentId === null && createdAgent === null && !name.trim()) {
      setNameMissing(true);
      return;
    }
    save.mutate(undefined, { onSuccess: (saved) => onSaved(saved.agent_id, saved) });
  };

  return (
    <dialog ref={ref} className="dialog builder-save-dialog" aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{agentId === null ? t("save.newTitle") : t("save.title")}</h2>
        <div className="dialog-body">
          {agentId === null && createdAgent === null ? (
            <>
              <p className="muted">{t("save.newIntro")}</p>
              <TextField
                label={t("save.name")}
                value={name}
                required
                maxLength={255}
                error={nameMissing ? t("save.nameRequired") : undefined}
                onChange={(value) => {
                  setName(value);
                  setNameMissing(false);
                }}
              />
              <TextField
                label={t("save.description")}
                value={description}
                optional
                maxLength={10000}
                onChange={setDescription}
              />
            </>
          ) : null}
          {createdAgent !== null && agentId === null ? <p className="muted">{t("save.agentKept")}</p> : null}
          <TextField
            label={t("save.version")}
            value={version}
            required
            maxLength={50}
            hint={t("save.versionHint")}
            onChange={setVersion}
          />
          <div className="field">
            <label className="field-label" htmlFor={`${titleId}-changelog`}>
              {t("save.changelog")}
            </label>
            <textarea
              id={`${titleId}-changelog`}
              rows={3}
              maxLength={10000}
              value={changelog}
              placeholder={t("save.changelogPlaceholder")}
              onChange={(e) => setChangelog(e.target.value)}
            />
          </div>
          <ProblemMessage error={save.error} context={t("save.error")} />
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t("common:actions.cancel")}
          </button>
          <button type="submit" className="button button--primary" disabled={save.isPending || !version.trim()}>
            {save.isPending ? t("save.saving") : t("save.submit")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
