/** One chat: messages, the live run, the composer and the execution graph. */

import { useState } from "react";
import { useChatStore, useServices } from "../app/context";
import { agentNameFor } from "../store/chatState";
import { Composer } from "./Composer";
import { ExecutionGraph } from "./ExecutionGraph";
import { MessageList } from "./MessageList";
import { ProblemMessage } from "./ProblemMessage";

export function ChatView({ entryKey }: { entryKey: string }) {
  const { chats } = useServices();
  const entry = useChatStore((s) => s.entries[entryKey]);
  const agents = useChatStore((s) => s.agents.data);
  const [graphOpen, setGraphOpen] = useState(true);
  if (!entry) return null;

  const agentName = agentNameFor(agents, entry.agentId, entry.agentName) ?? "Agent";
  const title = entry.chat?.title ?? entry.run?.userText ?? "New chat";
  const active = Boolean(entry.run?.active);
  const graphId = `graph-${entryKey}`;

  return (
    <section className="chat" aria-labelledby={`title-${entryKey}`}>
      <header className="chat-header">
        <div className="chat-heading">
          <h1 id={`title-${entryKey}`} className="chat-title">
            {title}
          </h1>
          <p className="chat-agent muted">with {agentName}</p>
        </div>
        <button
          type="button"
          className="button button--small"
          aria-expanded={graphOpen}
          aria-controls={graphId}
          onClick={() => setGraphOpen((o) => !o)}
        >
          {graphOpen ? "Hide graph" : "Show graph"}
        </button>
      </header>
      <div className={`chat-body${graphOpen ? " chat-body--graph" : ""}`}>
        <div className="chat-column">
          <ProblemMessage
            error={entry.history.error}
            context="Could not load this chat"
            onRetry={() => void chats.loadHistory(entryKey)}
          />
          <MessageList entry={entry} onResend={(text) => chats.send(entryKey, text)} />
          <Composer
            key={entryKey}
            disabled={active}
            onSend={(text) => chats.send(entryKey, text)}
            statusText={
              active ? (entry.run?.reconnecting ? "Reconnecting to the run…" : `${agentName} is answering…`) : ""
            }
          />
        </div>
        {graphOpen ? <ExecutionGraph id={graphId} run={entry.run} /> : null}
      </div>
    </section>
  );
}
