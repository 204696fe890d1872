/**
 * Starts the built production server (dist/server/gatepost.mjs, tools/server-flags.ts) on a free
 * loopback port, exactly as `npm start` does after building, and stops it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_PROGRAM, serverArgs } from '../../tools/server-flags';
import { freePort } from '../../tools/free-port';

export { freePort };
import { DIST, ROOT } from './paths';

export interface RunningServer {
  url: string;
  port: number;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a built server. `env.GATEPOST_DIST_DIR` picks another build (e.g. a scratch copy's dist/);
 * the server then runs from that copy's folder, as it would in production. Its members' store is a
 * fresh SQLite file in a temporary folder (removed at stop) unless `env` names one (GATEPOST_DATA_DIR or
 * DATABASE_URL); a DATABASE_URL of the machine running the tests is never used by accident.
 */
export async function startServer(env: Record<string, string | undefined> = {}): Promise<RunningServer> {
  const dist = env.GATEPOST_DIST_DIR ? `${env.GATEPOST_DIST_DIR.replace(/\/$/, '')}/` : DIST;
  const entry = `${dist}${SERVER_PROGRAM}`;
  if (!existsSync(entry)) {
    throw new Error(`No build found at ${entry}. Run \`npm run build\` (or \`npm test\`, which builds first).`);
  }
  const port = await freePort();
  let log = '';
  const ownData = env.GATEPOST_DATA_DIR || env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'gatepost-data-'));
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    GATEPOST_MEMBERS_SYNC_MINUTES: '0',
    ...(ownData ? { GATEPOST_DATA_DIR: ownData } : {}),
    ...env,
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, serverArgs(dist), {
    cwd: env.GATEPOST_DIST_DIR ? `${dist}..` : ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (ownData) child.once('exit', () => rmSync(ownData, { recursive: true, force: true }));
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;

  // It listens once Astro has loaded the content and answered /readyz; on a busy shared machine that
  // can take a while.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Server exited with ${child.exitCode}:\n${log}`);
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Server did not start within 60 s:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    url,
    port,
    process: child,
    output: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
