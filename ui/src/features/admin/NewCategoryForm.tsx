/** Add a category of the tenant's own: a name, where it goes (top level or under another), a description. */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { FoldedForm } from "../../components/FoldedForm";
import { FormFooter } from "../../components/FormFooter";
import { TextField } from "../../components/TextField";
import { createCategoryMutation, type Category } from "./categories";
import { ParentSelect } from "./ParentSelect";

const MAX_NAME = 100;

export function NewCategoryForm({ tree }: { tree: readonly Category[] }) {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const create = useMutation(createCategoryMutation(client));
  const [name, setName] = useState("");
  const [parent, setParent] = useState<string | null>(null);
  const [description, setDescription] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || create.isPending) return;
    const body = { name: name.trim(), parent_id: parent, description: description.trim() || null };
    create.mutate(body, {
      onSuccess: () => {
        setName("");
        setDescription("");
      },
    });
  };

  return (
    <FoldedForm title={t("categories.add.title")} onSubmit={submit}>
      <TextField
        label={t("categories.add.name")}
        required
        maxLength={MAX_NAME}
        autoComplete="off"
        value={name}
        onChange={setName}
        inline
      />
      <ParentSelect label={t("categories.add.parent")} tree={tree} value={parent} onChange={setParent} inline />
      <TextField
        label={t("categories.add.description")}
        optional
        maxLength={2000}
        value={description}
        onChange={setDescription}
        inline
      />
      <FormFooter
        mutation={create}
        errorContext={t("categories.add.error")}
        done={create.isSuccess ? t("categories.add.done", { name: create.variables.name }) : null}
        submitLabel={t("categories.add.submit")}
        pendingLabel={t("categories.add.pending")}
        disabled={!name.trim()}
      />
    </FoldedForm>
  );
}
