/** "Start chat" with an agent: opens a new, unsaved chat; the first message creates it. */

import { useTranslation } from "react-i18next";
import { useServices } from "../app/context";
import { useGo } from "../lib/paths";

interface Props {
  agent: { id: string; name: string; current_version: { id: string; version: string } | null };
  small?: boolean;
}

export function StartChatButton({ agent, small }: Props) {
  const { t } = useTranslation("chat");
  const { chats } = useServices();
  const go = useGo();
  return (
    <button
      type="button"
      className={`button button--primary${small ? " button--small" : ""}`}
      disabled={!agent.current_version}
      aria-label={small ? t("start.labelWithAgent", { agent: agent.name }) : undefined}
      onClick={() => go({ name: "draft", key: chats.createDraft(agent) })}
    >
      {t("start.button")}
    </button>
  );
}
