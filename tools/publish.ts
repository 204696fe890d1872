/**
 * `npm run publish`: builds the site into a new release directory (releases/<id>/, an incremental build
 * reusing .cache/), checks it by starting it on a private loopback port and asking /readyz and the home
 * page, then points releases/current at it and sends SIGHUP to the running server (src/server/cluster.ts),
 * which switches its workers without refusing a request; waits until the server reports the switch.
 * `npm run publish -- --rollback` points current back at the previous release and switches likewise.
 * The newest releases are kept (GATEPOST_KEEP_RELEASES, default 4 besides the current one); the check may
 * take GATEPOST_PUBLISH_CHECK_TIMEOUT_MS (default 180 s).
 *
 * A release that fails to build or fails its check is removed and never switched to: the command exits
 * with code 1 and says why; the running server keeps serving what it served. Without a running server
 * (none started from releases/current), the link is updated and the command says how to start it.
 * docs/deploy.md ("Releases: publish, switch, rollback") explains the whole workflow.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import {
  BUILD_DIR,
  currentRelease,
  DEFAULT_KEEP,
  listReleases,
  isRunning,
  LOCK_FILE,
  newReleaseId,
  previousRelease,
  pruneReleases,
  readServing,
  RELEASE_CHECK_VARIABLE,
  RELEASES_DIR,
  releaseProgram,
  servingPid,
  setCurrent,
} from '../src/publish/releases.ts';
import { SERVER_NODE_FLAGS } from './server-flags.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const releasesDir = join(ROOT, RELEASES_DIR);
/** How long a new release's server may take to answer its check, unless the variable says otherwise. */
const CHECK_TIMEOUT_VARIABLE = 'GATEPOST_PUBLISH_CHECK_TIMEOUT_MS';
// Generous: the check starts a whole server (content store, static files' table, migrations), which on a
// large site and a busy machine can take longer than a minute (docs/deploy.md, "Releases"). A server that
// exits or answers an error fails the check at once; only one that is never ready waits this long.
const DEFAULT_CHECK_TIMEOUT_MS = 180_000;
const SWITCH_WAIT_MS = 90_000;

const say = (line: string) => process.stdout.write(`[publish] ${line}\n`);
class PublishError extends Error {}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      process.stdout.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Starts the release's server alone (one process, no members sync) on a private port and asks /readyz,
 * then `/`: both must answer 200 within `timeoutMs`. Throws with the reason and the server's last output
 * otherwise.
 */
async function checkRelease(id: string, timeoutMs: number): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, releaseProgram(releasesDir, id)], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      GATEPOST_WORKERS: '1',
      // Alone, and quiet: no members sync, no newsletter sending, nothing written in releases/. It does
      // apply the release's members' store migrations (forward-only) before the switch, as any start does.
      GATEPOST_MEMBERS_SYNC_MINUTES: '0',
      GATEPOST_SMTP_URL: '',
      [RELEASE_CHECK_VARIABLE]: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + timeoutMs;
  // Each request waits at most 5 s, and never past the deadline.
  const signal = () => AbortSignal.timeout(Math.max(1, Math.min(5000, deadline - Date.now())));
  let last = 'no answer';
  try {
    while (Date.now() < deadline) {
      if (exited !== undefined) throw new PublishError(`its server exited at start (code ${exited})\n${output}`);
      try {
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: signal() });
        const body = await ready.text();
        last = `/readyz answered ${ready.status}: ${body.slice(0, 300)}`;
        if (ready.ok) {
          const home = await fetch(`http://127.0.0.1:${port}/`, { signal: signal() });
          if (home.ok) return;
          throw new PublishError(`/ answered ${home.status}\n${output}`);
        }
        if (ready.status !== 503) throw new PublishError(`${last}\n${output}`);
      } catch (error) {
        if (error instanceof PublishError) throw error;
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const raised = Math.max(timeoutMs * 2, DEFAULT_CHECK_TIMEOUT_MS);
    throw new PublishError(
      `its server was not ready within ${timeoutMs} ms, the limit ${CHECK_TIMEOUT_VARIABLE} sets ` +
        `(a good release that is slow to start needs more: e.g. ${CHECK_TIMEOUT_VARIABLE}=${raised} npm run publish); ` +
        `last answer: ${last}\n${output}`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

/** Points current at `id` and switches the running server, waiting for it to report the outcome. */
async function switchTo(id: string): Promise<void> {
  setCurrent(releasesDir, id);
  const pid = servingPid(releasesDir);
  if (!pid) {
    say(
      `releases/current → ${id}. No server is running from releases/current: start one with \`npm run serve:release\`.`,
    );
    return;
  }
  const before = readServing(releasesDir)?.at ?? 0;
  process.kill(pid, 'SIGHUP');
  const deadline = Date.now() + SWITCH_WAIT_MS;
  while (Date.now() < deadline) {
    const state = readServing(releasesDir);
    if (state && state.at > before) {
      if (state.outcome === 'switched' && state.release === id) {
        say(`server ${pid} switched to ${id} in ${state.durationMs} ms`);
        return;
      }
      const serving = state.release;
      if (serving) setCurrent(releasesDir, serving);
      throw new PublishError(
        `the server did not switch (${state.outcome}); ${serving ?? 'the previous build'} keeps serving`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new PublishError(`server ${pid} did not report a switch within ${SWITCH_WAIT_MS / 1000} s`);
}

/**
 * A whole-number setting of this command (read here, not by Astro): `fallback` when unset or empty,
 * else digits for a number ≥ 1, or the command stops before building with one line naming the variable.
 */
function wholeNumberSetting(name: string, fallback: number, unit?: string): number {
  const value = process.env[name];
  if (!value) return fallback;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new PublishError(`${name} must be a whole number${unit ? ` of ${unit}` : ''} ≥ 1, not "${value}"`);
  return n;
}

async function publish(): Promise<void> {
  const keep = wholeNumberSetting('GATEPOST_KEEP_RELEASES', DEFAULT_KEEP);
  const checkTimeoutMs = wholeNumberSetting(CHECK_TIMEOUT_VARIABLE, DEFAULT_CHECK_TIMEOUT_MS, 'milliseconds');
  mkdirSync(releasesDir, { recursive: true });
  const id = newReleaseId(releasesDir);
  const started = performance.now();
  say(`building release ${id}`);
  // Into the same folder every time (BUILD_DIR says why), renamed once built; a folder left by an
  // interrupted publish is removed first.
  const buildDir = join(releasesDir, BUILD_DIR);
  rmSync(buildDir, { recursive: true, force: true });
  const build = await run([join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', buildDir], {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
  });
  if (build.code !== 0) {
    rmSync(buildDir, { recursive: true, force: true });
    throw new PublishError(`the build failed (exit code ${build.code}); nothing was switched`);
  }
  renameSync(buildDir, join(releasesDir, id));
  say(`built in ${((performance.now() - started) / 1000).toFixed(1)} s; checking it on a private port`);
  const checkStarted = performance.now();
  try {
    await checkRelease(id, checkTimeoutMs);
  } catch (error) {
    rmSync(join(releasesDir, id), { recursive: true, force: true });
    throw new PublishError(`release ${id} failed its check, nothing was switched: ${(error as Error).message}`);
  }
  say(`checked in ${((performance.now() - checkStarted) / 1000).toFixed(1)} s`);
  await switchTo(id);
  const removed = pruneReleases(releasesDir, keep, [id, readServing(releasesDir)?.release]);
  if (removed.length) say(`removed old release(s): ${removed.join(', ')}`);
  say(`published ${id} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function rollback(): Promise<void> {
  const current = currentRelease(releasesDir);
  if (!current) throw new PublishError('no current release to roll back from (run `npm run publish` first)');
  const previous = previousRelease(releasesDir, current);
  if (!previous)
    throw new PublishError(`no release older than ${current} is kept (${listReleases(releasesDir).join(', ')})`);
  say(`rolling back from ${current} to ${previous}`);
  await switchTo(previous);
}

/**
 * One publish at a time per project (a manual one and an automatic one would share .cache/ and race for
 * `current`): releases/publish.lock holds the pid of the command that runs; a lock whose process is gone
 * is taken over.
 */
function lock(): () => void {
  mkdirSync(releasesDir, { recursive: true });
  const file = join(releasesDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch {
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (isRunning(holder))
        throw new PublishError(`another publish (pid ${holder}) is running; try again when it ends`);
      rmSync(file, { force: true });
    }
  }
  throw new PublishError(`could not take ${file}`);
}

try {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--rollback');
  if (unknown.length) throw new PublishError(`unknown argument(s): ${unknown.join(' ')} (only --rollback)`);
  const unlock = lock();
  try {
    await (args.includes('--rollback') ? rollback() : publish());
  } finally {
    unlock();
  }
} catch (error) {
  if (!(error instanceof PublishError)) throw error;
  process.stderr.write(`[publish] ${error.message}\n`);
  process.exit(1);
}
