/** The chat's title bar: title (renamable), agent and version, upgrade, actions, graph toggle. */

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { useChatStore, useServices } from "../../app/context";
import { useGo } from "../../lib/paths";
import { agentNameFor, upgradeTarget, type ChatEntry } from "./chatState";
import { ChatActions } from "./ChatActions";
import { PayerSelector } from "./PayerSelector";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TitleEditor } from "../../components/TitleEditor";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { chatChangeMutation, chatRemovalMutation } from "./queries";

interface Props {
  entry: ChatEntry;
  titleId: string;
  graphId: string;
  graphOpen: boolean;
  onToggleGraph: () => void;
}

export function ChatHeader({ entry, titleId, graphId, graphOpen, onToggleGraph }: Props) {
  const { t } = useTranslation("chat");
  const { chats, client } = useServices();
  const go = useGo();
  const agents = useChatStore((s) => s.agents.data);
  const key = entry.key;
  const change = useMutation(chatChangeMutation(client, chats, key, entry.chatId));
  const removal = useConfirmedMutation(useMutation(chatRemovalMutation(chats, key)), () =>
    go({ name: "home" }, { replace: true }),
  );
  const [renaming, setRenaming] = useState(false);
  const chat = entry.chat;
  const agentName = agentNameFor(agents, entry.agentId, entry.agentName, chat) ?? t("agentFallback");
  const title = chat?.title ?? entry.run?.userText ?? t("newChat");
  const archived = chat?.status === "archived";
  const target = upgradeTarget(chat, agents);
  const running = Boolean(entry.run?.active);
  const pending = change.isPending;

  return (
    <>
      <header className="chat-header">
        <div className="chat-heading">
          {renaming ? (
            <TitleEditor
              initial={title}
              label={t("header.titleLabel")}
              pending={pending}
              onSave={(next) =>
                change.mutate({ kind: "rename", title: next.trim() }, { onSuccess: () => setRenaming(false) })
              }
              onCancel={() => setRenaming(false)}
            />
          ) : (
            <h1 id={titleId} className="chat-title" title={title}>
              {title}
            </h1>
          )}
          <p className="chat-agent muted">
            <span className="chat-agent-name">{t("header.withAgent", { agent: agentName })}</span>
            {chat?.agent_version ? (
              <span className="badge badge--muted">{t("header.version", { version: chat.agent_version })}</span>
            ) : null}
            {archived ? <span className="badge">{t("header.archived")}</span> : null}
            {chat?.is_sandbox ? <span className="badge">{t("header.sandbox")}</span> : null}
          </p>
        </div>
        <div className="chat-header-actions">
          <PayerSelector agentId={entry.agentId} />
          {target && entry.chatId ? (
            <button
              type="button"
              className="button button--small"
              disabled={pending || running}
              title={running ? t("header.upgradeWait") : t("header.upgradeHint")}
              onClick={() => change.mutate({ kind: "upgrade" })}
            >
              {t("header.upgrade", { version: target.version })}
            </button>
          ) : null}
          <ChatActions
            archived={archived}
            disabled={!entry.chatId || pending}
            onRename={() => setRenaming(true)}
            onArchive={(next) => change.mutate({ kind: "archive", archived: next })}
            onExport={(format) => change.mutate({ kind: "export", format })}
            onDelete={() => removal.ask()}
          />
          <button
            type="button"
            className="button button--small"
            aria-expanded={graphOpen}
            aria-controls={graphId}
            onClick={onToggleGraph}
          >
            {graphOpen ? t("header.hideGraph") : t("header.showGraph")}
          </button>
        </div>
      </header>
      {change.error ? (
        <div className="chat-notice">
          <ProblemMessage error={toApiError(change.error)} context={t("header.problem")} />
        </div>
      ) : null}
      <ConfirmDialog title={t("header.deleteTitle")} confirmLabel={t("header.deleteButton")} danger {...removal.dialog}>
        <p>
          {t("header.deleteText", { title })} {running ? t("header.deleteRunning") : ""}
        </p>
      </ConfirmDialog>
    </>
  );
}
