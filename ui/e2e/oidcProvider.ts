/**
 * The local OpenID Connect provider of the sign-in journey (tests/oidc_provider.py, a real HTTP
 * server issuing RS256 ID tokens), started by the global setup next to the platform. The
 * platform's outbound policy allows its address only (`allowListEntry`), the way an operator
 * would allow a company's provider inside the network.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/** The client the journey registers, as the provider knows it. */
export const OIDC_CLIENT_ID = "agentpaas-e2e";
export const OIDC_CLIENT_SECRET = "e2e-oidc-client-secret-0123456789";
/** Everyone the provider signs in belongs to this group (the journey maps it to a role). */
export const OIDC_GROUP = "staff";
/** The provider's issuer URL, for the journeys. */
export const ENV_OIDC_ISSUER = "AGENTPAAS_E2E_OIDC_ISSUER";

const STARTUP_TIMEOUT_MS = 30_000;

export interface LocalIdentityProvider {
  issuer: string;
  /** What AGENTPAAS_OUTBOUND_ALLOW_LIST needs for the platform to reach it. */
  allowListEntry: string;
  stop: () => void;
}

/** Start the provider on `port` (its output goes to `log`); resolves once discovery answers. */
export async function startLocalIdentityProvider(
  repo: string,
  port: number,
  log: number,
): Promise<LocalIdentityProvider> {
  const python = join(repo, ".venv", "bin", "python");
  const args = ["-m", "tests.oidc_provider", "--port", String(port), "--client-id", OIDC_CLIENT_ID];
  args.push("--client-secret", OIDC_CLIENT_SECRET, "--default-groups", OIDC_GROUP);
  const child = spawn(python, args, { cwd: repo, stdio: ["ignore", log, log] });
  const stop = () => kill(child);
  process.once("exit", stop);
  const issuer = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the local identity provider exited (${child.exitCode})`);
    try {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error("the local identity provider did not start");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.env[ENV_OIDC_ISSUER] = issuer;
  return { issuer, allowListEntry: `127.0.0.1:${port}`, stop };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
