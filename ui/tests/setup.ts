// Unit tests read the English catalogs (the journeys in e2e/ cover zh-CN in a real browser).
import { initI18n } from "../src/lib/i18n";

initI18n("en");

// @microsoft/fetch-event-source is browser code: it calls `window.setTimeout` and
// `document.removeEventListener`. Unit tests run in node, so give it those two globals
// (with a `documentElement`, which i18n.ts touches once `document` exists).
if (typeof globalThis.window === "undefined") Object.assign(globalThis, { window: globalThis });
if (typeof globalThis.document === "undefined") {
  Object.assign(globalThis, {
    document: { hidden: false, documentElement: {}, addEventListener() {}, removeEventListener() {} },
  });
}
