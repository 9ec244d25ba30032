/** The signed-in layout: header, chat sidebar and the routed page. */

import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation } from "react-router";
import type { Me } from "../api/types";
import { AgentPicker } from "../features/chat/AgentPicker";
import { Sidebar } from "../features/chat/Sidebar";
import { useGo } from "../lib/paths";
import { useServices } from "./context";
import { Header } from "./Header";
import type { ShellContext } from "./router";

export function Shell({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { chats } = useServices();
  const location = useLocation();
  const go = useGo();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [pickerOpen, setPickerOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    void chats.refreshChats();
    void chats.refreshAgents();
  }, [chats]);

  // Closing the off-canvas sidebar on navigation keeps small screens usable.
  useEffect(() => setSidebarOpen(false), [location.pathname]);

  const openPicker = useCallback(() => setPickerOpen(true), []);
  const pickAgent = useCallback(
    (agent: { id: string; name: string }) => {
      setPickerOpen(false);
      go({ name: "draft", key: chats.createDraft(agent) });
    },
    [chats, go],
  );
  const context: ShellContext = { me, onNewChat: openPicker };

  return (
    <div className="shell">
      <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
        {t("shell.skipToContent")}
      </button>
      <Header me={me} sidebarOpen={sidebarOpen} onToggleSidebar={() => setSidebarOpen((open) => !open)} />
      <div className="shell-body">
        <Sidebar open={sidebarOpen} currentPath={location.pathname} onNewChat={openPicker} />
        <main id="main" ref={mainRef} tabIndex={-1} className="shell-main">
          <Outlet context={context} />
        </main>
      </div>
      <AgentPicker open={pickerOpen} onClose={() => setPickerOpen(false)} onPick={pickAgent} />
    </div>
  );
}
