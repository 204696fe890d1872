import { defineConfig, devices } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from './tests/support/chromium';
import { serverEnv, sharedTestKeys } from './tests/support/clerk-session';
import { sharedSigningSecret } from './tests/support/svix';
import { serverArgs } from './tools/server-flags.ts';
import { demoBuildDir } from './tools/demo.ts';

/**
 * Browser tests run against the *built* site served by the real Node server (`npm test` builds first).
 *
 * Chromium: see tests/support/chromium.ts (Playwright's own build, else the system's).
 */
const PORT = Number(process.env.E2E_PORT ?? 4329);
/** The built server, started the way `npm start` starts it. */
const SERVE = ['node', ...serverArgs()].join(' ');
/** The same build, served with Clerk keys generated for this test run (see tests/support/clerk-session.ts). */
const KEYED_PORT = PORT + 1;
const keys = sharedTestKeys();
/**
 * The whole site with the local Clerk stand-in (packages/clerk-standin): its front door is the site's origin,
 * its Backend/admin API is on the next port. Its own demo build (badge on), in the OS temp directory.
 */
const STANDIN_PORT = Number(process.env.STANDIN_E2E_PORT ?? 4340);
/** Each server's members' store (SQLite), outside the checkout: the tests never write into ./data. */
const dataDir = (port: number) => join(tmpdir(), `gatepost-e2e-data-${port}`);
const STANDIN_API_PORT = STANDIN_PORT + 1;
/** Long enough for a fresh browser to open a new link on a busy machine, short enough to wait out. */
const STANDIN_GIFT_SECONDS = 30;
// Read by the standin specs (tests/support/standin.ts); workers inherit the runner's environment.
process.env.GATEPOST_STANDIN_API_URL = `http://127.0.0.1:${STANDIN_API_PORT}`;

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Clerk's UI loads its components as lazy chunks after clerk-js (several hundred KB): on a busy 2-core
  // machine a first render took over Playwright's default 5 s, so assertions wait up to 15 s.
  expect: { timeout: 15_000 },
  ...(process.env.CI ? { workers: 2 } : {}),
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'public',
      testIgnore: specNamed('gated|account|standin'),
      use: { ...chromiumSettings(), baseURL: `http://127.0.0.1:${PORT}` },
    },
    {
      name: 'gated',
      testMatch: specNamed('gated|account'),
      use: { ...chromiumSettings(), baseURL: `http://127.0.0.1:${KEYED_PORT}` },
    },
    {
      // Clerk's real <SignIn/>, <UserButton/> and <UserProfile/> against the stand-in, end to end.
      name: 'standin',
      testMatch: specNamed('^standin-'),
      use: { ...chromiumSettings(), baseURL: `http://127.0.0.1:${STANDIN_PORT}` },
    },
  ],
  webServer: [
    {
      // As on a fresh clone: no Clerk keys at all.
      command: SERVE,
      url: `http://127.0.0.1:${PORT}/`,
      env: { HOST: '127.0.0.1', PORT: String(PORT), GATEPOST_DATA_DIR: dataDir(PORT) },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: SERVE,
      url: `http://127.0.0.1:${KEYED_PORT}/`,
      env: {
        HOST: '127.0.0.1',
        PORT: String(KEYED_PORT),
        GATEPOST_DATA_DIR: dataDir(KEYED_PORT),
        // Clerk's webhooks, signed by the tests (gated-members.spec.ts).
        CLERK_WEBHOOK_SIGNING_SECRET: sharedSigningSecret(),
        ...serverEnv(keys, `http://127.0.0.1:${KEYED_PORT}`),
      },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // Builds the demo (about 10 s), then starts the stand-in and the server behind it.
      command: [
        'node tools/standin.ts --quiet --host 127.0.0.1',
        `--port ${STANDIN_PORT} --api-port ${STANDIN_API_PORT} --out-dir ${demoBuildDir('e2e')}`,
      ].join(' '),
      url: `http://127.0.0.1:${STANDIN_PORT}/`,
      // Gift links that expire while a test watches (standin-journey.spec.ts); only this server's.
      env: { ASTRO_TELEMETRY_DISABLED: '1', GATEPOST_GIFT_LINK_SECONDS: String(STANDIN_GIFT_SECONDS) },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});

/**
 * Spec files whose own name matches `pattern` (a regular expression's source). Playwright tests patterns
 * against the absolute path, so a bare pattern would also match the checkout's directory name (a clone
 * in `…/standin-work/` would put every spec in the `standin` project and none in `public`).
 */
function specNamed(pattern: string): RegExp {
  const name = pattern.startsWith('^') ? pattern.slice(1) : String.raw`[^/\\]*(?:${pattern})`;
  return new RegExp(String.raw`[/\\]${name}[^/\\]*$`);
}

function chromiumSettings() {
  return { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() };
}
