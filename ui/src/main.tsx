import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { ServicesContext } from "./app/context";
import { createRouter } from "./app/router";
import { createServices } from "./app/services";
import { initI18n } from "./lib/i18n";
import { themeStore } from "./lib/theme";
import "@xyflow/react/dist/style.css";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/forms.css";
import "./styles/chat.css";
// Code highlighting (rehype-highlight emits highlight.js classes), in the app's theme.
import "./styles/code.css";
import "./styles/graph.css";
import "./styles/pages.css";
import "./styles/inbox.css";
import "./styles/admin.css";

initI18n();
themeStore.start();
const services = createServices();
void services.session.restore();
const router = createRouter();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <ServicesContext.Provider value={services}>
      <QueryClientProvider client={services.queries}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ServicesContext.Provider>
  </StrictMode>,
);
