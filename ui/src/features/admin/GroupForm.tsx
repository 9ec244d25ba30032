/**
 * A group's name, description and members: the form that creates a group, and the same form to
 * change one (PUT replaces all three). Members are picked from the tenant's users.
 */

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { UserGroup } from "../../api/groups";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { UserPicker, personLabel, type PickedUser } from "../../components/UserPicker";
import { saveGroupMutation } from "./groupQueries";

interface Props {
  /** The group to change; a new group without it. */
  group?: UserGroup;
  onDone: () => void;
  onCancel?: () => void;
}

/** The group's members as chips. */
const initialMembers = (group: UserGroup | undefined): PickedUser[] =>
  (group?.members ?? []).map((member) => ({ id: member.id, label: personLabel(member) }));

export function GroupForm({ group, onDone, onCancel }: Props) {
  const { t } = useTranslation("groups");
  const { client } = useServices();
  const ids = useId();
  const save = useMutation(saveGroupMutation(client));
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [shown, setMembers] = useState<PickedUser[]>(() => initialMembers(group));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || save.isPending) return;
    const body = {
      name: name.trim(),
      description: description.trim() || null,
      member_ids: shown.map((member) => member.id),
    };
    save.mutate({ groupId: group?.id, body }, { onSuccess: onDone });
  };

  return (
    <form className="group-form" onSubmit={submit} aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{group ? t("form.editTitle", { name: group.name }) : t("form.newTitle")}</h3>
      <div className="field">
        <label className="field-label" htmlFor={`${ids}-name`}>
          {t("form.name")}
        </label>
        <input
          id={`${ids}-name`}
          type="text"
          required
          maxLength={100}
          value={name}
          placeholder={t("form.namePlaceholder")}
          aria-describedby={`${ids}-name-hint`}
          onChange={(event) => setName(event.target.value)}
        />
        <span id={`${ids}-name-hint`} className="muted field-hint">
          {t("form.nameHint")}
        </span>
      </div>
      <label className="field">
        <span className="field-label">{t("form.description")}</span>
        <textarea
          rows={2}
          maxLength={1000}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
      </label>
      <UserPicker
        label={t("form.members")}
        picked={shown}
        disabled={save.isPending}
        onPick={(user) => setMembers([...shown, user])}
        onRemove={(id) => setMembers(shown.filter((member) => member.id !== id))}
      />
      <ProblemMessage error={save.error} context={t("form.saveFailed")} />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={!name.trim() || save.isPending}>
          {save.isPending ? t("form.saving") : group ? t("form.save") : t("form.create")}
        </button>
        {onCancel ? (
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t("form.cancel")}
          </button>
        ) : null}
      </div>
    </form>
  );
}
