/** The chat's message box: Enter sends, Shift+Enter is a newline; sending waits for the current run. */

import { useTranslation } from "react-i18next";
import { MessageComposer } from "../../components/MessageComposer";

interface Props {
  disabled: boolean;
  statusText: string;
  onSend: (text: string) => void;
}

export function Composer({ disabled, statusText, onSend }: Props) {
  const { t } = useTranslation("chat");
  const texts = {
    label: t("composer.label"),
    placeholder: t("composer.placeholder"),
    hint: t("composer.hint"),
    send: t("composer.send"),
  };
  return <MessageComposer texts={texts} disabled={disabled} status={statusText} onSend={onSend} />;
}
