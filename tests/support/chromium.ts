/**
 * How Gatepost's browser runs launch Chromium: Playwright's own build when it is installed
 * (`npx playwright install chromium`), otherwise the system's (Debian's /usr/bin/chromium), or
 * CHROMIUM_PATH if set. Used by playwright.config.ts and the benchmark suite.
 */
import { chromium, type LaunchOptions } from '@playwright/test';
import { existsSync } from 'node:fs';

export function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync(chromium.executablePath())) return undefined;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = chromiumExecutable();
  return {
    ...(executablePath ? { executablePath } : {}),
    // Safe offline and as root: no sandbox (root), no background calls to Google's services.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}
