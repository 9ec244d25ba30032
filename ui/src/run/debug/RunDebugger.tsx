/**
 * The debugger beside a chat's live run: shown while the run is paused and the person may
 * debug it (the agent's developer, or the owner of a sandbox chat). For anyone else the
 * server refuses the debug view and nothing is shown: the run controls are theirs.
 */

import type { RunPhase } from "../runView";
import { DebuggerPanel } from "./DebuggerPanel";

interface Props {
  /** The live run (null: none, or not known yet). */
  executionId: string | null;
  /** Its phase while it is live, else null. */
  phase: RunPhase | null;
}

export function RunDebugger({ executionId, phase }: Props) {
  if (executionId === null || phase !== "paused") return null;
  return <DebuggerPanel key={executionId} executionId={executionId} />;
}
