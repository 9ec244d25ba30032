/**
 * Playwright's global setup: the real platform for the browser journeys.
 *
 * Starts `agentpaas dev` (embedded PostgreSQL, the Temporal dev server, Qdrant local mode, the API
 * serving the built UI from ui/dist, a worker) on free ports with a temporary data directory, waits
 * for /api/v1/health, publishes the agents the journeys chat with, and hands the URL to the tests
 * through the environment (Playwright's workers inherit it). The function it returns is the global
 * teardown: it stops every child, even when tests failed, and removes the data directory.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Api, publishFromTemplate, waitFor } from "./api";
import { ENV_AGENTS, ENV_ARTIFACTS, ENV_URL, type JourneyAgents } from "./env";
import { startLocalIdentityProvider } from "./oidcProvider";

const UI_DIR = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const REPO = resolve(UI_DIR, "..");
const AGENTPAAS = join(REPO, ".venv", "bin", "agentpaas");

const STARTUP_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(UI_DIR, "dist", "index.html"))) {
    throw new Error("ui/dist is missing: build the UI first (`npm run build`; `make e2e` does it)");
  }
  if (!existsSync(AGENTPAAS)) throw new Error(`${AGENTPAAS} is missing: run \`make install\` first`);
  const artifacts = process.env[ENV_ARTIFACTS];
  if (!artifacts) throw new Error(`${ENV_ARTIFACTS} is not set (playwright.config.ts sets it)`);

  const dataDir = mkdtempSync(join(tmpdir(), "agentpaas-e2e-data-"));
  const logFile = join(artifacts, "platform.log");
  const [apiPort, temporalPort, temporalUiPort, oidcPort] = await freePorts(4);
  const url = `http://127.0.0.1:${apiPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AGENTPAAS_ENVIRONMENT: "development",
    AGENTPAAS_DATA_DIR: dataDir,
    AGENTPAAS_API_HOST: "127.0.0.1",
    AGENTPAAS_API_PORT: String(apiPort),
    AGENTPAAS_TEMPORAL_PORT: String(temporalPort),
    AGENTPAAS_TEMPORAL_UI_PORT: String(temporalUiPort),
    // Offline: litellm's cost map and Hugging Face models come from disk.
    LITELLM_LOCAL_MODEL_COST_MAP: "True",
    HF_HUB_OFFLINE: "1",
  };
  // The embedded services, never a developer's external ones.
  for (const name of [
    "AGENTPAAS_DATABASE_URL",
    "AGENTPAAS_DATABASE_ADMIN_URL",
    "AGENTPAAS_TEMPORAL_ADDRESS",
    "AGENTPAAS_QDRANT_URL",
  ]) {
    delete env[name];
  }

  const log = openSync(logFile, "a");
  // The sign-in journey's identity provider, the one loopback address the platform may call besides itself.
  const idp = await startLocalIdentityProvider(REPO, Number(oidcPort), log);
  env.AGENTPAAS_OUTBOUND_ALLOW_LIST = [env.AGENTPAAS_OUTBOUND_ALLOW_LIST, idp.allowListEntry].filter(Boolean).join(",");
  // Its own process group, so the teardown reaches Temporal and anything else it starts.
  const child = spawn(AGENTPAAS, ["dev"], { cwd: REPO, env, detached: true, stdio: ["ignore", log, log] });
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= stopPlatform(child, dataDir).finally(idp.stop));
  // Last resort when the runner exits without its teardown (a crash, a second Ctrl-C).
  const onExit = () => killNow(child, dataDir);
  process.once("exit", onExit);

  console.log(`Starting the platform on ${url} (log: ${logFile})`);
  const started = Date.now();
  try {
    await waitForHealth(url, child, logFile);
    process.env[ENV_AGENTS] = JSON.stringify(await publishJourneyAgents(url));
    process.env[ENV_URL] = url;
  } catch (error) {
    await stop();
    throw error;
  }
  console.log(`Platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return async () => {
    await stop();
    process.off("exit", onExit);
    reportArtifacts(artifacts);
  };
}

/** Ports nobody listens on now (all held open together, so they differ). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((done, fail) => {
        server.once("error", fail);
        server.listen(0, "127.0.0.1", done);
      });
    }
    return servers.map((s) => (s.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  }
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  let exited: string | null = null;
  child.once("exit", (code, signal) => (exited = `exited (${signal ?? code})`));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`agentpaas dev ${exited} before it was healthy:\n${tail(logFile)}`);
    try {
      const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`the platform was not healthy after ${STARTUP_TIMEOUT_MS / 1000} s:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The agents the journeys chat with beside the seeded "Assistant", published like a developer would. */
async function publishJourneyAgents(url: string): Promise<JourneyAgents> {
  const admin = await Api.login(url, "admin");
  // The approval agent's action is a bundled tool, listed once the API serves (dev_registration).
  await waitFor(
    "the bundled tool current_time",
    async () => {
      const tools = await admin.call<{ items: { name: string }[] }>("GET", "/api/v1/tools?q=current_time");
      return tools.items.some((t) => t.name === "current_time") ? true : undefined;
    },
    60_000,
  );
  const approval = await publishFromTemplate(url, {
    name: "Approval desk",
    description: "Proposes an action and waits for a reviewer's approval before it acts.",
    template: "approval_gated_action",
    parameters: { action_tool: "current_time", action_description: "tell the current time" },
    tags: ["approval"],
  });
  const triage = await publishFromTemplate(url, {
    name: "Support triage",
    description: "Routes each customer message to billing, technical or general support.",
    template: "support_triage",
    parameters: { company_name: "Demo Company" },
    tags: ["support"],
  });
  return { approval, triage };
}

/** Ctrl-C first (the CLI stops the worker, Temporal and PostgreSQL in order), then force. */
async function stopPlatform(child: ChildProcess, dataDir: string): Promise<void> {
  const pid = child.pid;
  if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<boolean>((done) => {
      child.once("exit", () => done(true));
      setTimeout(() => done(false), STOP_TIMEOUT_MS);
    });
    signal(pid, "SIGINT");
    if (!(await exited)) console.warn("agentpaas dev did not stop after Ctrl-C; killing it");
  }
  killNow(child, dataDir);
}

/** Kill whatever is left, synchronously: the process group, PostgreSQL, the data directory. */
function killNow(child: ChildProcess, dataDir: string): void {
  if (child.pid !== undefined) signal(-child.pid, "SIGKILL");
  // pg_ctl starts PostgreSQL in a session of its own: the group kill does not reach it.
  const pidFile = join(dataDir, "postgres", "postmaster.pid");
  if (existsSync(pidFile)) {
    const postmaster = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    // SIGQUIT: immediate shutdown; the postmaster takes its children with it.
    if (postmaster > 0) signal(postmaster, "SIGQUIT");
  }
  rmSync(dataDir, { recursive: true, force: true });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Print where the failing steps' screenshots are; without any, remove the directory. */
function reportArtifacts(dir: string): void {
  const screenshots = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".png"))
    .map((name) => join(dir, name));
  if (screenshots.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  console.log(`\nScreenshots of failing steps (${screenshots.length}):`);
  for (const file of screenshots) console.log(`  ${file}`);
  console.log(`Platform log: ${join(dir, "platform.log")}`);
}
