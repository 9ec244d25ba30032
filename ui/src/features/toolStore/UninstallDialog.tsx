/**
 * Uninstall an entry: asks first; when published agent versions use its tools the server says
 * which (409) and the admin may uninstall anyway (forced).
 */

import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { uninstallMutation, type StoreEntry } from "./api";
import { localized, usageLines } from "./toolStoreView";

export function UninstallDialog({ entry, onClose }: { entry: StoreEntry; onClose: () => void }) {
  const { t, i18n } = useTranslation("toolStore");
  const { client } = useServices();
  const uninstall = useMutation(uninstallMutation(client));
  const name = localized(entry.name, i18n.language);
  const usage = usageLines(uninstall.error ? toApiError(uninstall.error) : null);
  const force = usage.length > 0;
  return (
    <ConfirmDialog
      open
      danger
      title={t("uninstall.title", { name })}
      confirmLabel={force ? t("uninstall.force") : t("uninstall.confirm")}
      pending={uninstall.isPending}
      error={force ? null : uninstall.error}
      onCancel={onClose}
      onConfirm={() => uninstall.mutate({ id: entry.id, force }, { onSuccess: onClose })}
    >
      <p>{t("uninstall.body")}</p>
      {force ? (
        <div role="alert">
          <p>{t("uninstall.inUse")}</p>
          <ul className="tool-store-usage">
            {usage.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </ConfirmDialog>
  );
}
