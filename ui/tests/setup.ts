// Unit tests read the English catalogs (the journeys in e2e/ cover zh-CN in a real browser).
import { initI18n } from "../src/lib/i18n";

initI18n("en");
