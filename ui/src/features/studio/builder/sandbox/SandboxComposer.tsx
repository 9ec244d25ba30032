/** The sandbox's message box: Enter sends, Shift+Enter is a newline, nothing sends mid-IME composition. */

import type { RefObject } from "react";
import { useTranslation } from "react-i18next";
import { MessageComposer } from "../../../../components/MessageComposer";

interface Props {
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  disabled: boolean;
  /** How the latest run stands (said politely to screen readers), or "" for the keys hint. */
  status: string;
  onSend: (text: string) => void;
}

export function SandboxComposer({ inputRef, disabled, status, onSend }: Props) {
  const { t } = useTranslation("sandbox");
  const texts = {
    label: t("composer.label"),
    placeholder: t("composer.placeholder"),
    hint: t("composer.hint"),
    send: t("composer.send"),
  };
  return (
    <MessageComposer
      texts={texts}
      inputRef={inputRef}
      disabled={disabled}
      status={status}
      onSend={onSend}
      className="sandbox-composer"
      buttonClassName="button--small"
    />
  );
}
