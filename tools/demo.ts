/**
 * Runs the whole site offline: the stand-in (front door + Backend API), a demo build of Gatepost, and
 * the real Gatepost server (`dist/server/gatepost.mjs` of that build) with the stand-in's keys in its
 * environment. Used by `npm start` on a clone without Clerk keys and by the `standin` Playwright project.
 *
 * The demo build differs from a production build in two public variables: PUBLIC_GATEPOST_DEMO_SIGNIN,
 * which shows the "Local demo sign-in, not Clerk" badge on every page, and PUBLIC_GATEPOST_BILLING
 * (the stand-in plays Clerk Billing too). It goes to its own directory
 * (never `dist/`), so `npm run serve` can never pick up a build that wears the badge.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, LOOPBACK, startStandin, TEST_CODE, type Standin } from '@gatepost/clerk-standin';
import { SERVER_PROGRAM, serverArgs } from './server-flags.ts';
import { freePort } from './free-port.ts';

export { freePort };

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ASTRO = join(ROOT, 'node_modules/astro/bin/astro.mjs');
const PARENT_WATCH = fileURLToPath(new URL('./parent-watch.ts', import.meta.url));

/** A build directory outside the project, one per checkout and purpose (`demo`, `e2e`). */
export function demoBuildDir(purpose: string): string {
  const checkout = createHash('sha1').update(ROOT).digest('hex').slice(0, 10);
  return join(tmpdir(), `gatepost-${purpose}-${checkout}`);
}

/**
 * PATHS.clerkWebhook (src/site/paths.ts), which tools cannot import (Node runs them without a bundler and
 * src/ imports without file extensions); tests/unit/members-standin.test.ts checks that the two agree.
 */
export const DEMO_WEBHOOK_PATH = '/api/webhooks/clerk';

export interface DemoOptions {
  /** The site's port (the stand-in's front door). */
  port: number;
  /** The stand-in's Backend/admin API port; 0 picks a free one. */
  apiPort?: number;
  /** `localhost` (what `npm start` prints) or `127.0.0.1` (what the tests use). */
  publicHost?: string;
  /** Where the demo build goes. */
  outDir: string;
  /** Build first (default); false serves the existing build in outDir. */
  build?: boolean;
  /** Session token lifetime in seconds (Clerk's default: 60). */
  tokenLifetime?: number;
  /** Output of the stand-in, the build and the server. */
  log: (line: string) => void;
  /** Log every stand-in event (sign-ins, handshakes, unimplemented calls). */
  verbose?: boolean;
}

export interface DemoSite {
  standin: Standin;
  server: ChildProcess;
  /** The Gatepost server's own (internal, loopback) address behind the front door. */
  siteUrl: string;
  /** Resolves with the server's exit code when it stops. */
  exited: Promise<number>;
  stop: () => Promise<void>;
}

function pipeLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void, skip?: RegExp) {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim() && !skip?.test(line)) log(line);
  });
}

/**
 * A line of the demo server's output as the demo's terminal shows it: the production server logs JSON
 * (one line per request, for log collectors), which would scroll the banner's accounts away; the demo
 * prints "GET /pricing/ 200 4.2 ms" instead, and other messages as text. Returns null to drop a line:
 * the Node adapter's note that Astro sessions use files (the demo's sessions are Clerk's, and its data
 * folder is removed when it stops).
 */
export function demoLogLine(line: string): string | null {
  if (/^\S*\s*\[@astrojs\/node\] Enabling sessions with filesystem storage/.test(line)) return null;
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (entry.msg === 'request' && typeof entry.method === 'string' && typeof entry.path === 'string') {
    const aborted = entry.aborted ? ' (closed by the browser)' : '';
    return `${entry.method} ${entry.path} ${String(entry.status)} ${String(entry.ms)} ms${aborted}`;
  }
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const prefix = level >= 50 ? '[gatepost] error: ' : level >= 40 ? '[gatepost] warning: ' : '[gatepost] ';
  const error = entry.err as { message?: unknown } | undefined;
  const detail = error && typeof error.message === 'string' ? ` (${error.message})` : '';
  return `${prefix}${typeof entry.msg === 'string' ? entry.msg : line}${detail}`;
}

/**
 * The environment without any Clerk setting (keys, URLs, domain, satellite…), so whatever a shell
 * exports for a real Clerk instance can't mix with the stand-in's.
 */
function withoutClerkSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(PUBLIC_)?CLERK_/.test(name)));
}

/** `astro build` with the demo badge on, into outDir. */
export async function buildDemo(outDir: string, log: (line: string) => void): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  // The build (prerendering runs the built server code) and the server resolve their dependencies
  // (react, @clerk/astro…) from a node_modules above them: link the project's, next to (not inside)
  // the `dist` directory Astro empties on every build.
  const link = join(outDir, 'node_modules');
  if (!existsSync(link)) {
    if (lstatSync(link, { throwIfNoEntry: false })) rmSync(link);
    symlinkSync(join(ROOT, 'node_modules'), link, 'dir');
  }
  // Clerk settings never go into a demo build: the stand-in's keys are generated when it starts.
  const env = {
    ...withoutClerkSettings(process.env),
    PUBLIC_GATEPOST_DEMO_SIGNIN: 'true',
    // The stand-in serves Clerk Billing (packages/clerk-standin): the demo shows Clerk's pricing table.
    PUBLIC_GATEPOST_BILLING: 'true',
    ASTRO_TELEMETRY_DISABLED: '1',
  };
  const child = spawn(process.execPath, [ASTRO, 'build', '--outDir', join(outDir, 'dist')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Test runners hide the build's output; keep its end for the error message (printed to stderr).
  const tail: string[] = [];
  const keep = (line: string) => {
    log(line);
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  // A demo build has no Clerk keys on purpose (the stand-in brings them at run time): drop the site's
  // "Clerk is not configured" notice, which would contradict the banner that follows.
  const keyless = /^\[gatepost\] Clerk is not configured/;
  // Also the Node adapter's note on Astro's session storage: the demo's sessions are Clerk's.
  const sessions = /\[@astrojs\/node\] Enabling sessions with filesystem storage/;
  const skip = new RegExp(`${keyless.source}|${sessions.source}`);
  pipeLines(child.stdout, keep, skip);
  pipeLines(child.stderr, keep, skip);
  // 'close', not 'exit': the output is complete by then.
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`the demo build failed (exit code ${code}):\n${tail.join('\n')}`);
}

async function waitForServer(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Gatepost server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the Gatepost server did not start within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** True while a process with this id runs (signal 0 checks without signalling; EPERM: it runs as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process id in a claim file, or null when there is none (or it holds no id). */
function readClaim(lock: string): number | null {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Claims a demo build directory for this process, so a second `npm start` from the same checkout (say on
 * another PORT) cannot rebuild the files a running demo serves from (its server would answer 500,
 * ERR_MODULE_NOT_FOUND): it refuses with a clear message instead. A claim left by a process that no
 * longer runs is taken over. Returns the release function.
 */
export function claimBuildDir(outDir: string): () => void {
  const lock = `${outDir}.pid`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => {
        // Only our own claim: a later demo may have taken over after this one was killed.
        const holder = readClaim(lock);
        if (holder === process.pid) rmSync(lock, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readClaim(lock);
      if (holder !== null && holder !== process.pid && processRuns(holder))
        // eslint-disable-next-line preserve-caught-error -- EEXIST is the expected case, not this error's cause
        throw new Error(
          `another demo from this checkout is running (process ${holder}) and serves from ${outDir}. ` +
            'Use that one, or stop it (Ctrl+C in its terminal) before starting another.',
        );
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`could not claim the demo build directory ${outDir}`);
}

export async function startDemoSite(options: DemoOptions): Promise<DemoSite> {
  const { log } = options;
  // Before anything listens or builds: a second demo must not rebuild the running one's files.
  const release = options.build !== false ? claimBuildDir(options.outDir) : () => undefined;
  let standin: Awaited<ReturnType<typeof startStandin>>;
  try {
    standin = await startStandin({
      port: options.port,
      apiPort: options.apiPort ?? 0,
      publicHost: options.publicHost ?? 'localhost',
      // Newsletters go to the stand-in's local mail catcher (listed at <apiUrl>/__mail/), never out.
      mail: true,
      ...(options.tokenLifetime ? { tokenLifetime: options.tokenLifetime } : {}),
      // Clerk's webhooks, signed with a secret made for this run: sign-ups, upgrades, cancellations and
      // organization changes reach the members' store (/editor/members/) within a second.
      webhookPath: DEMO_WEBHOOK_PATH,
      log: options.verbose ? (line) => log(`[stand-in] ${line}`) : () => undefined,
    });
  } catch (error) {
    release();
    throw error;
  }
  let server: ChildProcess | undefined;
  let siteUrl: string;
  // The stand-in's accounts live as long as this run, so the members' store they fill does too: a SQLite
  // file of the demo's own, removed when it stops (never DATABASE_URL or the operator's ./data).
  const dataDir = mkdtempSync(join(tmpdir(), 'gatepost-demo-data-'));
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    if (options.build !== false) await buildDemo(options.outDir, log);
    const program = join(options.outDir, 'dist', SERVER_PROGRAM);
    if (!existsSync(program)) throw new Error(`no demo build at ${program}`);

    const sitePort = await freePort();
    const { DATABASE_URL: _operatorDatabase, ...env } = withoutClerkSettings(process.env);
    server = spawn(process.execPath, serverArgs(join(options.outDir, 'dist'), ['--import', PARENT_WATCH]), {
      cwd: ROOT,
      env: {
        ...env,
        ...standin.siteEnv(),
        GATEPOST_DATA_DIR: dataDir,
        HOST: LOOPBACK,
        PORT: String(sitePort),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // The server announces its internal address; readers should only ever see the front door's.
    const readable = (line: string) => {
      const text = demoLogLine(line);
      if (text !== null) log(text);
    };
    pipeLines(server.stdout, readable, /Server listening at/);
    pipeLines(server.stderr, readable);
    siteUrl = `http://${LOOPBACK}:${sitePort}`;
    await waitForServer(siteUrl, server);
    standin.setUpstream(siteUrl);
  } catch (error) {
    server?.kill('SIGKILL');
    await standin.stop();
    removeData();
    release();
    throw error;
  }

  const child = server;
  const exited = new Promise<number>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code ?? 0));
  });
  void exited.then(() => {
    removeData();
    release();
  });
  return {
    standin,
    server: child,
    siteUrl,
    exited,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await standin.stop();
    },
  };
}

/** The loud notice printed when the demo is up: what this is, the accounts, the address. */
export function banner(site: DemoSite, color = false): string {
  const { standin } = site;
  const red = (text: string) => (color ? `\x1b[1;41;97m${text}\x1b[0m` : text);
  const bold = (text: string) => (color ? `\x1b[1m${text}\x1b[0m` : text);
  const rule = '='.repeat(78);
  const accounts = standin.instance.accountList().filter((a) => a.id.startsWith('user_standin_') && a.handle);
  const width = Math.max(...accounts.map((a) => a.email.length));
  return [
    '',
    red(rule),
    red('  LOCAL DEMO SIGN-IN, NOT CLERK                                                '),
    red(rule),
    '',
    '  No Clerk keys were found, so sign-in runs against a local stand-in for Clerk',
    "  (packages/clerk-standin): Clerk's real sign-in components, served offline, with",
    '  keys made for this run only. Nothing is sent to Clerk. Never use this for real',
    '  readers: set Clerk keys in .env (README, "Go live") and it is gone.',
    '',
    `  Demo accounts (password for all: ${bold(DEMO_PASSWORD)}):`,
    ...accounts.map((a) => `    ${a.email.padEnd(width)}  ${a.note}`),
    '',
    `  Or create an account ("Create account" on any paywall): any email address, then the code`,
    `  ${bold(TEST_CODE)} (Clerk's test-mode code; no email is sent). New accounts read members articles and`,
    '  last until the demo stops.',
    '',
    '  Clerk Billing is on: subscribe to Premium on /pricing/ with the saved demo card (Visa 4242;',
    '  entering a new card needs Stripe, which the demo cannot reach).',
    '',
    `  Or upgrade an account while it is signed in ("Back to the article" on /pricing/ shows it at once):`,
    `    curl -X POST ${standin.apiUrl}/__admin/users/user_standin_member/metadata \\`,
    `      -H 'content-type: application/json' -d '{"public_metadata":{"tier":"premium"}}'`,
    '',
    ...(standin.mail
      ? [
          `  Newsletters are sent to a local mail catcher, nothing leaves this machine: see the mail at`,
          `    ${bold(`${standin.apiUrl}/__mail/`)}`,
          '',
        ]
      : []),
    `  Gatepost is running at ${bold(standin.origin)}   (Ctrl+C stops everything)`,
    '',
  ].join('\n');
}
