/** The signed-in layout: header, chat sidebar and the routed page. */

import { useCallback, useEffect, useRef, useState } from "react";
import type { Me } from "../api/types";
import { useServices } from "./context";
import { navigate } from "../routing/routes";
import { useRoute } from "../routing/useRoute";
import { AgentPicker } from "../features/chat/AgentPicker";
import { Header } from "./Header";
import { RoutedPage } from "./RoutedPage";
import { Sidebar } from "../features/chat/Sidebar";

export function Shell({ me }: { me: Me }) {
  const { chats } = useServices();
  const route = useRoute();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [pickerOpen, setPickerOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    void chats.refreshChats();
    void chats.refreshAgents();
  }, [chats]);

  // Closing the off-canvas sidebar on navigation keeps small screens usable.
  useEffect(() => setSidebarOpen(false), [route]);

  const openPicker = useCallback(() => setPickerOpen(true), []);
  const pickAgent = useCallback(
    (agent: { id: string; name: string }) => {
      setPickerOpen(false);
      navigate({ name: "draft", key: chats.createDraft(agent) });
    },
    [chats],
  );

  return (
    <div className="shell">
      <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
        Skip to content
      </button>
      <Header me={me} route={route} sidebarOpen={sidebarOpen} onToggleSidebar={() => setSidebarOpen((open) => !open)} />
      <div className="shell-body">
        <Sidebar open={sidebarOpen} route={route} onNewChat={openPicker} />
        <main id="main" ref={mainRef} tabIndex={-1} className="shell-main">
          <RoutedPage me={me} route={route} onNewChat={openPicker} />
        </main>
      </div>
      <AgentPicker open={pickerOpen} onClose={() => setPickerOpen(false)} onPick={pickAgent} />
    </div>
  );
}
