/** One chat: header, messages, the live run and its controls, the composer and the execution graph. */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useChatStore, useServices } from "../../app/context";
import { agentNameFor, controllableRun, retryableExecution, shownRun, type LiveRun } from "./chatState";
import { runOutcome } from "./runOutcome";
import { ChatHeader } from "./ChatHeader";
import { Composer } from "./Composer";
import { ExecutionGraph } from "../../run/ExecutionGraph";
import { MessageList } from "./MessageList";
import { ProblemMessage } from "../../components/ProblemMessage";
import { RetryBar } from "./RetryBar";
import { RunControls } from "./RunControls";
import { RunDebugger } from "../../run/debug/RunDebugger";

/** The line under the composer while a run goes on (its key in the `chat` catalog). */
function runStatusKey(run: LiveRun | null): string | null {
  if (!run?.active) return null;
  if (runOutcome(run) === "stopped") return "status.stopped";
  if (run.reconnecting) return "status.reconnecting";
  if (run.view.phase === "paused") return "status.paused";
  if (run.view.phase === "waiting") return "status.waiting";
  return "status.answering";
}

export function ChatView({ entryKey }: { entryKey: string }) {
  const { t } = useTranslation("chat");
  const { chats } = useServices();
  const entry = useChatStore((s) => s.entries[entryKey]);
  const agents = useChatStore((s) => s.agents.data);
  const [graphOpen, setGraphOpen] = useState(true);
  if (!entry) return null;

  const agentName = agentNameFor(agents, entry.agentId, entry.agentName, entry.chat) ?? t("agentFallback");
  const run = entry.run;
  const active = Boolean(run?.active);
  const graphId = `graph-${entryKey}`;
  const titleId = `title-${entryKey}`;
  const retryable = retryableExecution(entry);
  const shown = shownRun(entry);
  const latest = run?.executionId ?? entry.latestExecutionId;
  const offerLatest = shown.kind === "record" && latest !== null && latest !== entry.shownExecutionId;

  const statusKey = runStatusKey(run);
  const status = statusKey ? t(statusKey, { agent: agentName }) : "";

  return (
    <section className="chat" aria-labelledby={titleId}>
      <ChatHeader
        entry={entry}
        titleId={titleId}
        graphId={graphId}
        graphOpen={graphOpen}
        onToggleGraph={() => setGraphOpen((o) => !o)}
      />
      <div className={`chat-body${graphOpen ? " chat-body--graph" : ""}`}>
        <div className="chat-column">
          <ProblemMessage
            error={entry.history.error}
            context={t("problem.history")}
            onRetry={() => void chats.loadHistory(entryKey)}
          />
          <MessageList
            entry={entry}
            onResend={(text) => chats.send(entryKey, text)}
            onShowRun={(executionId) => {
              chats.showRun(entryKey, executionId);
              setGraphOpen(true);
            }}
          />
          {controllableRun(run) ? <RunControls run={run} /> : null}
          <RunDebugger executionId={run?.executionId ?? null} phase={run?.active ? run.view.phase : null} />
          {retryable ? <RetryBar entry={entry} executionId={retryable} onRetry={() => chats.retry(entryKey)} /> : null}
          <Composer
            key={entryKey}
            disabled={active}
            onSend={(text) => chats.send(entryKey, text)}
            statusText={status}
          />
        </div>
        {graphOpen ? (
          <ExecutionGraph
            id={graphId}
            shown={shown}
            chatId={entry.chatId}
            onShowLatest={offerLatest ? () => chats.showRun(entryKey, latest) : undefined}
            onRerun={(started) => chats.follow(entryKey, started.execution_id)}
          />
        ) : null}
      </div>
    </section>
  );
}
