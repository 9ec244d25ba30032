/**
 * What the global setup tells the journeys, through environment variables: Playwright's workers
 * are separate processes that inherit the runner's environment once the setup has run.
 */

import type { PublishedAgent } from "./api";

/** The platform's base URL (UI and API on one origin). */
export const ENV_URL = "AGENTPAAS_E2E_URL";
/** JSON of `JourneyAgents`. */
export const ENV_AGENTS = "AGENTPAAS_E2E_AGENTS";
/** The temporary directory for screenshots of failing steps and the platform's log. */
export const ENV_ARTIFACTS = "AGENTPAAS_E2E_ARTIFACTS";

/** The agents published for the journeys, beside the seeded "Assistant". */
export interface JourneyAgents {
  approval: PublishedAgent;
  triage: PublishedAgent;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the journeys with \`npx playwright test\` (globalSetup)`);
  return value;
}

export function platformUrl(): string {
  return required(ENV_URL);
}

export function journeyAgents(): JourneyAgents {
  return JSON.parse(required(ENV_AGENTS)) as JourneyAgents;
}
