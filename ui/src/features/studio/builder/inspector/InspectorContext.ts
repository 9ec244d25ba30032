/**
 * What the config form's own widgets need beyond their one value: the graph's state keys (for key
 * pickers) and the whole config (a tool's arguments depend on the chosen tool). rjsf hands a
 * widget only its own field, so the form provides this around itself.
 */

import { createContext, useContext } from "react";

export interface InspectorContextValue {
  stateKeys: readonly string[];
  /** The config as the form shows it (defaults filled in). */
  formData: Record<string, unknown>;
}

export const InspectorContext = createContext<InspectorContextValue>({ stateKeys: [], formData: {} });

export const useInspectorContext = () => useContext(InspectorContext);
