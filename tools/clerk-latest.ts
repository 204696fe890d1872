/**
 * Does Gatepost work with the newest Clerk? `npm run clerk:latest` copies the project's tracked files to a
 * scratch directory, installs the latest published `@clerk/astro`, `@clerk/backend` and `@clerk/react`
 * there (the project's own node_modules and lockfile are not touched), builds it, and runs the suites that
 * pin Clerk's behaviour: the session rules, the gating and attack suites, the anonymous fast path's rule,
 * and the account menu in Chromium (Clerk's React SDK loading clerk-js and Clerk's UI).
 * It ends with one line saying whether Gatepost works with those versions.
 *
 * A report, not a gate: it exits 0 either way unless `--strict` is given (then 1 when a suite failed).
 * .ci/run runs it after `npm test`; docs/clerk.md says how to schedule it weekly.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['@clerk/astro', '@clerk/backend', '@clerk/react'];
/** Clerk's session rules, the gate over HTTP, attacks on it, and what may skip Clerk. */
const UNIT = [
  'tests/unit/signed-out.test.ts',
  'tests/unit/access-policy.test.ts',
  'tests/unit/viewer-locals.test.ts',
  'tests/unit/verified-sessions.test.ts',
];
const INTEGRATION = [
  'tests/integration/clerk-session-rules.test.ts',
  'tests/integration/authorized-parties.test.ts',
  'tests/integration/gated-http.test.ts',
  'tests/integration/attacks.test.ts',
  'tests/integration/anonymous-pages.test.ts',
  'tests/integration/leak-guard.test.ts',
];
/** The browser side: `<ClerkProvider>` loading the installed clerk-js and @clerk/ui (a stubbed Frontend API). */
const BROWSER = ['--project=gated', 'tests/e2e/account-menu.spec.ts'];
const strict = process.argv.includes('--strict');
const keep = process.argv.includes('--keep');

const log = (message: string) => console.log(`[clerk-latest] ${message}`);

function run(cwd: string, command: string, args: string[]): boolean {
  log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, CI: 'true' } }).status === 0;
}

function installed(dir: string, pkg: string): string {
  return (JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;
}

const scratch = mkdtempSync(join(tmpdir(), 'gatepost-clerk-latest-'));
let works = false;
let versions = 'not installed';
try {
  // The tracked files only (no node_modules, dist or local .env).
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    cpSync(join(ROOT, file), join(scratch, file));
  }
  log(`copied ${files.length} tracked files to ${scratch}`);
  const latest = PACKAGES.map((pkg) => `${pkg}@latest`);
  const steps: [string, string[]][] = [
    ['npm', ['ci', '--no-audit', '--no-fund']],
    ['npm', ['install', '--no-audit', '--no-fund', ...latest]],
  ];
  let ok = steps.every(([command, args]) => run(scratch, command, args));
  if (ok) versions = PACKAGES.map((pkg) => `${pkg}@${installed(scratch, pkg)}`).join(', ');
  if (ok) log(`testing with ${versions}`);
  ok &&= run(scratch, 'npx', ['astro', 'build']);
  ok &&= run(scratch, 'npx', ['vitest', 'run', '--project', 'unit', ...UNIT]);
  ok &&= run(scratch, 'npx', ['vitest', 'run', '--project', 'integration', ...INTEGRATION]);
  ok &&= run(scratch, 'npx', ['playwright', 'test', ...BROWSER]);
  works = ok;
} catch (error) {
  log(`error: ${(error as Error).message}`);
} finally {
  if (!keep) rmSync(scratch, { recursive: true, force: true });
}

console.log(
  works
    ? `[clerk-latest] Gatepost WORKS with the latest Clerk (${versions}).`
    : `[clerk-latest] Gatepost does NOT work with the latest Clerk (${versions}): see the failures above.`,
);
process.exitCode = strict && !works ? 1 : 0;
