import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { ServicesContext } from "./app/context";
import { createServices } from "./app/services";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/forms.css";
import "./styles/chat.css";
import "./styles/graph.css";
import "./styles/pages.css";
import "./styles/admin.css";

const services = createServices();
void services.session.restore();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <ServicesContext.Provider value={services}>
      <App />
    </ServicesContext.Provider>
  </StrictMode>,
);
