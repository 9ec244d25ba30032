/** The chat's title bar: title (renamable), agent and version, upgrade, actions, graph toggle. */

import { useState } from "react";
import { exportChat, type ExportFormat } from "../../api/chats";
import { saveBlob } from "../../api/download";
import { useChatStore, useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { useGo } from "../../lib/paths";
import { agentNameFor, upgradeTarget, type ChatEntry } from "./chatState";
import { ChatActions } from "./ChatActions";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TitleEditor } from "../../components/TitleEditor";

interface Props {
  entry: ChatEntry;
  titleId: string;
  graphId: string;
  graphOpen: boolean;
  onToggleGraph: () => void;
}

export function ChatHeader({ entry, titleId, graphId, graphOpen, onToggleGraph }: Props) {
  const { chats, client } = useServices();
  const go = useGo();
  const agents = useChatStore((s) => s.agents.data);
  const action = useAction();
  const removal = useAction();
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const chat = entry.chat;
  const key = entry.key;
  const agentName = agentNameFor(agents, entry.agentId, entry.agentName, chat) ?? "Agent";
  const title = chat?.title ?? entry.run?.userText ?? "New chat";
  const archived = chat?.status === "archived";
  const target = upgradeTarget(chat, agents);
  const running = Boolean(entry.run?.active);

  const rename = (next: string) =>
    void action.run(() => chats.rename(key, next)).then((ok) => ok && setRenaming(false));
  const exportAs = (format: ExportFormat) =>
    void action.run(async () => {
      if (!entry.chatId) return;
      const file = await exportChat(client, entry.chatId, format);
      saveBlob(file.blob, file.filename);
    });

  return (
    <>
      <header className="chat-header">
        <div className="chat-heading">
          {renaming ? (
            <TitleEditor initial={title} pending={action.pending} onSave={rename} onCancel={() => setRenaming(false)} />
          ) : (
            <h1 id={titleId} className="chat-title">
              {title}
            </h1>
          )}
          <p className="chat-agent muted">
            with {agentName}
            {chat?.agent_version ? <span className="badge badge--muted">v{chat.agent_version}</span> : null}
            {archived ? <span className="badge">Archived</span> : null}
            {chat?.is_sandbox ? <span className="badge">Sandbox</span> : null}
          </p>
        </div>
        <div className="chat-header-actions">
          {target && entry.chatId ? (
            <button
              type="button"
              className="button button--small"
              disabled={action.pending || running}
              title={running ? "Wait for the run to finish" : "The next message uses the agent's current version"}
              onClick={() => void action.run(() => chats.upgrade(key))}
            >
              Use the latest version (v{target.version})
            </button>
          ) : null}
          <ChatActions
            archived={archived}
            disabled={!entry.chatId || action.pending}
            onRename={() => setRenaming(true)}
            onArchive={(next) => void action.run(() => chats.setArchived(key, next))}
            onExport={exportAs}
            onDelete={() => setConfirmDelete(true)}
          />
          <button
            type="button"
            className="button button--small"
            aria-expanded={graphOpen}
            aria-controls={graphId}
            onClick={onToggleGraph}
          >
            {graphOpen ? "Hide graph" : "Show graph"}
          </button>
        </div>
      </header>
      {action.error ? (
        <div className="chat-notice">
          <ProblemMessage error={action.error} context="That did not work" />
        </div>
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this chat?"
        confirmLabel="Delete"
        danger
        pending={removal.pending}
        error={removal.error}
        onCancel={() => {
          setConfirmDelete(false);
          removal.clearError();
        }}
        onConfirm={() =>
          void removal
            .run(() => chats.remove(key))
            .then((ok) => {
              if (!ok) return;
              setConfirmDelete(false);
              go({ name: "home" }, { replace: true });
            })
        }
      >
        <p>
          “{title}” disappears from your chats. {running ? "Its run is still going: stop it first." : ""}
        </p>
      </ConfirmDialog>
    </>
  );
}
