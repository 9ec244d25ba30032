/** One chat: header, messages, the live run and its controls, the composer and the execution graph. */

import { useState } from "react";
import { useChatStore, useServices } from "../../app/context";
import { agentNameFor, controllableRun, retryableExecution, shownRun } from "./chatState";
import { ChatHeader } from "./ChatHeader";
import { Composer } from "./Composer";
import { ExecutionGraph } from "../../run/ExecutionGraph";
import { MessageList } from "./MessageList";
import { ProblemMessage } from "../../components/ProblemMessage";
import { RetryBar } from "./RetryBar";
import { RunControls } from "./RunControls";

export function ChatView({ entryKey }: { entryKey: string }) {
  const { chats } = useServices();
  const entry = useChatStore((s) => s.entries[entryKey]);
  const agents = useChatStore((s) => s.agents.data);
  const [graphOpen, setGraphOpen] = useState(true);
  if (!entry) return null;

  const agentName = agentNameFor(agents, entry.agentId, entry.agentName, entry.chat) ?? "Agent";
  const run = entry.run;
  const active = Boolean(run?.active);
  const graphId = `graph-${entryKey}`;
  const titleId = `title-${entryKey}`;
  const retryable = retryableExecution(entry);
  const shown = shownRun(entry);
  const latest = run?.executionId ?? entry.latestExecutionId;
  const offerLatest = shown.kind === "record" && latest !== null && latest !== entry.shownExecutionId;

  let status = "";
  if (active) {
    if (run?.reconnecting) status = "Reconnecting to the run…";
    else if (run?.view.phase === "paused") status = "The run is paused.";
    else if (run?.view.phase === "waiting") status = "Waiting for a reviewer…";
    else status = `${agentName} is answering…`;
  }

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
            context="Could not load this chat"
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
            onShowLatest={offerLatest ? () => chats.showRun(entryKey, latest) : undefined}
          />
        ) : null}
      </div>
    </section>
  );
}
