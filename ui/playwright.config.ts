/**
 * Browser journeys (e2e/): Playwright drives Debian's Chromium (/usr/bin/chromium, installed by
 * `make test`; never a downloaded browser) against the real platform, which e2e/platform.ts
 * starts on free ports with temporary data. Screenshots of failing steps go to a temporary
 * directory whose path is printed at the end.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { ENV_ARTIFACTS } from "./e2e/env";

// Chosen once by the runner; its workers load this file again and inherit the variable.
const artifacts = (process.env[ENV_ARTIFACTS] ??= mkdtempSync(join(tmpdir(), "agentpaas-e2e-")));

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/platform.ts",
  outputDir: join(artifacts, "results"),
  // One platform, one browser: the journeys run one after another (CI has 2 cores).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    headless: true,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    // English unless a journey says otherwise (the language journey starts in zh-CN).
    locale: "en-US",
    timezoneId: "UTC",
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    screenshot: "only-on-failure",
    trace: "off",
    video: "off",
  },
});
