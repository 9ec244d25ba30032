/** Register an MCP server by its streamable HTTP URL, with an optional bearer credential (write-only). */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { FoldedForm } from "../../components/FoldedForm";
import { FormFooter } from "../../components/FormFooter";
import { TextField } from "../../components/TextField";
import { createServerMutation } from "./queries";
import { serverFormErrors, serverIdFromName } from "./toolView";

export function NewToolServerForm() {
  const { t } = useTranslation("tools");
  const { client } = useServices();
  const create = useMutation(createServerMutation(client));
  const [name, setName] = useState("");
  const [serverId, setServerId] = useState("");
  const [idEdited, setIdEdited] = useState(false);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [credential, setCredential] = useState("");
  const [discover, setDiscover] = useState(true);
  const [checked, setChecked] = useState(false);
  const id = idEdited ? serverId : serverIdFromName(name);
  const errors = serverFormErrors({ server_id: id, name, endpoint_url: url }, t);
  const shown = checked ? errors : {};
  const created = create.data;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(errors).length > 0 || create.isPending) return;
    const body = {
      server_id: id,
      name: name.trim(),
      endpoint_url: url.trim(),
      discover,
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(credential.trim() ? { credential: credential.trim() } : {}),
    };
    create.mutate(body, {
      onSuccess: () => {
        setChecked(false);
        setName("");
        setServerId("");
        setIdEdited(false);
        setUrl("");
        setDescription("");
        setCredential(""); // the credential is never kept once sent
      },
    });
  };

  return (
    <FoldedForm title={t("register.title")} onSubmit={submit} noValidate>
      <TextField
        label={t("register.name")}
        required
        maxLength={255}
        value={name}
        onChange={setName}
        error={shown.name}
        inline
      />
      <TextField
        label={t("register.serverId")}
        required
        maxLength={128}
        value={id}
        onChange={(value) => {
          setIdEdited(true);
          setServerId(value);
        }}
        hint={t("register.serverIdHint")}
        error={shown.server_id}
        inline
      />
      <TextField
        label={t("register.url")}
        type="url"
        required
        maxLength={1000}
        value={url}
        placeholder="https://mcp-host/mcp"
        onChange={setUrl}
        error={shown.endpoint_url}
        inline
      />
      <TextField
        label={t("register.description")}
        optional
        maxLength={4000}
        value={description}
        onChange={setDescription}
        inline
      />
      <TextField
        label={t("register.credential")}
        optional
        type="password"
        autoComplete="off"
        maxLength={4096}
        value={credential}
        onChange={setCredential}
        hint={t("register.credentialHint")}
        inline
      />
      <label className="checkbox">
        <input type="checkbox" checked={discover} onChange={(e) => setDiscover(e.target.checked)} />
        {t("register.discoverNow")}
      </label>
      <FormFooter
        mutation={create}
        errorContext={t("register.error")}
        done={
          created
            ? t("register.done", {
                name: created.name,
                count: created.tool_count,
                status: t(`status.${created.status}`, { defaultValue: created.status }),
              })
            : null
        }
        submitLabel={t("register.submit")}
        pendingLabel={t("register.pending")}
      />
    </FoldedForm>
  );
}
